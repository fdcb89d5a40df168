//! A list of resellers or customers with an inline "add" form: the child tabs of the
//! hierarchy pages. Field problems from the API appear under their field.

use cpaas_shared::{NewOrganization, Organization};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct ChildrenProps {
    pub token: String,
    /// Lists and creates here, e.g. `/api/v1/providers/1/resellers`.
    pub url: String,
    /// "reseller" or "customer".
    pub noun: &'static str,
}

fn route_of(org: &Organization) -> Route {
    match org.kind {
        cpaas_shared::OrganizationKind::Reseller => Route::Reseller { id: org.id },
        _ => Route::Customer { id: org.id },
    }
}

#[component]
pub fn Children(props: &ChildrenProps) -> Html {
    let items = use_state(|| None::<Result<Vec<Organization>, String>>);
    let reload = use_state(|| 0_u32);
    let name = use_state(String::new);
    let timezone = use_state(String::new);
    let problems = use_state(|| (None::<String>, None::<String>, None::<String>));
    {
        let (items, token, url) = (items.clone(), props.token.clone(), props.url.clone());
        use_effect_with((props.url.clone(), *reload), move |_| {
            spawn_local(async move {
                items.set(Some(
                    api::organizations(&token, &url)
                        .await
                        .map(|p| p.items)
                        .map_err(|e| e.message()),
                ));
            });
        });
    }
    let bind = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            state.set(input.value());
        })
    };
    let onsubmit = {
        let (name, timezone, problems, reload) = (
            name.clone(),
            timezone.clone(),
            problems.clone(),
            reload.clone(),
        );
        let (token, url) = (props.token.clone(), props.url.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = NewOrganization {
                name: Some((*name).clone()),
                timezone: Some((*timezone).clone()).filter(|t| !t.trim().is_empty()),
                ..NewOrganization::default()
            };
            let (name, timezone, problems, reload, token, url) = (
                name.clone(),
                timezone.clone(),
                problems.clone(),
                reload.clone(),
                token.clone(),
                url.clone(),
            );
            spawn_local(async move {
                match api::create_organization(&token, &url, &body).await {
                    Ok(_) => {
                        name.set(String::new());
                        timezone.set(String::new());
                        problems.set((None, None, None));
                        reload.set(*reload + 1);
                    }
                    Err(err) => {
                        let (n, t) = (err.field("name"), err.field("timezone"));
                        let form = (n.is_none() && t.is_none()).then(|| err.message());
                        problems.set((form, n, t));
                    }
                }
            });
        })
    };
    let list = match &*items {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => html! { <p class="error">{ message.clone() }</p> },
        Some(Ok(items)) if items.is_empty() => {
            html! { <p class="muted" data-testid="empty">{ format!("No {}s yet.", props.noun) }</p> }
        }
        Some(Ok(items)) => html! {
            <table class="grid" data-testid={format!("{}-list", props.noun)}>
                <thead><tr><th>{ "Name" }</th><th>{ "Timezone" }</th></tr></thead>
                <tbody>
                    { for items.iter().map(|org| html! {
                        <tr>
                            <td><Link<Route> to={route_of(org)}>{ org.name.clone() }</Link<Route>></td>
                            <td>{ org.timezone.clone().unwrap_or_else(|| "Not set".into()) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        },
    };
    let (form_error, name_error, tz_error) = (*problems).clone();
    let field_error = |problem: Option<String>, id: String| match problem {
        Some(text) => html! { <p class="field-error" data-testid={id}>{ text }</p> },
        None => html! {},
    };
    let noun = props.noun;
    html! {
        <div class="children">
            { list }
            <form class="card form wide" {onsubmit} novalidate=true data-testid={format!("add-{noun}")}>
                <h2>{ format!("Add {noun}") }</h2>
                if let Some(text) = form_error { <p class="error" role="alert">{ text }</p> }
                <label for={format!("{noun}-name")}>{ "Name" }</label>
                <input id={format!("{noun}-name")} value={(*name).clone()} oninput={bind(&name)} />
                { field_error(name_error, format!("{noun}-name-error")) }
                <label for={format!("{noun}-timezone")}>{ "Timezone (optional, IANA)" }</label>
                <input id={format!("{noun}-timezone")} value={(*timezone).clone()} oninput={bind(&timezone)} />
                { field_error(tz_error, format!("{noun}-timezone-error")) }
                <button type="submit">{ format!("Add {noun}") }</button>
            </form>
        </div>
    }
}
