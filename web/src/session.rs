//! Who is signed in. The token lives in memory only (deliberately: a reload or a closed tab
//! signs out, and no script-readable storage ever holds it).

use std::rc::Rc;

use cpaas_shared::{LoginResponse, PortalAccount};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    pub signed_in: Option<SignedIn>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    pub token: String,
    pub account: PortalAccount,
}

pub enum SessionAction {
    SignIn(LoginResponse),
    SignOut,
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        Rc::new(match action {
            SessionAction::SignIn(login) => Session {
                signed_in: Some(SignedIn {
                    token: login.access_token,
                    account: login.account,
                }),
            },
            SessionAction::SignOut => Session::default(),
        })
    }
}

pub type SessionHandle = UseReducerHandle<Session>;

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    pub children: Html,
}

#[component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let session = use_reducer(Session::default);
    html! {
        <ContextProvider<SessionHandle> context={session}>
            { props.children.clone() }
        </ContextProvider<SessionHandle>>
    }
}

/// The session handle; `None` only outside a `SessionProvider`.
#[hook]
pub fn use_session() -> Option<SessionHandle> {
    use_context::<SessionHandle>()
}
