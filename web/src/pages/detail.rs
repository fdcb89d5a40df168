//! Every resource's page: breadcrumbs, title, and the guide's tabs (Details with the edit form
//! and Delete, Portal User Accounts, the child lists, History Log).

use gloo_net::http::Method;
use serde_json::Value;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::billing::Billing;
use crate::components::crumbs::Crumbs;
use crate::components::delete::DeleteButton;
use crate::components::delete_messages::DeleteMessages;
use crate::components::form::ResourceForm;
use crate::components::history::HistoryLog;
use crate::components::import::ImportNumbers;
use crate::components::list::ResourceList;
use crate::components::number_status::NumberStatus;
use crate::components::numbers::UserNumbers;
use crate::components::platforms::Platforms;
use crate::components::stream_sms::StreamSms;
use crate::entity::{CLIENT_PASSWORD_FIELDS, Entity, Tab};
use crate::route::Route;
use crate::session::use_session;

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub entity: Entity,
    pub id: i64,
}

#[component]
pub fn DetailPage(props: &DetailProps) -> Html {
    let (entity, id) = (props.entity, props.id);
    let item = use_state(|| None::<Result<Value, String>>);
    let tab = use_state(|| Tab::Details);
    let navigator = use_navigator();
    let session = use_session();
    let signed_in = session.as_ref().and_then(|s| s.signed_in.as_ref());
    let operator = signed_in.is_some_and(|s| s.account.operator);
    let token = signed_in.map(|s| s.token.clone());
    {
        let (item, token) = (item.clone(), token.clone());
        use_effect_with((entity, id, token.is_some()), move |_| {
            if let Some(token) = token {
                spawn_local(async move {
                    item.set(Some(
                        api::get(&token, &entity.url(id))
                            .await
                            .map_err(|e| e.message()),
                    ));
                });
            }
        });
    }
    let Some(token) = token else {
        return html! {
            <section data-testid="sign-in-required">
                <h1>{ entity.title() }</h1>
                <p>{ "Sign in to see this page. " }<Link<Route> to={Route::Login}>{ "Sign in" }</Link<Route>></p>
            </section>
        };
    };
    let current = match &*item {
        None => return html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => {
            return html! { <p class="error" role="alert" data-testid="load-error">{ message.clone() }</p> };
        }
        Some(Ok(current)) => current.clone(),
    };
    let select = |to: Tab| {
        let tab = tab.clone();
        Callback::from(move |_| tab.set(to))
    };
    let base = entity.url(id);
    let body = match *tab {
        Tab::Details => {
            let on_saved = {
                let item = item.clone();
                Callback::from(move |saved: Value| item.set(Some(Ok(saved))))
            };
            let on_deleted = {
                let up = entity.parent(&current).map(|(e, id)| e.route(id));
                Callback::from(move |()| {
                    if let Some(navigator) = &navigator {
                        navigator.push(&up.clone().unwrap_or(Route::Dashboard));
                    }
                })
            };
            html! {
                <>
                    <ResourceForm token={token.clone()} fields={entity.fields()} method={Method::PATCH}
                        url={base.clone()} initial={Some(current.clone())} submit={format!("Update {}", entity.title())}
                        testid="details" on_saved={on_saved.clone()} />
                    if entity == Entity::Number {
                        <NumberStatus token={token.clone()} item={current.clone()} on_change={on_saved} />
                        <DeleteMessages token={token.clone()} url={base.clone()} />
                        // The guide's Cancel: back to the user or media stream, nothing saved.
                        <button type="button" onclick={on_deleted.reform(|_: MouseEvent| ())} data-testid="cancel">{ "Cancel" }</button>
                    }
                    if entity == Entity::MediaStream && current["media_type"] == "sms" {
                        <StreamSms token={token.clone()} stream={id} />
                    }
                    if entity == Entity::User {
                        <ResourceForm token={token.clone()} fields={CLIENT_PASSWORD_FIELDS} method={Method::PUT}
                            url={format!("{base}/client-password")} title="Client sign-in" submit="Set client password"
                            testid="client-password" on_saved={Callback::noop()} />
                    }
                    // Only operators delete providers (the API says so too).
                    if entity != Entity::Provider || operator {
                        <DeleteButton token={token.clone()} url={base.clone()}
                            what={format!("{} {}", entity.noun(), entity.label(&current))} {on_deleted} />
                    }
                </>
            }
        }
        Tab::Platforms => html! { <Platforms token={token.clone()} provider={id} /> },
        Tab::Billing => html! { <Billing token={token.clone()} provider={id} /> },
        Tab::Import => html! { <ImportNumbers token={token.clone()} customer={id} /> },
        Tab::Numbers if entity == Entity::User => {
            html! { <UserNumbers token={token.clone()} user={id} /> }
        }
        Tab::Numbers => html! {
            <ResourceList token={token.clone()} url={format!("{base}/cpaas-numbers")} entity={Entity::Number} can_add={false} />
        },
        Tab::PortalAccounts => html! {
            <ResourceList token={token.clone()} url={format!("{base}/portal-accounts")} entity={Entity::PortalAccount} />
        },
        Tab::Children(child) => html! {
            <ResourceList token={token.clone()} url={format!("{base}/{}", child.collection())} entity={child} />
        },
        Tab::History => {
            html! { <HistoryLog token={token.clone()} url={format!("{base}/history")} /> }
        }
    };
    html! {
        <section>
            <Crumbs token={token.clone()} {entity} item={current.clone()} />
            <h1 data-testid="page-title">{ format!("{} {}", entity.title(), entity.label(&current)) }</h1>
            if entity.tabs().len() > 1 {
                <nav class="tabs" aria-label={entity.title()}>
                    { for entity.tabs().iter().map(|t| html! {
                        <button class={if *tab == *t { "tab active" } else { "tab" }} onclick={select(*t)}
                            data-testid={t.testid()}>{ t.label() }</button>
                    }) }
                </nav>
            }
            { body }
        </section>
    }
}
