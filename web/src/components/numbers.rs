//! A user's CPaaS Numbers tab: the numbers, and Add CPaaS Number with the guide's assignment
//! form (shown only when the provider has a platform; the platform selector only when there
//! are several; MMS & SMS only where the platform has MMS). The number is checked as it is
//! typed, with the same parser the api uses.

use std::collections::BTreeMap;

use cpaas_shared::{MessagingType, NewCpaasNumber, Page, PhoneNumber, PlatformChoice};
use gloo_net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::list::ResourceList;
use crate::entity::Entity;

#[derive(Properties, PartialEq)]
pub struct UserNumbersProps {
    pub token: String,
    pub user: i64,
}

#[component]
pub fn UserNumbers(props: &UserNumbersProps) -> Html {
    let platforms = use_state(|| None::<Result<Vec<PlatformChoice>, String>>);
    let adding = use_state(|| false);
    let reload = use_state(|| 0_u32);
    {
        let (platforms, token, user) = (platforms.clone(), props.token.clone(), props.user);
        use_effect_with(user, move |_| {
            spawn_local(async move {
                let url = format!("{}/cpaas-platforms", Entity::User.url(user));
                platforms.set(Some(
                    api::get::<Page<PlatformChoice>>(&token, &url)
                        .await
                        .map(|p| p.items)
                        .map_err(|e| e.message()),
                ));
            });
        });
    }
    let open = |to: bool| {
        let adding = adding.clone();
        Callback::from(move |_| adding.set(to))
    };
    let on_saved = {
        let (adding, reload) = (adding.clone(), reload.clone());
        Callback::from(move |()| {
            adding.set(false);
            reload.set(*reload + 1);
        })
    };
    let add = match &*platforms {
        None => html! {},
        Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Ok(list)) if list.is_empty() => html! {
            <p class="muted" data-testid="no-platform">{ "The system provider has no CPaaS platform yet, so numbers cannot be assigned." }</p>
        },
        Some(Ok(list)) if *adding => html! {
            <AssignForm token={props.token.clone()} user={props.user} platforms={list.clone()} {on_saved} on_cancel={open(false)} />
        },
        Some(Ok(_)) => html! {
            <p><button class="primary" onclick={open(true)} data-testid="add-number-button">{ "Add CPaaS Number" }</button></p>
        },
    };
    html! {
        <div>
            <ResourceList token={props.token.clone()} url={format!("{}/cpaas-numbers", Entity::User.url(props.user))}
                entity={Entity::Number} can_add={false} reload={*reload} />
            { add }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AssignProps {
    token: String,
    user: i64,
    platforms: Vec<PlatformChoice>,
    on_saved: Callback<()>,
    on_cancel: Callback<MouseEvent>,
}

#[component]
fn AssignForm(props: &AssignProps) -> Html {
    let number = use_state(String::new);
    let friendly = use_state(String::new);
    let platform = use_state(|| (props.platforms.len() == 1).then(|| props.platforms[0].id));
    let messaging = use_state(|| MessagingType::Sms);
    let block = use_state(|| None::<bool>);
    let errors = use_state(BTreeMap::<String, String>::new);
    let banner = use_state(|| None::<String>);
    let chosen = props
        .platforms
        .iter()
        .find(|p| Some(p.id) == *platform)
        .cloned();
    let typed = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let choose_platform = {
        let (platform, messaging) = (platform.clone(), messaging.clone());
        Callback::from(move |e: Event| {
            platform.set(
                e.target_unchecked_into::<HtmlInputElement>()
                    .value()
                    .parse()
                    .ok(),
            );
            messaging.set(MessagingType::Sms);
        })
    };
    let choose_messaging = {
        let messaging = messaging.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            messaging.set(MessagingType::parse(&value).unwrap_or_default());
        })
    };
    let blocking =
        block.unwrap_or_else(|| chosen.as_ref().is_some_and(|p| p.user_can_block_numbers));
    let toggle = {
        let block = block.clone();
        Callback::from(move |_| block.set(Some(!blocking)))
    };
    let onsubmit = {
        let (number, friendly, platform, messaging, block) = (
            number.clone(),
            friendly.clone(),
            platform.clone(),
            messaging.clone(),
            block.clone(),
        );
        let (errors, banner, token, user, on_saved) = (
            errors.clone(),
            banner.clone(),
            props.token.clone(),
            props.user,
            props.on_saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = NewCpaasNumber {
                number: Some((*number).clone()),
                friendly_name: Some((*friendly).clone()).filter(|f| !f.trim().is_empty()),
                platform_id: *platform,
                messaging_type: Some(*messaging),
                user_can_block_numbers: *block,
            };
            let body = serde_json::to_value(body).unwrap_or_default();
            let (errors, banner, token, on_saved) = (
                errors.clone(),
                banner.clone(),
                token.clone(),
                on_saved.clone(),
            );
            spawn_local(async move {
                let url = format!("{}/cpaas-numbers", Entity::User.url(user));
                match api::write(&token, Method::POST, &url, &body).await {
                    Ok(_) => on_saved.emit(()),
                    Err(err) => {
                        let fields: BTreeMap<String, String> = err.fields().into_iter().collect();
                        banner.set(Some(err.message()));
                        errors.set(fields);
                    }
                }
            });
        })
    };
    // The number is checked as it is typed (the api says the same).
    let number_note = number_note(&number, errors.get("number"));
    let error = |field: &str| match errors.get(field) {
        Some(problem) => {
            html! { <p class="field-error" data-testid={format!("{field}-error")}>{ problem.clone() }</p> }
        }
        None => html! {},
    };
    let mms = chosen.as_ref().is_some_and(|p| p.mms_available);
    html! {
        <form class="card form wide" {onsubmit} novalidate=true data-testid="assign-number">
            <h2>{ "Add CPaaS Number" }</h2>
            if let Some(text) = &*banner { <p class="error" role="alert" data-testid="form-error">{ text.clone() }</p> }
            <label for="assign-number">{ "Number" }</label>
            <input id="assign-number" value={(*number).clone()} oninput={typed(&number)} placeholder="(201) 992-0780" />
            { number_note }
            <label for="assign-friendly">{ "Friendly Name (defaults to the number)" }</label>
            <input id="assign-friendly" value={(*friendly).clone()} oninput={typed(&friendly)} />
            { error("friendly_name") }
            if props.platforms.len() > 1 {
                <label for="assign-platform">{ "CPaaS Platform" }</label>
                <select id="assign-platform" onchange={choose_platform}>
                    <option value="" selected={platform.is_none()}>{ "Choose a platform" }</option>
                    { for props.platforms.iter().map(|p| html! {
                        <option value={p.id.to_string()} selected={Some(p.id) == *platform}>{ p.name.clone() }</option>
                    }) }
                </select>
                { error("platform_id") }
            }
            <label for="assign-messaging">{ "Messaging Type" }</label>
            <select id="assign-messaging" onchange={choose_messaging}>
                <option value="sms" selected={*messaging == MessagingType::Sms}>{ "SMS" }</option>
                if mms { <option value="mms_sms" selected={*messaging == MessagingType::MmsSms}>{ "MMS & SMS" }</option> }
            </select>
            { error("messaging_type") }
            <label class="check">
                <input id="assign-block" type="checkbox" checked={blocking} onclick={toggle} />
                { " User Can Block Numbers" }
            </label>
            <div class="actions">
                <button type="submit">{ "Add CPaaS Number" }</button>
                <button type="button" onclick={props.on_cancel.clone()}>{ "Cancel" }</button>
            </div>
        </form>
    }
}

/// Under a number field: the API's problem, or what `PhoneNumber` makes of what is typed (the
/// same parser the api uses), as it is typed.
pub fn number_note(typed: &str, api_problem: Option<&String>) -> Html {
    let live = (!typed.trim().is_empty()).then(|| PhoneNumber::parse(typed));
    match (&live, api_problem) {
        (_, Some(problem)) | (Some(Err(problem)), None) => {
            html! { <p class="field-error" data-testid="number-error">{ problem.clone() }</p> }
        }
        (Some(Ok(parsed)), None) => {
            html! { <p class="muted hint" data-testid="number-ok">{ format!("US number {parsed}") }</p> }
        }
        (None, None) => html! {},
    }
}
