//! A paginated, searchable list of any resource with its "add" form under it: the child tabs
//! of every detail page.

use cpaas_shared::Page;
use gloo_net::http::Method;
use serde_json::Value;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::form::ResourceForm;
use crate::entity::Entity;
use crate::route::Route;

pub const PER_PAGE: u32 = 25;

/// How a column shows its value.
#[derive(Clone, Copy, PartialEq)]
pub enum Show {
    /// The field as text (flags as Yes/No).
    Text,
    /// A JSON pointer into the item, e.g. `/consumer/name`.
    Pointer,
    /// A null end date is the guide's "Active Assignment"; otherwise the date.
    EndDate,
    /// `sms` → SMS, `mms_sms` → MMS & SMS.
    Messaging,
}

#[derive(Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
    pub show: Show,
    /// Where the cell leads, besides the first column (which leads to the item).
    pub link: Option<fn(&Value) -> Option<Route>>,
    /// The API's `sort` name when the list can be ordered by this column.
    pub sort: Option<&'static str>,
}

pub const fn column(key: &'static str, label: &'static str) -> Column {
    Column {
        key,
        label,
        show: Show::Text,
        link: None,
        sort: None,
    }
}

impl Column {
    pub const fn showing(self, show: Show) -> Self {
        Self { show, ..self }
    }

    pub const fn sorting(self, name: &'static str) -> Self {
        Self {
            sort: Some(name),
            ..self
        }
    }

    pub const fn linking(self, link: fn(&Value) -> Option<Route>) -> Self {
        Self {
            link: Some(link),
            ..self
        }
    }

    pub fn text(&self, item: &Value) -> String {
        match self.show {
            Show::Text => cell(item.get(self.key)),
            Show::Pointer => cell(item.pointer(self.key)),
            Show::EndDate => match item.get(self.key).and_then(Value::as_str) {
                None => "Active Assignment".to_owned(),
                Some(at) => at.split('T').next().unwrap_or(at).to_owned(),
            },
            Show::Messaging => match item.get(self.key).and_then(Value::as_str) {
                Some("mms_sms") => "MMS & SMS".to_owned(),
                Some("sms") => "SMS".to_owned(),
                other => other.unwrap_or("—").to_owned(),
            },
        }
    }
}

/// `text` for a query string.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A cell as text: strings as they are, flags as Yes/No, nothing as a dash.
pub fn cell(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(true)) => "Yes".to_owned(),
        Some(Value::Bool(false)) => "No".to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "—".to_owned(),
    }
}

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub token: String,
    /// Lists (and creates) here, e.g. `/api/v1/providers/1/resellers`.
    pub url: String,
    /// What is listed: its columns, where a row leads, its "add" form.
    pub entity: Entity,
    /// Whether the "add" form is shown under the list.
    #[prop_or(true)]
    pub can_add: bool,
    /// Whether the API searches this list (a search box is shown).
    #[prop_or(true)]
    pub searchable: bool,
    /// Changing it reloads the list (after an add made elsewhere).
    #[prop_or_default]
    pub reload: u32,
}

