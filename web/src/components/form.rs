//! One form for every resource, built from field descriptors: it creates (`POST`) or edits
//! (`PATCH`) through the API, shows each problem the API names under its field, keeps what was
//! typed on failure, and reports other errors above the fields.

use std::collections::BTreeMap;

use gloo_net::http::Method;
use serde_json::{Map, Value};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;

/// How a field is edited and sent.
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    /// A required string.
    Text,
    /// A string that may be empty (sent as `null`, which clears it).
    Optional,
    /// Write-only: left empty, it is not sent (an update keeps the stored one).
    Password,
    /// A whole number.
    Number,
    /// A checkbox.
    Check,
    /// One of `(value, label)`.
    Select(&'static [(&'static str, &'static str)]),
}

#[derive(Clone, Copy, PartialEq)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// What a new resource starts with (the guide's defaults), when not the kind's blank.
    pub default: Option<&'static str>,
}

impl Field {
    pub const fn new(key: &'static str, label: &'static str, kind: Kind) -> Self {
        Self {
            key,
            label,
            kind,
            default: None,
        }
    }

    pub const fn starting(self, default: &'static str) -> Self {
        Self {
            default: Some(default),
            ..self
        }
    }
}

type Values = BTreeMap<&'static str, String>;

/// The form's values: from `initial` when editing, else each kind's blank.
fn values_of(fields: &[Field], initial: Option<&Value>) -> Values {
    fields
        .iter()
        .map(|field| {
            let stored = initial.and_then(|v| v.get(field.key));
            let value = match (stored, field.kind, field.default) {
                (_, Kind::Password, _) => String::new(),
                (None, _, Some(default)) => default.to_owned(),
                (Some(Value::String(s)), _, _) => s.clone(),
                (Some(Value::Bool(b)), _, _) => b.to_string(),
                (Some(Value::Number(n)), _, _) => n.to_string(),
                (_, Kind::Check, _) => "false".to_owned(),
                (_, Kind::Select(options), _) => {
                    options.first().map(|o| o.0.to_owned()).unwrap_or_default()
                }
                _ => String::new(),
            };
            (field.key, value)
        })
        .collect()
}

/// The JSON body to send, or the problems found before sending.
fn body_of(fields: &[Field], values: &Values) -> Result<Value, BTreeMap<String, String>> {
    let mut body = Map::new();
    let mut problems = BTreeMap::new();
    for field in fields {
        let raw = values.get(field.key).cloned().unwrap_or_default();
        let value = match field.kind {
            Kind::Text | Kind::Select(_) => Value::String(raw),
            Kind::Optional if raw.trim().is_empty() => Value::Null,
            Kind::Optional => Value::String(raw.trim().to_owned()),
            Kind::Password if raw.is_empty() => continue,
            Kind::Password => Value::String(raw),
            Kind::Check => Value::Bool(raw == "true"),
            Kind::Number => match raw.trim().parse::<u32>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    problems.insert(field.key.to_owned(), "must be a whole number".to_owned());
                    continue;
                }
            },
        };
        body.insert(field.key.to_owned(), value);
    }
    if problems.is_empty() {
        Ok(Value::Object(body))
    } else {
        Err(problems)
    }
}

