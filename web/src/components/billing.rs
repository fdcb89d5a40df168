//! A provider's Billing tab (R18): the month's numbers with days active and charges, the
//! totals, and the same as a CSV download.

use cpaas_shared::BillingReport;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::list::encode;
use crate::entity::Entity;

#[derive(Properties, PartialEq)]
pub struct BillingProps {
    pub token: String,
    pub provider: i64,
}

fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[component]
pub fn Billing(props: &BillingProps) -> Html {
    let month = use_state(String::new);
    let report = use_state(|| None::<Result<(BillingReport, String), String>>);
    {
        let (report, token, provider) = (report.clone(), props.token.clone(), props.provider);
        use_effect_with((*month).clone(), move |month| {
            let query = if month.is_empty() {
                String::new()
            } else {
                format!("?month={month}")
            };
            spawn_local(async move {
                let url = format!("{}/billing{query}", Entity::Provider.url(provider));
                let json = api::get::<BillingReport>(&token, &url).await;
                let csv = api::get_text(&token, &url, "text/csv").await;
                report.set(Some(match (json, csv) {
                    (Ok(json), Ok(csv)) => Ok((json, csv)),
                    (Err(e), _) | (_, Err(e)) => Err(e.message()),
                }));
            });
        });
    }
    let onchange = {
        let month = month.clone();
        Callback::from(move |e: Event| {
            month.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let body = match &*report {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Ok((report, csv))) => html! {
            <>
                <p data-testid="billing-total">
                    { format!("{}: {} number(s), {} in all.", report.month, report.total_numbers, money(report.total_charge_cents)) }
                    { " " }
                    <a href={format!("data:text/csv;charset=utf-8,{}", encode(csv))}
                        download={format!("billing-{}.csv", report.month)} data-testid="billing-csv">{ "Download CSV" }</a>
                </p>
                if !report.lines.is_empty() {
                    <table class="grid" data-testid="billing-lines">
                        <thead><tr><th>{ "Number" }</th><th>{ "Friendly Name" }</th><th>{ "Assigned To" }</th><th>{ "Days Active" }</th><th>{ "Monthly Charge" }</th><th>{ "Charge" }</th></tr></thead>
                        <tbody>{ for report.lines.iter().map(|l| html! {
                            <tr>
                                <td>{ l.number.clone() }</td><td>{ l.friendly_name.clone() }</td><td>{ l.assigned_to.clone() }</td>
                                <td>{ l.days_active }</td><td>{ money(u64::from(l.monthly_charge_cents)) }</td><td>{ money(l.charge_cents) }</td>
                            </tr>
                        }) }</tbody>
                    </table>
                }
            </>
        },
    };
    html! {
        <div>
            <p class="intro">{ "Every assigned number carries the monthly charge of its CPaaS platform, prorated by the days it was assigned in the month (UTC)." }</p>
            <label class="filter">{ "Month " }<input type="month" value={(*month).clone()} {onchange} data-testid="billing-month" /></label>
            { body }
        </div>
    }
}
