//! The History Log tab: newest first, paginated, filterable by kind of change.

use cpaas_shared::{HistoryEntry, Page};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::list::PER_PAGE;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    pub token: String,
    /// e.g. `/api/v1/customers/7/history`.
    pub url: String,
}

const ACTIONS: [(&str, &str); 5] = [
    ("", "All changes"),
    ("create", "Created"),
    ("update", "Updated"),
    ("delete", "Deleted"),
    ("sign_in", "Sign-ins"),
];

fn when(at: &str) -> String {
    at.replace('T', " ").trim_end_matches('Z').to_owned()
}

#[component]
pub fn HistoryLog(props: &HistoryProps) -> Html {
    let entries = use_state(|| None::<Result<Page<HistoryEntry>, String>>);
    let page = use_state(|| 1_u32);
    let action = use_state(String::new);
    {
        let (entries, token, url) = (entries.clone(), props.token.clone(), props.url.clone());
        use_effect_with(
            (props.url.clone(), *page, (*action).clone()),
            move |(_, page, action)| {
                let mut query = format!("{url}?page={page}&per_page={PER_PAGE}");
                if !action.is_empty() {
                    query.push_str(&format!("&action={action}"));
                }
                spawn_local(async move {
                    entries.set(Some(
                        api::get(&token, &query).await.map_err(|e| e.message()),
                    ));
                });
            },
        );
    }
    let onchange = {
        let (action, page) = (action.clone(), page.clone());
        Callback::from(move |e: Event| {
            page.set(1);
            action.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let go = |to: u32| {
        let page = page.clone();
        Callback::from(move |_| page.set(to))
    };
    let body = match &*entries {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Ok(found)) if found.items.is_empty() => {
            html! { <p class="muted" data-testid="history-empty">{ "Nothing has happened here yet." }</p> }
        }
        Some(Ok(found)) => {
            // The API pages no deeper than its page limit.
            let pages = found
                .total
                .div_ceil(u64::from(PER_PAGE))
                .clamp(1, u64::from(cpaas_shared::page::MAX_PAGE));
            let current = u64::from(*page);
            html! {
                <>
                    <table class="grid" data-testid="history">
                        <thead><tr><th>{ "When (UTC)" }</th><th>{ "Who" }</th><th>{ "What" }</th><th>{ "Changes" }</th></tr></thead>
                        <tbody>
                            { for found.items.iter().map(|entry| html! {
                                <tr>
                                    <td>{ when(&entry.at) }</td>
                                    <td>{ entry.actor.clone() }</td>
                                    <td>{ entry.summary.clone() }</td>
                                    <td>{ for entry.changes.iter().map(|c| html! {
                                        <div>{ format!("{}: {} → {}", c.field, c.old.as_deref().unwrap_or("—"), c.new.as_deref().unwrap_or("—")) }</div>
                                    }) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    <p class="pager muted">
                        <button class="link" disabled={current <= 1} onclick={go(page.saturating_sub(1))}>{ "‹ Newer" }</button>
                        { format!(" Page {current} of {pages} · {} entries ", found.total) }
                        <button class="link" disabled={current >= pages} onclick={go(*page + 1)}>{ "Older ›" }</button>
                    </p>
                </>
            }
        }
    };
    html! {
        <div>
            <label class="filter">{ "Show " }
                <select {onchange} data-testid="history-filter">
                    { for ACTIONS.iter().map(|(value, label)| html! {
                        <option value={*value} selected={*action == *value}>{ *label }</option>
                    }) }
                </select>
            </label>
            { body }
        </div>
    }
}
