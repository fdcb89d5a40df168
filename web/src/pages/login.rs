//! Sign-in: email and password; field problems appear next to their field, other errors
//! (wrong credentials, lock-out) above the form. What was typed is kept on failure.

use cpaas_shared::{LoginRequest, validate};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiClientError};
use crate::route::Route;
use crate::session::{SessionAction, use_session};

#[derive(Debug, Clone, PartialEq, Default)]
struct Problems {
    form: Option<String>,
    email: Option<String>,
    password: Option<String>,
}

impl Problems {
    fn from_api(err: &ApiClientError) -> Self {
        let email = err.field("email");
        let password = err.field("password");
        let form = (email.is_none() && password.is_none()).then(|| err.message());
        Self {
            form,
            email,
            password,
        }
    }
}

fn bind(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        state.set(input.value());
    })
}

#[component]
pub fn Login() -> Html {
    let email = use_state(String::new);
    let password = use_state(String::new);
    let problems = use_state(Problems::default);
    let busy = use_state(|| false);
    let session = use_session();
    let navigator = use_navigator();

    let onsubmit = {
        let (email, password, problems, busy) = (
            email.clone(),
            password.clone(),
            problems.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let mut local = Problems::default();
            if let Err(problem) = validate::email(&email) {
                local.email = Some(problem);
            }
            if password.is_empty() {
                local.password = Some("is required".to_owned());
            }
            if local != Problems::default() {
                problems.set(local);
                return;
            }
            let request = LoginRequest {
                email: (*email).clone(),
                password: (*password).clone(),
            };
            let (problems, busy, session, navigator) = (
                problems.clone(),
                busy.clone(),
                session.clone(),
                navigator.clone(),
            );
            busy.set(true);
            spawn_local(async move {
                match api::login(&request).await {
                    Ok(login) => {
                        problems.set(Problems::default());
                        if let Some(session) = session {
                            session.dispatch(SessionAction::SignIn(login));
                        }
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Dashboard);
                        }
                    }
                    Err(err) => problems.set(Problems::from_api(&err)),
                }
                busy.set(false);
            });
        })
    };

    let field_error = |problem: &Option<String>, id: &str| match problem {
        Some(text) => {
            html! { <p class="field-error" data-testid={format!("{id}-error")}>{ text.clone() }</p> }
        }
        None => html! {},
    };
    html! {
        <section class="narrow">
            <h1>{ "Sign in" }</h1>
            <form class="card form" {onsubmit} novalidate=true>
                if let Some(text) = &problems.form {
                    <p class="error" role="alert" data-testid="form-error">{ text.clone() }</p>
                }
                <label for="email">{ "Email address" }</label>
                <input id="email" type="email" autocomplete="username" value={(*email).clone()}
                       oninput={bind(&email)} />
                { field_error(&problems.email, "email") }
                <label for="password">{ "Password" }</label>
                <input id="password" type="password" autocomplete="current-password"
                       value={(*password).clone()} oninput={bind(&password)} />
                { field_error(&problems.password, "password") }
                <button type="submit" disabled={*busy}>{ if *busy { "Signing in…" } else { "Sign in" } }</button>
            </form>
        </section>
    }
}
