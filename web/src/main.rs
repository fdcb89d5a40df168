//! CPaaS Bridge admin SPA entry point.

mod api;
mod app;
mod components;
mod entity;
mod pages;
mod route;
mod session;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
