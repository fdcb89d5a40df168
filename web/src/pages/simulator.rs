//! Dev mode: what the built-in Inteliquent simulator holds (numbers, webhooks, published
//! messages), and a way to put numbers on its accounts. Operators only.

use cpaas_shared::{NewSimulatedNumbers, SimulatedAccount, SimulatorState};
use gloo_net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::session::use_session;

#[component]
pub fn SimulatorPage() -> Html {
    let token = use_session().and_then(|s| s.signed_in.as_ref().map(|s| s.token.clone()));
    let state = use_state(|| None::<Result<SimulatorState, String>>);
    let reload = use_state(|| 0_u32);
    let typed = use_state(String::new);
    let problem = use_state(|| None::<String>);
    {
        let (state, token) = (state.clone(), token.clone());
        use_effect_with((*reload, token.is_some()), move |_| {
            if let Some(token) = token {
                spawn_local(async move {
                    state.set(Some(
                        api::get(&token, "/api/v1/simulator")
                            .await
                            .map_err(|e| e.message()),
                    ));
                });
            }
        });
    }
    let Some(token) = token else {
        return html! { <section data-testid="sign-in-required"><h1>{ "Simulator" }</h1><p>{ "Sign in as an operator to see this page." }</p></section> };
    };
    let onsubmit = {
        let (typed, problem, state) = (typed.clone(), problem.clone(), state.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let numbers: Vec<String> = typed
                .split([',', '\n', ';'])
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect();
            let body = serde_json::to_value(NewSimulatedNumbers {
                account: None,
                numbers,
            })
            .unwrap_or_default();
            let (typed, problem, state, token) =
                (typed.clone(), problem.clone(), state.clone(), token.clone());
            spawn_local(async move {
                match api::write(&token, Method::POST, "/api/v1/simulator/numbers", &body).await {
                    Ok(value) => {
                        typed.set(String::new());
                        problem.set(None);
                        state.set(Some(
                            serde_json::from_value(value).map_err(|e| e.to_string()),
                        ));
                    }
                    Err(err) => {
                        problem.set(Some(err.field("numbers").unwrap_or_else(|| err.message())))
                    }
                }
            });
        })
    };
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            typed.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    let body = match &*state {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => {
            html! { <p class="error" role="alert" data-testid="simulator-error">{ message.clone() }</p> }
        }
        Some(Ok(state)) => state.accounts.iter().map(account).collect::<Html>(),
    };
    html! {
        <section class="sim">
            <h1>{ "Simulator" }</h1>
            <p class="intro">{ "The built-in Inteliquent simulator this api talks to in dev mode (CPAAS_CARRIER=simulator). It speaks the real wire format; the api reaches it only through the real client." }</p>
            <p><button class="link" onclick={refresh} data-testid="refresh">{ "Refresh" }</button></p>
            <form class="card form wide" {onsubmit} novalidate=true data-testid="add-numbers">
                <h2>{ "Add numbers to the demo account" }</h2>
                <label for="sim-numbers">{ "Numbers (any US form, separated by commas)" }</label>
                <input id="sim-numbers" value={(*typed).clone()} {oninput} />
                if let Some(text) = &*problem { <p class="field-error" data-testid="numbers-error">{ text.clone() }</p> }
                <div class="actions"><button type="submit">{ "Add numbers" }</button></div>
            </form>
            { body }
        </section>
    }
}

fn account(account: &SimulatedAccount) -> Html {
    html! {
        <section data-testid={format!("sim-account-{}", account.id)}>
            <h2>{ format!("Account {} ({})", account.id, account.account_key_hint) }</h2>
            <h3>{ "Numbers" }</h3>
            <table class="grid" data-testid="sim-numbers">
                <thead><tr><th>{ "Number" }</th><th>{ "Status" }</th><th>{ "Messaging" }</th><th>{ "Active" }</th></tr></thead>
                <tbody>{ for account.numbers.iter().map(|n| html! {
                    <tr>
                        <td>{ n.number.clone() }</td><td>{ n.status.clone() }</td>
                        <td>{ n.messaging.clone().unwrap_or_else(|| "—".into()) }</td>
                        <td>{ if n.active { "Yes" } else { "No" } }</td>
                    </tr>
                }) }</tbody>
            </table>
            <h3>{ "Webhooks" }</h3>
            if account.webhooks.is_empty() { <p class="muted">{ "None registered." }</p> } else {
                <table class="grid" data-testid="sim-webhooks">
                    <thead><tr><th>{ "Number" }</th><th>{ "URL" }</th><th>{ "Header" }</th></tr></thead>
                    <tbody>{ for account.webhooks.iter().map(|w| html! {
                        <tr>
                            <td>{ w.number.clone().unwrap_or_else(|| "(default)".into()) }</td>
                            <td>{ w.url.clone() }</td>
                            <td>{ w.header_name.clone().unwrap_or_else(|| "—".into()) }</td>
                        </tr>
                    }) }</tbody>
                </table>
            }
            <h3>{ "Published messages" }</h3>
            if account.published.is_empty() { <p class="muted">{ "Nothing sent yet." }</p> } else {
                <table class="grid" data-testid="sim-published">
                    <thead><tr><th>{ "When (UTC)" }</th><th>{ "From" }</th><th>{ "To" }</th><th>{ "Text" }</th></tr></thead>
                    <tbody>{ for account.published.iter().rev().map(|m| html! {
                        <tr>
                            <td>{ m.at.replace('T', " ") }</td><td>{ m.from.clone() }</td>
                            <td>{ m.to.join(", ") }</td><td>{ m.text.clone() }</td>
                        </tr>
                    }) }</tbody>
                </table>
            }
        </section>
    }
}