#[component]
pub fn ResourceList(props: &ListProps) -> Html {
    let items = use_state(|| None::<Result<Page<Value>, String>>);
    let page = use_state(|| 1_u32);
    let typed = use_state(String::new);
    let search = use_state(String::new);
    let reload = use_state(|| 0_u32);
    // The API's sort name, `-` first for descending; empty for the list's own order.
    let sort = use_state(String::new);
    {
        let (items, token, url) = (items.clone(), props.token.clone(), props.url.clone());
        let deps = (
            props.url.clone(),
            *page,
            (*search).clone(),
            *reload + props.reload,
            (*sort).clone(),
        );
        use_effect_with(deps, move |(_, page, search, _, sort)| {
            let mut query = format!(
                "{url}?page={page}&per_page={PER_PAGE}&search={}",
                encode(search)
            );
            if !sort.is_empty() {
                query.push_str(&format!("&sort={}", encode(sort)));
            }
            spawn_local(async move {
                items.set(Some(
                    api::get(&token, &query).await.map_err(|e| e.message()),
                ));
            });
        });
    }
    let entity = props.entity;
    let noun = entity.noun();
    let slug = noun.replace(' ', "-");
    let onsearch = {
        let (typed, search, page) = (typed.clone(), search.clone(), page.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            page.set(1);
            search.set(typed.trim().to_owned());
        })
    };
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            typed.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let go = |to: u32| {
        let page = page.clone();
        Callback::from(move |_| page.set(to))
    };
    let list = match &*items {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Ok(found)) if found.items.is_empty() => {
            let text = if search.is_empty() {
                format!("No {}s yet.", noun)
            } else {
                format!("No {} matches “{}”.", noun, *search)
            };
            html! { <p class="muted" data-testid="empty">{ text }</p> }
        }
        Some(Ok(found)) => {
            let pages = found.total.div_ceil(u64::from(PER_PAGE)).max(1);
            let current = u64::from(*page);
            // The API pages no deeper than this; a search narrows a longer list.
            let deepest = u64::from(cpaas_shared::page::MAX_PAGE);
            html! {
                <>
                    <table class="grid" data-testid={format!("{slug}-list")}>
                        <thead><tr>{ for entity.columns().iter().map(|c| match c.sort {
                            None => html! { <th>{ c.label }</th> },
                            Some(name) => {
                                let (sort, page) = (sort.clone(), page.clone());
                                let mark = if *sort == name { " ▲" } else if *sort == format!("-{name}") { " ▼" } else { "" };
                                let onclick = Callback::from(move |_| {
                                    page.set(1);
                                    sort.set(if *sort == name { format!("-{name}") } else { name.to_owned() });
                                });
                                html! { <th><button class="link" {onclick} data-testid={format!("sort-{name}")}>{ format!("{}{mark}", c.label) }</button></th> }
                            }
                        }) }</tr></thead>
                        <tbody>
                            { for found.items.iter().map(|item| html! {
                                <tr>
                                    { for entity.columns().iter().enumerate().map(|(i, c)| {
                                        let text = c.text(item);
                                        let to = if i == 0 { Some(entity.route_of(item)) } else { c.link.and_then(|link| link(item)) };
                                        match to {
                                            Some(to) => html! { <td><Link<Route> {to}>{ text }</Link<Route>></td> },
                                            None => html! { <td>{ text }</td> },
                                        }
                                    }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    <p class="pager muted" data-testid="pager">
                        <button class="link" disabled={current <= 1} onclick={go(page.saturating_sub(1))}>{ "‹ Previous" }</button>
                        { if found.total_capped {
                            // Counting stopped: there are more than `total`, and more pages.
                            format!(" Page {current} of {pages}+ · more than {} ", found.total)
                        } else {
                            format!(" Page {current} of {pages} · {} in all ", found.total)
                        } }
                        <button class="link" disabled={current >= deepest || (current >= pages && !found.total_capped)} onclick={go(*page + 1)} data-testid="next-page">{ "Next ›" }</button>
                        if current >= deepest && (pages > deepest || found.total_capped) {
                            <span data-testid="deepest-page">{ " · the last page shown: search to narrow the list" }</span>
                        }
                    </p>
                </>
            }
        }
    };
    let on_saved = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    html! {
        <div class="children">
            if props.searchable {
                <form class="search" onsubmit={onsearch} role="search">
                    <input type="search" placeholder={format!("Search {}s", noun)} value={(*typed).clone()} {oninput} data-testid={format!("{slug}-search")} />
                    <button type="submit">{ "Search" }</button>
                </form>
            }
            { list }
            if props.can_add {
                <ResourceForm token={props.token.clone()} fields={entity.new_fields()} method={Method::POST}
                    url={props.url.clone()} title={format!("Add {noun}")} submit={format!("Add {noun}")}
                    testid={format!("add-{slug}")} {on_saved} />
            }
        </div>
    }
}
