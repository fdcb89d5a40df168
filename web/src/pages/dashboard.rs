//! The landing page: what the API reports about itself.

use yew::prelude::*;

use crate::components::status::{ApiStatus, use_api_status};

#[component]
pub fn Dashboard() -> Html {
    let details = match use_api_status() {
        ApiStatus::Loading => html! { <p class="muted">{ "Loading…" }</p> },
        ApiStatus::Failed(message) => html! { <p class="error">{ message }</p> },
        ApiStatus::Ready(ready) => html! {
            <dl class="facts">
                <dt>{ "Status" }</dt><dd data-testid="api-status">{ "Ready" }</dd>
                <dt>{ "API version" }</dt><dd>{ ready.version }</dd>
                <dt>{ "Database" }</dt><dd>{ ready.database.label() }</dd>
                <dt>{ "Schema version" }</dt><dd data-testid="schema-version">{ ready.schema_version }</dd>
            </dl>
        },
    };
    html! {
        <section>
            <h1>{ "Dashboard" }</h1>
            <div class="card">
                <h2>{ "Service status" }</h2>
                { details }
            </div>
        </section>
    }
}
