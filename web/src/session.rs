//! Who is signed in. The bearer token lives in memory only: no script-readable storage ever
//! holds it. A reload or a new tab signs back in through the refresh cookie, which the api
//! sets `HttpOnly` (scripts cannot read it) and `SameSite=Strict`, scoped to the auth routes:
//! the provider asks for a new token when it starts and again shortly before the token
//! expires. Signing out ends the account's sessions on the api, then forgets the token.

use std::rc::Rc;

use cpaas_shared::{LoginResponse, PortalAccount};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Still asking the api whether a session can be resumed.
    pub restoring: bool,
    pub signed_in: Option<SignedIn>,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            restoring: true,
            signed_in: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    pub token: String,
    /// Seconds the token is valid for, from when it was issued.
    pub expires_in: u64,
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
                restoring: false,
                signed_in: Some(SignedIn {
                    token: login.access_token,
                    expires_in: login.expires_in,
                    account: login.account,
                }),
            },
            SessionAction::SignOut => Session {
                restoring: false,
                signed_in: None,
            },
        })
    }
}

pub type SessionHandle = UseReducerHandle<Session>;

/// A new token from the refresh cookie, or signed out when there is no session.
fn resume(session: SessionHandle) {
    spawn_local(async move {
        match api::refresh().await {
            Ok(login) => session.dispatch(SessionAction::SignIn(login)),
            Err(_) => session.dispatch(SessionAction::SignOut),
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    pub children: Html,
}

#[component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let session = use_reducer(Session::default);
    {
        let session = session.clone();
        use_effect_with((), move |_| resume(session));
    }
    {
        // Renew a minute before the token expires; a newer token cancels the wait.
        let session = session.clone();
        let token = session
            .signed_in
            .as_ref()
            .map(|s| (s.token.clone(), s.expires_in));
        use_effect_with(token, move |token| {
            let live = Rc::new(std::cell::Cell::new(true));
            if let Some((_, expires_in)) = token {
                let wait = expires_in.saturating_sub(60).max(5).saturating_mul(1000);
                let live = live.clone();
                spawn_local(async move {
                    TimeoutFuture::new(u32::try_from(wait).unwrap_or(u32::MAX)).await;
                    if live.get() {
                        resume(session);
                    }
                });
            }
            move || live.set(false)
        });
    }
    if session.restoring {
        return html! { <p class="muted" data-testid="restoring">{ "Signing you back in…" }</p> };
    }
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

/// Ends the session on the api (every token and cookie of the account), then here.
pub fn sign_out(session: &SessionHandle) {
    let token = session.signed_in.as_ref().map(|s| s.token.clone());
    let session = session.clone();
    spawn_local(async move {
        if let Some(token) = token {
            // Signed out here whatever the api answers: a token that no longer works is as good
            // as gone.
            let _ended = api::logout(&token).await;
        }
        session.dispatch(SessionAction::SignOut);
    });
}
