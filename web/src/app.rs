//! The root component: router, API status context, layout.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::{layout::Layout, status::StatusProvider};
use crate::route::{Route, switch};
use crate::session::SessionProvider;

#[component]
pub fn App() -> Html {
    html! {
        <BrowserRouter>
            <SessionProvider>
                <StatusProvider>
                    <Layout>
                        <Switch<Route> render={switch} />
                    </Layout>
                </StatusProvider>
            </SessionProvider>
        </BrowserRouter>
    }
}
