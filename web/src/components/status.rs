//! Fetches the API's readiness once and shares it through a context.

use cpaas_shared::ReadyStatus;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiStatus {
    Loading,
    Ready(ReadyStatus),
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct StatusProviderProps {
    pub children: Html,
}

#[component]
pub fn StatusProvider(props: &StatusProviderProps) -> Html {
    let status = use_state(|| ApiStatus::Loading);
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                status.set(match api::readiness().await {
                    Ok(ready) => ApiStatus::Ready(ready),
                    Err(err) => ApiStatus::Failed(err.message()),
                });
            });
        });
    }
    html! {
        <ContextProvider<ApiStatus> context={(*status).clone()}>
            { props.children.clone() }
        </ContextProvider<ApiStatus>>
    }
}

/// The current API status (Loading until the first answer).
#[hook]
pub fn use_api_status() -> ApiStatus {
    use_context::<ApiStatus>().unwrap_or(ApiStatus::Loading)
}
