//! The SPA's routes. The api serves `index.html` for every non-API path, so each of these can
//! be loaded directly (deep links, reloads).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::{
    dashboard::Dashboard,
    login::Login,
    not_found::NotFound,
    organization::{CustomerPage, ResellerPage},
    provider::ProviderPage,
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
    #[not_found]
    #[at("/404")]
    NotFound,
}

pub fn switch(route: Route) -> Html {
    match route {
        Route::Dashboard => html! { <Dashboard /> },
        Route::Login => html! { <Login /> },
        Route::Provider { id } => html! { <ProviderPage {id} /> },
        Route::Reseller { id } => html! { <ResellerPage {id} /> },
        Route::Customer { id } => html! { <CustomerPage {id} /> },
        Route::NotFound => html! { <NotFound /> },
    }
}
