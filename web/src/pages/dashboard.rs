//! The landing page: what the API reports about itself.

use yew::prelude::*;

use yew_router::prelude::*;

use crate::components::list::ResourceList;
use crate::components::status::{ApiStatus, use_api_status};
use crate::entity::Entity;
use crate::route::Route;
use crate::session::use_session;

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
    // Every account lands on its own organization: a customer admin never sees a provider page.
    let session = use_session();
    let signed_in = session.as_ref().and_then(|s| s.signed_in.as_ref());
    let organization = signed_in.map(|s| {
        let kind = Entity::of_organization(s.account.organization_kind);
        (kind, s.account.organization_id)
    });
    // Operators manage every system provider from here.
    let operator_token = signed_in
        .filter(|s| s.account.operator)
        .map(|s| s.token.clone());
    html! {
        <section>
            <h1>{ "Dashboard" }</h1>
            if let Some((kind, id)) = organization {
                <p>
                    <Link<Route> to={kind.route(id)} classes="button" >
                        <span data-testid="open-organization">{ format!("Open your {}", kind.noun()) }</span>
                    </Link<Route>>
                </p>
            }
            if let Some(token) = operator_token {
                <h2>{ "System Providers" }</h2>
                <ResourceList {token} url="/api/v1/providers" entity={Entity::Provider} />
            }
            <div class="card">
                <h2>{ "Service status" }</h2>
                { details }
            </div>
        </section>
    }
}
