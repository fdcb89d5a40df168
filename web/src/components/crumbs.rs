//! Breadcrumbs: the resource's ancestors up to the highest one the account may see (a fetch
//! outside its subtree answers 404 and ends the walk).

use serde_json::Value;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::entity::Entity;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct CrumbsProps {
    pub token: String,
    pub entity: Entity,
    pub item: Value,
}

#[component]
pub fn Crumbs(props: &CrumbsProps) -> Html {
    let ancestors = use_state(Vec::<(Entity, i64, String)>::new);
    {
        let (ancestors, token) = (ancestors.clone(), props.token.clone());
        let start = props.entity.parent(&props.item);
        use_effect_with(start, move |start| {
            let mut next = *start;
            spawn_local(async move {
                let mut found = Vec::new();
                while let Some((entity, id)) = next {
                    let Ok(item) = api::get::<Value>(&token, &entity.url(id)).await else {
                        break;
                    };
                    found.push((entity, id, entity.label(&item)));
                    next = entity.parent(&item);
                }
                found.reverse();
                ancestors.set(found);
            });
        });
    }
    html! {
        <nav class="crumbs" aria-label="Breadcrumbs" data-testid="crumbs">
            { for ancestors.iter().map(|(entity, id, label)| html! {
                <>
                    <Link<Route> to={entity.route(*id)}>{ format!("{} {label}", entity.title()) }</Link<Route>>
                    <span class="sep">{ " › " }</span>
                </>
            }) }
            <span aria-current="page">{ props.entity.label(&props.item) }</span>
        </nav>
    }
}
