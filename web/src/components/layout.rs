//! The product's frame: header with navigation, content area, status footer.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::status::{ApiStatus, use_api_status};
use crate::route::Route;
use crate::session::{sign_out, use_session};

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
                    <SimulatorLink />
                    <a href="/api/docs/">{ "API documentation" }</a>
                </nav>
                <AccountMenu />
            </header>
            <main class="content">{ props.children.clone() }</main>
            <StatusFooter />
        </div>
    }
}

/// Dev mode: the Simulator page, for operators when the api runs the built-in simulator.
#[component]
fn SimulatorLink() -> Html {
    let status = use_api_status();
    let operator = use_session()
        .and_then(|s| s.signed_in.as_ref().map(|s| s.account.operator))
        .unwrap_or(false);
    let simulated = matches!(status, ApiStatus::Ready(ready) if ready.carrier == "simulator");
    if operator && simulated {
        html! { <Link<Route> to={Route::Simulator}><span data-testid="simulator-link">{ "Simulator" }</span></Link<Route>> }
    } else {
        html! {}
    }
}

/// The signed-in account with Sign out, or the Sign in link.
#[component]
fn AccountMenu() -> Html {
    let Some(session) = use_session() else {
        return html! {};
    };
    match &session.signed_in {
        Some(signed_in) => {
            let onclick = {
                let session = session.clone();
                Callback::from(move |_| sign_out(&session))
            };
            html! {
                <div class="account">
                    <span data-testid="signed-in-as">{ signed_in.account.email.clone() }</span>
                    <button class="link" data-testid="sign-out" {onclick}>{ "Sign out" }</button>
                </div>
            }
        }
        None => html! {
            <div class="account">
                <Link<Route> to={Route::Login}>{ "Sign in" }</Link<Route>>
            </div>
        },
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
