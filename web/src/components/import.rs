//! A customer's Import Numbers tab: paste a CSV, follow the job with a progress bar, then read
//! each row's result.

use cpaas_shared::{ImportStatus, NewNumberImport, NumberImport};
use gloo_net::http::Method;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::api;
use crate::entity::Entity;

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub token: String,
    pub customer: i64,
}

const EXAMPLE: &str = "number,user_id,media_stream,friendly_name,messaging_type\n2019920778,christutt@kakaposystems.com,,SMS only,sms";

#[component]
pub fn ImportNumbers(props: &ImportProps) -> Html {
    let csv = use_state(String::new);
    let import = use_state(|| None::<NumberImport>);
    let problem = use_state(|| None::<String>);
    // Follow a running import.
    {
        let (import, token) = (import.clone(), props.token.clone());
        let running = import
            .as_ref()
            .filter(|i| matches!(i.status, ImportStatus::Queued | ImportStatus::Running))
            .map(|i| (i.id, i.processed));
        use_effect_with(running, move |running| {
            if let Some((id, _)) = *running {
                spawn_local(async move {
                    TimeoutFuture::new(700).await;
                    if let Ok(fresh) = api::get::<NumberImport>(
                        &token,
                        &format!("/api/v1/cpaas-number-imports/{id}"),
                    )
                    .await
                    {
                        import.set(Some(fresh));
                    }
                });
            }
        });
    }
    let oninput = {
        let csv = csv.clone();
        Callback::from(move |e: InputEvent| {
            csv.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let onsubmit = {
        let (csv, import, problem, token, customer) = (
            csv.clone(),
            import.clone(),
            problem.clone(),
            props.token.clone(),
            props.customer,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = serde_json::to_value(NewNumberImport {
                csv: (*csv).clone(),
            })
            .unwrap_or_default();
            let (import, problem, token) = (import.clone(), problem.clone(), token.clone());
            spawn_local(async move {
                let url = format!("{}/cpaas-number-imports", Entity::Customer.url(customer));
                match api::write(&token, Method::POST, &url, &body).await {
                    Ok(value) => {
                        problem.set(None);
                        import.set(serde_json::from_value(value).ok());
                    }
                    Err(err) => problem.set(Some(
                        err.field("csv")
                            .map_or_else(|| err.message(), |p| format!("The CSV {p}.")),
                    )),
                }
            });
        })
    };
    let progress = match &*import {
        None => html! {},
        Some(i) => html! {
            <div class="card" data-testid="import-progress">
                <progress value={i.processed.to_string()} max={i.total.max(1).to_string()}></progress>
                <p data-testid="import-summary">{ format!("{:?}: {} of {} rows, {} assigned, {} failed", i.status, i.processed, i.total, i.assigned, i.failed) }</p>
                if i.status == ImportStatus::Done {
                    <table class="grid" data-testid="import-rows">
                        <thead><tr><th>{ "Line" }</th><th>{ "Number" }</th><th>{ "Result" }</th><th>{ "Detail" }</th></tr></thead>
                        <tbody>{ for i.rows.iter().map(|r| html! {
                            <tr><td>{ r.line }</td><td>{ r.number.clone() }</td><td>{ r.outcome.clone() }</td><td>{ r.detail.clone().unwrap_or_default() }</td></tr>
                        }) }</tbody>
                    </table>
                }
            </div>
        },
    };
    html! {
        <div>
            <form class="card form wide" {onsubmit} novalidate=true data-testid="import-form">
                <h2>{ "Import CPaaS Numbers" }</h2>
                <p class="muted">{ "One number a line, with a header: number, then user_id or media_stream (a stream's name); optionally friendly_name, messaging_type (sms or mms_sms) and platform_id. Up to 10,000 rows." }</p>
                if let Some(text) = &*problem { <p class="field-error" data-testid="csv-error">{ text.clone() }</p> }
                <label for="import-csv">{ "CSV" }</label>
                <textarea id="import-csv" rows="8" value={(*csv).clone()} {oninput} placeholder={EXAMPLE} />
                <div class="actions"><button type="submit">{ "Import" }</button></div>
            </form>
            { progress }
        </div>
    }
}
