//! A number's provisioning and opt-in state on its details page, refreshed while the carrier
//! is being configured, with the guide's Reset Opt-In State button.

use gloo_net::http::Method;
use gloo_timers::future::TimeoutFuture;
use serde_json::Value;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::entity::Entity;

#[derive(Properties, PartialEq)]
pub struct NumberStatusProps {
    pub token: String,
    pub item: Value,
    /// A fresher copy of the number (after a refresh or a reset).
    pub on_change: Callback<Value>,
}

fn text(item: &Value, pointer: &str) -> String {
    item.pointer(pointer)
        .and_then(Value::as_str)
        .map(|s| s.replace('T', " ").trim_end_matches('Z').to_owned())
        .unwrap_or_default()
}

fn label(state: &str) -> &str {
    match state {
        "pending" => "Pending: configuring the carrier",
        "active" => "Active",
        "failed" => "Failed",
        "removing" => "Removing the carrier webhook",
        "removed" => "Removed",
        other => other,
    }
}

fn opt_in_label(state: &str) -> &str {
    match state {
        "pending" => "Pending: the user will be asked",
        "not_required" => "Not required",
        "opted_in" => "Opted in",
        "opted_out" => "Opted out",
        other => other,
    }
}

#[component]
pub fn NumberStatus(props: &NumberStatusProps) -> Html {
    let problem = use_state(|| None::<String>);
    let id = props.item["id"].as_i64().unwrap_or_default();
    let state = text(&props.item, "/provisioning/state");
    // While the carrier is being configured, look again every 1.5 s.
    {
        let (token, on_change) = (props.token.clone(), props.on_change.clone());
        let waiting = state == "pending" || state == "removing";
        use_effect_with((props.item.clone(), waiting), move |(_, waiting)| {
            if *waiting {
                spawn_local(async move {
                    TimeoutFuture::new(1_500).await;
                    if let Ok(fresh) = api::get::<Value>(&token, &Entity::Number.url(id)).await {
                        on_change.emit(fresh);
                    }
                });
            }
        });
    }
    let reset = {
        let (token, on_change, problem) = (
            props.token.clone(),
            props.on_change.clone(),
            problem.clone(),
        );
        Callback::from(move |_| {
            let (token, on_change, problem) = (token.clone(), on_change.clone(), problem.clone());
            spawn_local(async move {
                let url = format!("{}/opt-in/reset", Entity::Number.url(id));
                match api::write(&token, Method::POST, &url, &Value::Null).await {
                    Ok(fresh) => {
                        problem.set(None);
                        on_change.emit(fresh);
                    }
                    Err(err) => problem.set(Some(err.message())),
                }
            });
        })
    };
    let item = &props.item;
    let opt_in = text(item, "/opt_in/state");
    let opt_in_at = text(item, "/opt_in/at");
    let end = text(item, "/end_date");
    let can_reset = end.is_empty() && text(item, "/consumer/kind") == "user";
    html! {
        <div class="card status" data-testid="number-status">
            <h2>{ "Status" }</h2>
            <dl class="facts">
                <dt>{ "Provisioning" }</dt>
                <dd data-testid="provisioning-state">{ label(&state) }</dd>
                if let Some(detail) = item.pointer("/provisioning/detail").and_then(Value::as_str) {
                    <dt>{ "Detail" }</dt><dd data-testid="provisioning-detail">{ detail }</dd>
                }
                <dt>{ "Opt-In State" }</dt>
                <dd data-testid="opt-in-state">{ opt_in_label(&opt_in) }{ if opt_in_at.is_empty() { String::new() } else { format!(" at {opt_in_at} UTC") } }</dd>
                <dt>{ "Start Date" }</dt><dd>{ text(item, "/start_date") }</dd>
                <dt>{ "End Date" }</dt><dd>{ if end.is_empty() { "Active Assignment".to_owned() } else { end.clone() } }</dd>
            </dl>
            if let Some(text) = &*problem { <p class="error" role="alert">{ text.clone() }</p> }
            if can_reset {
                <button onclick={reset} data-testid="reset-opt-in">{ "Reset Opt-In State" }</button>
            }
        </div>
    }
}