#[derive(Properties, PartialEq)]
pub struct FormProps {
    pub token: String,
    pub fields: &'static [Field],
    /// `POST` (create: the form empties after success) or `PATCH` (edit).
    pub method: Method,
    pub url: String,
    /// The resource being edited.
    #[prop_or_default]
    pub initial: Option<Value>,
    #[prop_or_default]
    pub title: Option<AttrValue>,
    pub submit: AttrValue,
    /// `data-testid` of the form and the prefix of its input ids.
    pub testid: AttrValue,
    pub on_saved: Callback<Value>,
    /// Shown beside the submit button (e.g. Cancel).
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn ResourceForm(props: &FormProps) -> Html {
    let values = use_state(|| values_of(props.fields, props.initial.as_ref()));
    let errors = use_state(BTreeMap::<String, String>::new);
    let banner = use_state(|| None::<(bool, String)>);
    let busy = use_state(|| false);
    {
        let (values, fields) = (values.clone(), props.fields);
        use_effect_with(props.initial.clone(), move |initial| {
            values.set(values_of(fields, initial.as_ref()));
        });
    }
    let onsubmit = {
        let (values, errors, banner, busy) =
            (values.clone(), errors.clone(), banner.clone(), busy.clone());
        let (token, url, method, fields) = (
            props.token.clone(),
            props.url.clone(),
            props.method.clone(),
            props.fields,
        );
        let on_saved = props.on_saved.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            let body = match body_of(fields, &values) {
                Ok(body) => body,
                Err(local) => {
                    errors.set(local);
                    banner.set(None);
                    return;
                }
            };
            busy.set(true);
            let (values, errors, banner, busy, on_saved) = (
                values.clone(),
                errors.clone(),
                banner.clone(),
                busy.clone(),
                on_saved.clone(),
            );
            let (token, url, method) = (token.clone(), url.clone(), method.clone());
            spawn_local(async move {
                let creating = method == Method::POST;
                match api::write(&token, method, &url, &body).await {
                    Ok(saved) => {
                        errors.set(BTreeMap::new());
                        let text = if creating { "Created." } else { "Saved." };
                        banner.set(Some((true, text.to_owned())));
                        values.set(values_of(fields, (!creating).then_some(&saved)));
                        on_saved.emit(saved);
                    }
                    Err(err) => {
                        let (known, other): (Vec<_>, Vec<_>) = err
                            .fields()
                            .into_iter()
                            .partition(|(name, _)| fields.iter().any(|f| f.key == name));
                        let show = known.is_empty() || !other.is_empty();
                        let mut text = err.message();
                        for (name, problem) in other {
                            text.push_str(&format!(" {name}: {problem}."));
                        }
                        banner.set(show.then_some((false, text)));
                        errors.set(known.into_iter().collect());
                    }
                }
                busy.set(false);
            });
        })
    };
    let testid = props.testid.clone();
    let input = |field: &Field| -> Html {
        let id = format!("{testid}-{}", field.key);
        let current = values.get(field.key).cloned().unwrap_or_default();
        let key = field.key;
        let set = {
            let values = values.clone();
            move |value: String| {
                let mut next = (*values).clone();
                next.insert(key, value);
                values.set(next);
            }
        };
        let control = match field.kind {
            Kind::Check => {
                let checked = current == "true";
                let onclick = Callback::from(move |_| set((!checked).to_string()));
                return html! {
                    <label class="check">
                        <input id={id} type="checkbox" {checked} {onclick} />
                        { format!(" {}", field.label) }
                    </label>
                };
            }
            Kind::Select(options) => {
                let onchange = Callback::from(move |e: Event| {
                    set(e.target_unchecked_into::<HtmlInputElement>().value())
                });
                html! {
                    <select id={id.clone()} {onchange}>
                        { for options.iter().map(|(value, label)| html! {
                            <option value={*value} selected={current == *value}>{ *label }</option>
                        }) }
                    </select>
                }
            }
            kind => {
                let oninput = Callback::from(move |e: InputEvent| {
                    set(e.target_unchecked_into::<HtmlInputElement>().value())
                });
                let kind_attr = if kind == Kind::Password {
                    "password"
                } else {
                    "text"
                };
                html! { <input id={id.clone()} type={kind_attr} value={current} {oninput} /> }
            }
        };
        html! {
            <>
                <label for={id}>{ field.label }</label>
                { control }
            </>
        }
    };
    let banner = match &*banner {
        Some((true, text)) => {
            html! { <p class="ok" role="status" data-testid="form-ok">{ text }</p> }
        }
        Some((false, text)) => {
            html! { <p class="error" role="alert" data-testid="form-error">{ text }</p> }
        }
        None => html! {},
    };
    html! {
        <form class="card form wide" {onsubmit} novalidate=true data-testid={props.testid.clone()}>
            if let Some(title) = &props.title { <h2>{ title.clone() }</h2> }
            { banner }
            { for props.fields.iter().map(|field| html! {
                <>
                    { input(field) }
                    // What is stored of a write-only secret: its hint (`<key>_hint`).
                    if let Some(hint) = props.initial.as_ref().and_then(|v| v.get(format!("{}_hint", field.key))).and_then(Value::as_str) {
                        <p class="muted hint" data-testid={format!("{}-hint", field.key)}>{ format!("Stored: {hint}") }</p>
                    }
                    if let Some(problem) = errors.get(field.key) {
                        <p class="field-error" data-testid={format!("{}-error", field.key)}>{ problem }</p>
                    }
                </>
            }) }
            <div class="actions">
                <button type="submit" disabled={*busy}>{ props.submit.clone() }</button>
                { props.children.clone() }
            </div>
        </form>
    }
}
