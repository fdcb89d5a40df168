//! The guide's Delete Messages (R14): after a confirmation, the number's stored messages go and
//! the number stays; the answer says how many went.

use cpaas_shared::DeletedMessages;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;

#[derive(Properties, PartialEq)]
pub struct DeleteMessagesProps {
    pub token: String,
    /// The number's API URL.
    pub url: String,
}

#[derive(Clone, PartialEq)]
enum Step {
    Idle,
    Confirming,
    Done(String),
    Failed(String),
}

fn done(deleted: u64) -> String {
    match deleted {
        0 => "There were no stored messages.".to_owned(),
        1 => "1 message deleted.".to_owned(),
        n => format!("{n} messages deleted."),
    }
}

#[component]
pub fn DeleteMessages(props: &DeleteMessagesProps) -> Html {
    let step = use_state(|| Step::Idle);
    let to = |next: Step| {
        let step = step.clone();
        Callback::from(move |_| step.set(next.clone()))
    };
    let confirm = {
        let (step, token, url) = (step.clone(), props.token.clone(), props.url.clone());
        Callback::from(move |_| {
            let (step, token, url) = (step.clone(), token.clone(), format!("{url}/messages"));
            spawn_local(async move {
                step.set(
                    match api::delete_with::<DeletedMessages>(&token, &url).await {
                        Ok(result) => Step::Done(done(result.deleted)),
                        Err(err) => Step::Failed(err.message()),
                    },
                );
            });
        })
    };
    html! {
        <div class="delete-messages">
            { match &*step {
                Step::Confirming => html! {
                    <div class="confirm" role="alertdialog" data-testid="confirm-delete-messages">
                        <p>{ "Delete every stored message to and from this number? The number stays." }</p>
                        <button class="danger" onclick={confirm} data-testid="confirm">{ "Delete Messages" }</button>
                        <button onclick={to(Step::Idle)}>{ "Cancel" }</button>
                    </div>
                },
                Step::Done(text) => html! {
                    <p class="notice" role="status" data-testid="messages-deleted">{ text.clone() }</p>
                },
                Step::Failed(text) => html! {
                    <p class="error" role="alert">{ text.clone() }</p>
                },
                Step::Idle => html! {},
            } }
            if !matches!(*step, Step::Confirming) {
                <button onclick={to(Step::Confirming)} data-testid="delete-messages">{ "Delete Messages…" }</button>
            }
        </div>
    }
}
