//! An SMS media stream's SMS configuration (R10): its number (checked as it is typed), the
//! platform when there are several, MMS available, remote numbers can be blocked and the
//! initial reply within business hours. Once set it shows the number and its provisioning
//! state, changes the settings, or removes the number.

use std::collections::BTreeMap;

use cpaas_shared::{CpaasNumber, MediaStreamSms, MessagingType, Page, PlatformChoice};
use gloo_net::http::Method;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiClientError};
use crate::components::delete::DeleteButton;
use crate::components::numbers::number_note;
use crate::entity::Entity;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct StreamSmsProps {
    pub token: String,
    pub stream: i64,
}

#[component]
pub fn StreamSms(props: &StreamSmsProps) -> Html {
    let current = use_state(|| None::<Result<Option<CpaasNumber>, String>>);
    let platforms = use_state(Vec::<PlatformChoice>::new);
    let reload = use_state(|| 0_u32);
    let number = use_state(String::new);
    let platform = use_state(|| None::<i64>);
    let mms = use_state(|| false);
    let blocking = use_state(|| true);
    let reply = use_state(String::new);
    let errors = use_state(BTreeMap::<String, String>::new);
    let banner = use_state(|| None::<(bool, String)>);
    let base = format!("{}/sms", Entity::MediaStream.url(props.stream));
    {
        let (current, platforms, token, stream) = (
            current.clone(),
            platforms.clone(),
            props.token.clone(),
            props.stream,
        );
        let (mms, blocking, reply, base) =
            (mms.clone(), blocking.clone(), reply.clone(), base.clone());
        use_effect_with((stream, *reload), move |_| {
            spawn_local(async move {
                let url = format!("{}/cpaas-platforms", Entity::MediaStream.url(stream));
                if let Ok(page) = api::get::<Page<PlatformChoice>>(&token, &url).await {
                    platforms.set(page.items);
                }
                current.set(Some(match api::get::<CpaasNumber>(&token, &base).await {
                    Ok(n) => {
                        mms.set(n.messaging_type == MessagingType::MmsSms);
                        blocking.set(n.user_can_block_numbers);
                        reply.set(n.initial_reply.clone().unwrap_or_default());
                        Ok(Some(n))
                    }
                    Err(ApiClientError::Api { status: 404, .. }) => Ok(None),
                    Err(err) => Err(err.message()),
                }));
            });
        });
    }
    let typed = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let flip = |state: &UseStateHandle<bool>| {
        let state = state.clone();
        Callback::from(move |_| state.set(!*state))
    };
    let choose = {
        let platform = platform.clone();
        Callback::from(move |e: Event| {
            platform.set(
                e.target_unchecked_into::<HtmlInputElement>()
                    .value()
                    .parse()
                    .ok(),
            )
        })
    };
    let configured = matches!(&*current, Some(Ok(Some(_))));
    let onsubmit = {
        let (number, platform, mms, blocking, reply) = (
            number.clone(),
            platform.clone(),
            mms.clone(),
            blocking.clone(),
            reply.clone(),
        );
        let (errors, banner, reload, token, base) = (
            errors.clone(),
            banner.clone(),
            reload.clone(),
            props.token.clone(),
            base.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = MediaStreamSms {
                number: (!configured).then(|| (*number).clone()),
                platform_id: *platform,
                mms_available: Some(*mms),
                remote_numbers_can_be_blocked: Some(*blocking),
                initial_reply: Some((*reply).clone()),
            };
            let body = serde_json::to_value(body).unwrap_or_default();
            let (errors, banner, reload, token, base) = (
                errors.clone(),
                banner.clone(),
                reload.clone(),
                token.clone(),
                base.clone(),
            );
            spawn_local(async move {
                match api::write(&token, Method::PUT, &base, &body).await {
                    Ok(_) => {
                        errors.set(BTreeMap::new());
                        banner.set(Some((true, "Saved.".to_owned())));
                        reload.set(*reload + 1);
                    }
                    Err(err) => {
                        errors.set(err.fields().into_iter().collect());
                        banner.set(Some((false, err.message())));
                    }
                }
            });
        })
    };
    let error = |field: &str| match errors.get(field) {
        Some(problem) => {
            html! { <p class="field-error" data-testid={format!("{field}-error")}>{ problem.clone() }</p> }
        }
        None => html! {},
    };
    let number_part = match &*current {
        Some(Ok(Some(n))) => html! {
            <dl class="facts" data-testid="stream-number">
                <dt>{ "Number" }</dt>
                <dd><Link<Route> to={Route::Number { id: n.id }}>{ n.display.clone() }</Link<Route>></dd>
                <dt>{ "Provisioning" }</dt><dd data-testid="stream-provisioning">{ format!("{:?}", n.provisioning.state) }</dd>
            </dl>
        },
        _ => html! {
            <>
                <label for="sms-number">{ "Number" }</label>
                <input id="sms-number" value={(*number).clone()} oninput={typed(&number)} placeholder="(201) 992-0781" />
                { number_note(&number, errors.get("number")) }
                if platforms.len() > 1 {
                    <label for="sms-platform">{ "CPaaS Platform" }</label>
                    <select id="sms-platform" onchange={choose}>
                        <option value="" selected={platform.is_none()}>{ "Choose a platform" }</option>
                        { for platforms.iter().map(|p| html! { <option value={p.id.to_string()}>{ p.name.clone() }</option> }) }
                    </select>
                    { error("platform_id") }
                }
            </>
        },
    };
    let body = match &*current {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Ok(_)) if platforms.is_empty() && !configured => html! {
            <p class="muted">{ "The system provider has no CPaaS platform yet." }</p>
        },
        Some(Ok(_)) => html! {
            <form class="card form wide" {onsubmit} novalidate=true data-testid="stream-sms">
                <h2>{ "SMS Configuration" }</h2>
                { match &*banner {
                    Some((true, text)) => html! { <p class="ok" role="status" data-testid="form-ok">{ text.clone() }</p> },
                    Some((false, text)) => html! { <p class="error" role="alert" data-testid="form-error">{ text.clone() }</p> },
                    None => html! {},
                } }
                { number_part }
                <label class="check"><input id="sms-mms" type="checkbox" checked={*mms} onclick={flip(&mms)} />{ " MMS Available" }</label>
                { error("messaging_type") }
                <label class="check"><input id="sms-blocking" type="checkbox" checked={*blocking} onclick={flip(&blocking)} />{ " Remote Numbers Can Be Blocked" }</label>
                <label for="sms-reply">{ "Initial Reply (within business hours)" }</label>
                <input id="sms-reply" value={(*reply).clone()} oninput={typed(&reply)} />
                { error("initial_reply") }
                <div class="actions"><button type="submit">{ if configured { "Update" } else { "Add CPaaS Number" } }</button></div>
            </form>
        },
    };
    let on_deleted = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    html! {
        <div class="stream-sms">
            { body }
            if configured {
                <DeleteButton token={props.token.clone()} url={base.clone()} what="this stream's SMS number" {on_deleted} />
            }
        </div>
    }
}
