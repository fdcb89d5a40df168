//! A minimal client view (R12): an end user signs in with their user id and the password an
//! admin set, and answers the opt-in question for each number awaiting it.

use cpaas_shared::{ClientLoginRequest, ClientLoginResponse, ClientNumber, OptInState, Page};
use gloo_net::http::Method;
use serde_json::json;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;

#[component]
pub fn ClientPage() -> Html {
    let session = use_state(|| None::<ClientLoginResponse>);
    match &*session {
        None => {
            html! { <ClientLogin on_login={Callback::from(move |login| session.set(Some(login)))} /> }
        }
        Some(login) => {
            html! { <ClientNumbers token={login.access_token.clone()} name={login.user.name.clone()} /> }
        }
    }
}

#[derive(Properties, PartialEq)]
struct LoginProps {
    on_login: Callback<ClientLoginResponse>,
}

#[component]
fn ClientLogin(props: &LoginProps) -> Html {
    let user_id = use_state(String::new);
    let password = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let bind = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        let (user_id, password, problem, on_login) = (
            user_id.clone(),
            password.clone(),
            problem.clone(),
            props.on_login.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let request = ClientLoginRequest {
                provider_id: None,
                user_id: (*user_id).clone(),
                password: (*password).clone(),
            };
            let (problem, on_login) = (problem.clone(), on_login.clone());
            spawn_local(async move {
                match api::client_login(&request).await {
                    Ok(login) => on_login.emit(login),
                    Err(err) => problem.set(Some(err.message())),
                }
            });
        })
    };
    html! {
        <section>
            <h1>{ "Messaging client" }</h1>
            <form class="card form narrow" {onsubmit} novalidate=true data-testid="client-login">
                if let Some(text) = &*problem { <p class="error" role="alert" data-testid="form-error">{ text.clone() }</p> }
                <label for="client-user-id">{ "User ID" }</label>
                <input id="client-user-id" value={(*user_id).clone()} oninput={bind(&user_id)} />
                <label for="client-password">{ "Password" }</label>
                <input id="client-password" type="password" value={(*password).clone()} oninput={bind(&password)} />
                <div class="actions"><button type="submit">{ "Sign in" }</button></div>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct NumbersProps {
    token: String,
    name: String,
}

#[component]
fn ClientNumbers(props: &NumbersProps) -> Html {
    let numbers = use_state(|| None::<Result<Vec<ClientNumber>, String>>);
    let reload = use_state(|| 0_u32);
    {
        let (numbers, token) = (numbers.clone(), props.token.clone());
        use_effect_with(*reload, move |_| {
            spawn_local(async move {
                numbers.set(Some(
                    api::get::<Page<ClientNumber>>(&token, "/api/v1/client/numbers")
                        .await
                        .map(|p| p.items)
                        .map_err(|e| e.message()),
                ));
            });
        });
    }
    let answer = |id: i64, decision: &'static str| {
        let (token, reload) = (props.token.clone(), reload.clone());
        Callback::from(move |_| {
            let (token, reload) = (token.clone(), reload.clone());
            spawn_local(async move {
                let url = format!("/api/v1/client/numbers/{id}/opt-in");
                let _ =
                    api::write(&token, Method::POST, &url, &json!({ "decision": decision })).await;
                reload.set(*reload + 1);
            });
        })
    };
    let body = match &*numbers {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Ok(list)) if list.is_empty() => {
            html! { <p class="muted">{ "No numbers are assigned to you." }</p> }
        }
        Some(Ok(list)) => html! {
            <ul class="client-numbers" data-testid="client-numbers">
                { for list.iter().map(|n| html! {
                    <li class="card">
                        <strong>{ format!("{} ({})", n.display, n.friendly_name) }</strong>
                        { match n.opt_in.state {
                            OptInState::Pending => html! {
                                <div class="confirm" data-testid={format!("opt-in-{}", n.number)}>
                                    <p>{ format!("SMS has been enabled on {}. Do you want to receive SMS messages on this number? They may come from anyone.", n.display) }</p>
                                    <button class="primary" onclick={answer(n.id, "accept")} data-testid="accept">{ "Yes, activate SMS" }</button>
                                    <button onclick={answer(n.id, "decline")} data-testid="decline">{ "No" }</button>
                                </div>
                            },
                            OptInState::OptedIn => html! { <p data-testid="decided">{ "SMS is active." }</p> },
                            OptInState::OptedOut => html! { <p data-testid="decided">{ "You declined SMS on this number." }</p> },
                            OptInState::NotRequired => html! { <p>{ "SMS is active." }</p> },
                        } }
                    </li>
                }) }
            </ul>
        },
    };
    html! {
        <section>
            <h1>{ format!("Messaging client: {}", props.name) }</h1>
            { body }
        </section>
    }
}
