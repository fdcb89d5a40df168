//! The SPA's routes. The api serves `index.html` for every non-API path, so each of these can
//! be loaded directly (deep links, reloads).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::entity::Entity;
use crate::pages::{
    client::ClientPage, dashboard::Dashboard, detail::DetailPage, login::Login,
    not_found::NotFound, simulator::SimulatorPage,
};

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Dashboard,
    #[at("/login")]
    Login,
    #[at("/providers/:id")]
    Provider { id: i64 },
    #[at("/resellers/:id")]
    Reseller { id: i64 },
    #[at("/customers/:id")]
    Customer { id: i64 },
    #[at("/users/:id")]
    User { id: i64 },
    #[at("/queues/:id")]
    Queue { id: i64 },
    #[at("/media-streams/:id")]
    MediaStream { id: i64 },
    #[at("/portal-accounts/:id")]
    PortalAccount { id: i64 },
    #[at("/cpaas-platforms/:id")]
    Platform { id: i64 },
    #[at("/cpaas-numbers/:id")]
    Number { id: i64 },
    #[at("/simulator")]
    Simulator,
    /// The end users' minimal client view (opt-in).
    #[at("/client")]
    Client,
    #[not_found]
    #[at("/404")]
    NotFound,
}

pub fn switch(route: Route) -> Html {
    let (entity, id) = match route {
        Route::Dashboard => return html! { <Dashboard /> },
        Route::Login => return html! { <Login /> },
        Route::NotFound => return html! { <NotFound /> },
        Route::Simulator => return html! { <SimulatorPage /> },
        Route::Client => return html! { <ClientPage /> },
        Route::Provider { id } => (Entity::Provider, id),
        Route::Reseller { id } => (Entity::Reseller, id),
        Route::Customer { id } => (Entity::Customer, id),
        Route::User { id } => (Entity::User, id),
        Route::Queue { id } => (Entity::Queue, id),
        Route::MediaStream { id } => (Entity::MediaStream, id),
        Route::PortalAccount { id } => (Entity::PortalAccount, id),
        Route::Platform { id } => (Entity::Platform, id),
        Route::Number { id } => (Entity::Number, id),
    };
    // Keyed, so moving between two pages of the same kind starts fresh (Details tab, reload).
    html! { <DetailPage key={format!("{}/{id}", entity.collection())} {entity} {id} /> }
}
