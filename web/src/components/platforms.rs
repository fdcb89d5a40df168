//! A provider's CPaaS Platforms tab: the platforms, and Add CPaaS Platform with the guide's
//! form. While no provider-level account receives alerts (R2) the guide's message is shown
//! instead of the button.

use gloo_net::http::Method;
use serde_json::Value;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::components::form::ResourceForm;
use crate::components::list::ResourceList;
use crate::entity::{Entity, NEW_PLATFORM_FIELDS};

const INTRO: &str = "Configure the cloud and clients to integrate with a CPaaS platform for MMS/SMS messaging. MMS includes SMS messaging, but when sending an MMS-compliant URL the message will be converted to MMS rather than sending an SMS with a URL. MMS is only available when the 'from' and 'to' numbers are both American numbers.";
const NO_RECIPIENT: &str = "CPaaS platforms cannot be added as there are no login users at the system provider level that are configured to receive alerts. These users will be notified of any issues surrounding CPaaS enablement and at least one user must be alerted.";

#[derive(Properties, PartialEq)]
pub struct PlatformsProps {
    pub token: String,
    pub provider: i64,
}

#[component]
pub fn Platforms(props: &PlatformsProps) -> Html {
    // The provider's count of alert recipients, fetched fresh (accounts may have changed).
    let recipients = use_state(|| None::<Result<u64, String>>);
    let adding = use_state(|| false);
    let reload = use_state(|| 0_u32);
    {
        let (recipients, token, id) = (recipients.clone(), props.token.clone(), props.provider);
        use_effect_with((id, *reload), move |_| {
            spawn_local(async move {
                let provider = api::get::<Value>(&token, &Entity::Provider.url(id)).await;
                recipients.set(Some(
                    provider
                        .map(|p| p["alert_recipients"].as_u64().unwrap_or_default())
                        .map_err(|e| e.message()),
                ));
            });
        });
    }
    let url = format!("{}/cpaas-platforms", Entity::Provider.url(props.provider));
    let open = |to: bool| {
        let adding = adding.clone();
        Callback::from(move |_| adding.set(to))
    };
    let on_saved = {
        let (adding, reload) = (adding.clone(), reload.clone());
        Callback::from(move |_| {
            adding.set(false);
            reload.set(*reload + 1);
        })
    };
    let add = match &*recipients {
        None => html! {},
        Some(Err(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Ok(0)) => html! {
            <p class="notice" role="alert" data-testid="no-alert-recipient">{ NO_RECIPIENT }</p>
        },
        Some(Ok(_)) if *adding => html! {
            <ResourceForm token={props.token.clone()} fields={NEW_PLATFORM_FIELDS} method={Method::POST}
                url={url.clone()} title="Add CPaaS Platform" submit="Add CPaaS Platform"
                testid="add-cpaas-platform" {on_saved}>
                <button type="button" onclick={open(false)}>{ "Cancel" }</button>
            </ResourceForm>
        },
        Some(Ok(_)) => html! {
            <p><button class="primary" onclick={open(true)} data-testid="add-platform-button">{ "Add CPaaS Platform" }</button></p>
        },
    };
    html! {
        <div>
            <p class="intro">{ INTRO }</p>
            <ResourceList token={props.token.clone()} {url} entity={Entity::Platform} can_add={false} searchable={false} reload={*reload} />
            { add }
        </div>
    }
}
