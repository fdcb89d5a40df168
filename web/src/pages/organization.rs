//! Reseller and customer pages: the organization's name, a way back up, and its child tabs
//! (a reseller's customers; a customer's users).

use cpaas_shared::{EndUser, NewEndUser, Organization, OrganizationKind};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::children::Children;
use crate::route::Route;
use crate::session::use_session;

#[derive(Properties, PartialEq)]
pub struct OrgPageProps {
    pub id: i64,
}

fn parent_route(org: &Organization) -> Route {
    match org.parent_kind {
        OrganizationKind::Reseller => Route::Reseller { id: org.parent_id },
        _ => Route::Provider { id: org.parent_id },
    }
}

/// Loads `/api/v1/{collection}/{id}` and renders its page, or the sign-in prompt.
#[derive(Properties, PartialEq)]
struct LoaderProps {
    collection: &'static str,
    id: i64,
}

#[component]
fn OrgLoader(props: &LoaderProps) -> Html {
    let org = use_state(|| None::<Result<Organization, String>>);
    let token = use_session().and_then(|s| s.signed_in.as_ref().map(|s| s.token.clone()));
    {
        let (org, token, collection, id) = (org.clone(), token.clone(), props.collection, props.id);
        use_effect_with((collection, id, token.is_some()), move |_| {
            if let Some(token) = token {
                spawn_local(async move {
                    org.set(Some(
                        api::organization(&token, collection, id)
                            .await
                            .map_err(|e| e.message()),
                    ));
                });
            }
        });
    }
    let Some(token) = token else {
        return html! {
            <section data-testid="sign-in-required">
                <p>{ "Sign in to see this page. " }<Link<Route> to={Route::Login}>{ "Sign in" }</Link<Route>></p>
            </section>
        };
    };
    match &*org {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => html! { <p class="error">{ message.clone() }</p> },
        Some(Ok(org)) if props.collection == "resellers" => reseller_body(org, &token),
        Some(Ok(org)) => customer_body(org, &token),
    }
}

#[component]
pub fn ResellerPage(props: &OrgPageProps) -> Html {
    html! { <OrgLoader collection="resellers" id={props.id} /> }
}

#[component]
pub fn CustomerPage(props: &OrgPageProps) -> Html {
    html! { <OrgLoader collection="customers" id={props.id} /> }
}

fn reseller_body(org: &Organization, token: &str) -> Html {
    html! {
        <section>
            <p class="crumbs"><Link<Route> to={parent_route(org)}>{ "← System provider" }</Link<Route>></p>
            <h1 data-testid="page-title">{ format!("Reseller {}", org.name) }</h1>
            <h2>{ "Customers" }</h2>
            <Children token={token.to_owned()} url={format!("/api/v1/resellers/{}/customers", org.id)} noun="customer" />
        </section>
    }
}

fn customer_body(org: &Organization, token: &str) -> Html {
    html! {
        <section>
            <p class="crumbs"><Link<Route> to={parent_route(org)}>{ "← Up one level" }</Link<Route>></p>
            <h1 data-testid="page-title">{ format!("Customer {}", org.name) }</h1>
            <h2>{ "Users" }</h2>
            <Users token={token.to_owned()} customer={org.id} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct UsersProps {
    token: String,
    customer: i64,
}

#[component]
fn Users(props: &UsersProps) -> Html {
    let users = use_state(|| None::<Result<Vec<EndUser>, String>>);
    let reload = use_state(|| 0_u32);
    let user_id = use_state(String::new);
    let name = use_state(String::new);
    let problems = use_state(|| (None::<String>, None::<String>, None::<String>));
    {
        let (users, token, customer) = (users.clone(), props.token.clone(), props.customer);
        use_effect_with((customer, *reload), move |_| {
            spawn_local(async move {
                users.set(Some(
                    api::users(&token, customer)
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
        let (user_id, name, problems, reload) = (
            user_id.clone(),
            name.clone(),
            problems.clone(),
            reload.clone(),
        );
        let (token, customer) = (props.token.clone(), props.customer);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = NewEndUser {
                user_id: Some((*user_id).clone()),
                name: Some((*name).clone()),
                ..NewEndUser::default()
            };
            let (user_id, name, problems, reload, token) = (
                user_id.clone(),
                name.clone(),
                problems.clone(),
                reload.clone(),
                token.clone(),
            );
            spawn_local(async move {
                match api::create_user(&token, customer, &body).await {
                    Ok(_) => {
                        user_id.set(String::new());
                        name.set(String::new());
                        problems.set((None, None, None));
                        reload.set(*reload + 1);
                    }
                    Err(err) => {
                        let (u, n) = (err.field("user_id"), err.field("name"));
                        let form = (u.is_none() && n.is_none()).then(|| err.message());
                        problems.set((form, u, n));
                    }
                }
            });
        })
    };
    let list = match &*users {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => html! { <p class="error">{ message.clone() }</p> },
        Some(Ok(users)) if users.is_empty() => html! { <p class="muted">{ "No users yet." }</p> },
        Some(Ok(users)) => html! {
            <table class="grid" data-testid="user-list">
                <thead><tr><th>{ "User ID" }</th><th>{ "Name" }</th></tr></thead>
                <tbody>{ for users.iter().map(|u| html! { <tr><td>{ u.user_id.clone() }</td><td>{ u.name.clone() }</td></tr> }) }</tbody>
            </table>
        },
    };
    let (form_error, id_error, name_error) = (*problems).clone();
    let field_error = |problem: Option<String>, id: &'static str| match problem {
        Some(text) => html! { <p class="field-error" data-testid={id}>{ text }</p> },
        None => html! {},
    };
    html! {
        <div class="children">
            { list }
            <form class="card form wide" {onsubmit} novalidate=true>
                <h2>{ "Add user" }</h2>
                if let Some(text) = form_error { <p class="error" role="alert">{ text }</p> }
                <label for="user-id">{ "User ID (must match the BroadWorks user id)" }</label>
                <input id="user-id" value={(*user_id).clone()} oninput={bind(&user_id)} />
                { field_error(id_error, "user-id-error") }
                <label for="user-name">{ "Name" }</label>
                <input id="user-name" value={(*name).clone()} oninput={bind(&name)} />
                { field_error(name_error, "user-name-error") }
                <button type="submit">{ "Add user" }</button>
            </form>
        </div>
    }
}
