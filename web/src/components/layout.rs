//! The product's frame: header with navigation, content area, status footer.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::status::{ApiStatus, use_api_status};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct LayoutProps {
    pub children: Html,
}

#[component]
pub fn Layout(props: &LayoutProps) -> Html {
    html! {
        <div class="shell">
            <header class="topbar">
                <Link<Route> to={Route::Dashboard} classes="brand">{ "CPaaS Bridge" }</Link<Route>>
                <nav class="nav" aria-label="Main">
                    <Link<Route> to={Route::Dashboard}>{ "Dashboard" }</Link<Route>>
                    <a href="/api/docs/">{ "API documentation" }</a>
                </nav>
            </header>
            <main class="content">{ props.children.clone() }</main>
            <StatusFooter />
        </div>
    }
}

#[component]
fn StatusFooter() -> Html {
    let body = match use_api_status() {
        ApiStatus::Loading => html! { <span>{ "Connecting to the API…" }</span> },
        ApiStatus::Ready(ready) => html! {
            <span>
                { "API " }<span data-testid="api-version">{ ready.version }</span>
                { " · database " }<span data-testid="db-backend">{ ready.database.label() }</span>
            </span>
        },
        ApiStatus::Failed(message) => html! {
            <span class="error" data-testid="api-error">{ message }</span>
        },
    };
    html! { <footer class="statusbar">{ body }</footer> }
}
