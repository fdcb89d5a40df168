//! Delete with a confirmation step; a refusal (children still there, the last alert recipient,
//! one's own account) is shown in place.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;

#[derive(Properties, PartialEq)]
pub struct DeleteProps {
    pub token: String,
    pub url: String,
    /// What is deleted, e.g. "reseller Kakapo".
    pub what: AttrValue,
    pub on_deleted: Callback<()>,
}

#[derive(Clone, PartialEq)]
enum Step {
    Idle,
    Confirming,
    Failed(String),
}

#[component]
pub fn DeleteButton(props: &DeleteProps) -> Html {
    let step = use_state(|| Step::Idle);
    let to = |next: Step| {
        let step = step.clone();
        Callback::from(move |_| step.set(next.clone()))
    };
    let confirm = {
        let step = step.clone();
        let (token, url, on_deleted) = (
            props.token.clone(),
            props.url.clone(),
            props.on_deleted.clone(),
        );
        Callback::from(move |_| {
            let (step, token, url, on_deleted) =
                (step.clone(), token.clone(), url.clone(), on_deleted.clone());
            spawn_local(async move {
                match api::delete(&token, &url).await {
                    Ok(()) => on_deleted.emit(()),
                    Err(err) => step.set(Step::Failed(err.message())),
                }
            });
        })
    };
    let body = match &*step {
        Step::Confirming => html! {
            <div class="confirm" role="alertdialog" data-testid="confirm-delete">
                <p>{ format!("Delete {}? This cannot be undone.", props.what) }</p>
                <button class="danger" onclick={confirm} data-testid="confirm">{ "Delete" }</button>
                <button onclick={to(Step::Idle)}>{ "Cancel" }</button>
            </div>
        },
        Step::Idle | Step::Failed(_) => html! {
            <button class="danger" onclick={to(Step::Confirming)} data-testid="delete">{ "Delete…" }</button>
        },
    };
    html! {
        <div class="delete">
            if let Step::Failed(message) = &*step {
                <p class="error" role="alert" data-testid="delete-error">{ message.clone() }</p>
            }
            { body }
        </div>
    }
}
