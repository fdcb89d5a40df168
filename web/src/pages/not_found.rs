use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;

#[component]
pub fn NotFound() -> Html {
    html! {
        <section>
            <h1 data-testid="not-found">{ "Page not found" }</h1>
            <p>{ "There is nothing at this address yet." }</p>
            <Link<Route> to={Route::Dashboard}>{ "Back to the dashboard" }</Link<Route>>
        </section>
    }
}
