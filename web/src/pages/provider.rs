//! A system provider's page, laid out as the guide's tabs: Details (the R20 form) and History
//! Log. Field problems from the API appear under their field; nothing typed is lost.

use std::collections::BTreeMap;

use cpaas_shared::{HistoryEntry, Provider, ProviderUpdate, SnapshotReportFrequency};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::children::Children;
use crate::route::Route;
use crate::session::use_session;

#[derive(Properties, PartialEq)]
pub struct ProviderPageProps {
    pub id: i64,
}

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Details,
    Resellers,
    Customers,
    History,
}

#[component]
pub fn ProviderPage(props: &ProviderPageProps) -> Html {
    let tab = use_state(|| Tab::Details);
    let token = use_session().and_then(|s| s.signed_in.as_ref().map(|s| s.token.clone()));
    let Some(token) = token else {
        return html! {
            <section data-testid="sign-in-required">
                <h1>{ "System provider" }</h1>
                <p>{ "Sign in to see this page. " }<Link<Route> to={Route::Login}>{ "Sign in" }</Link<Route>></p>
            </section>
        };
    };
    let select = |to: Tab| {
        let tab = tab.clone();
        Callback::from(move |_| tab.set(to))
    };
    let class = |t: Tab| if *tab == t { "tab active" } else { "tab" };
    html! {
        <section>
            <h1>{ "System provider" }</h1>
            <nav class="tabs" aria-label="Provider">
                <button class={class(Tab::Details)} onclick={select(Tab::Details)} data-testid="tab-details">{ "Details" }</button>
                <button class={class(Tab::Resellers)} onclick={select(Tab::Resellers)} data-testid="tab-resellers">{ "Resellers" }</button>
                <button class={class(Tab::Customers)} onclick={select(Tab::Customers)} data-testid="tab-customers">{ "Customers" }</button>
                <button class={class(Tab::History)} onclick={select(Tab::History)} data-testid="tab-history">{ "History Log" }</button>
            </nav>
            {
                match *tab {
                    Tab::Details => html! { <ProviderDetails id={props.id} token={token} /> },
                    Tab::Resellers => html! {
                        <Children token={token} url={format!("/api/v1/providers/{}/resellers", props.id)} noun="reseller" />
                    },
                    Tab::Customers => html! {
                        <Children token={token} url={format!("/api/v1/providers/{}/customers", props.id)} noun="customer" />
                    },
                    Tab::History => html! { <ProviderHistory id={props.id} token={token} /> },
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TabProps {
    id: i64,
    token: String,
}

/// The editable fields as typed.
#[derive(Clone, Default, PartialEq)]
struct Form {
    name: String,
    timezone: String,
    language: String,
    accounts_reference: String,
    trial_duration_days: String,
    use_trial_licenses_until_expiration: bool,
    snapshot_report_frequency: String,
}

impl Form {
    fn from(provider: &Provider) -> Self {
        Self {
            name: provider.name.clone(),
            timezone: provider.timezone.clone().unwrap_or_default(),
            language: provider.language.clone().unwrap_or_default(),
            accounts_reference: provider.accounts_reference.clone().unwrap_or_default(),
            trial_duration_days: provider.trial_duration_days.to_string(),
            use_trial_licenses_until_expiration: provider.use_trial_licenses_until_expiration,
            snapshot_report_frequency: provider.snapshot_report_frequency.as_str().to_owned(),
        }
    }

    /// The update to send, or the local problems (a non-number in the days field).
    fn update(&self) -> Result<ProviderUpdate, BTreeMap<String, String>> {
        let optional = |v: &str| Some(Some(v.trim().to_owned()).filter(|v| !v.is_empty()));
        let days = self
            .trial_duration_days
            .trim()
            .parse::<u32>()
            .map_err(|_| {
                BTreeMap::from([(
                    "trial_duration_days".to_owned(),
                    "must be a whole number of days".to_owned(),
                )])
            })?;
        Ok(ProviderUpdate {
            name: Some(self.name.clone()),
            timezone: optional(&self.timezone),
            language: optional(&self.language),
            accounts_reference: optional(&self.accounts_reference),
            trial_duration_days: Some(days),
            use_trial_licenses_until_expiration: Some(self.use_trial_licenses_until_expiration),
            snapshot_report_frequency: SnapshotReportFrequency::parse(
                &self.snapshot_report_frequency,
            ),
        })
    }
}

#[component]
fn ProviderDetails(props: &TabProps) -> Html {
    let form = use_state(Form::default);
    let loaded = use_state(|| false);
    let errors = use_state(BTreeMap::<String, String>::new);
    let message = use_state(|| None::<(bool, String)>);
    {
        let (form, loaded, message, token, id) = (
            form.clone(),
            loaded.clone(),
            message.clone(),
            props.token.clone(),
            props.id,
        );
        use_effect_with(id, move |_| {
            spawn_local(async move {
                match api::provider(&token, id).await {
                    Ok(provider) => {
                        form.set(Form::from(&provider));
                        loaded.set(true);
                    }
                    Err(err) => message.set(Some((false, err.message()))),
                }
            });
        });
    }
    let edit = |apply: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*form).clone();
            apply(&mut next, input.value());
            form.set(next);
        })
    };
    let toggle = {
        let form = form.clone();
        Callback::from(move |_| {
            let mut next = (*form).clone();
            next.use_trial_licenses_until_expiration = !next.use_trial_licenses_until_expiration;
            form.set(next);
        })
    };
    let choose = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*form).clone();
            next.snapshot_report_frequency = input.value();
            form.set(next);
        })
    };
    let onsubmit = {
        let (form, errors, message, token, id) = (
            form.clone(),
            errors.clone(),
            message.clone(),
            props.token.clone(),
            props.id,
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let update = match form.update() {
                Ok(update) => update,
                Err(local) => {
                    errors.set(local);
                    return;
                }
            };
            let (form, errors, message, token) =
                (form.clone(), errors.clone(), message.clone(), token.clone());
            spawn_local(async move {
                match api::update_provider(&token, id, &update).await {
                    Ok(provider) => {
                        form.set(Form::from(&provider));
                        errors.set(BTreeMap::new());
                        message.set(Some((true, "Provider updated.".to_owned())));
                    }
                    Err(err) => {
                        let fields: BTreeMap<String, String> = [
                            "name",
                            "timezone",
                            "language",
                            "accounts_reference",
                            "trial_duration_days",
                            "snapshot_report_frequency",
                        ]
                        .into_iter()
                        .filter_map(|f| err.field(f).map(|p| (f.to_owned(), p)))
                        .collect();
                        message.set(fields.is_empty().then(|| (false, err.message())));
                        errors.set(fields);
                    }
                }
            });
        })
    };
    let error_for = |field: &str| match errors.get(field) {
        Some(problem) => {
            html! { <p class="field-error" data-testid={format!("{field}-error")}>{ problem.clone() }</p> }
        }
        None => html! {},
    };
    let banner = match &*message {
        Some((true, text)) => {
            html! { <p class="ok" role="status" data-testid="form-ok">{ text.clone() }</p> }
        }
        Some((false, text)) => {
            html! { <p class="error" role="alert" data-testid="form-error">{ text.clone() }</p> }
        }
        None => html! {},
    };
    if !*loaded {
        return html! { <>{ banner }<p class="muted">{ "Loading…" }</p></> };
    }
    html! {
        <form class="card form wide" {onsubmit} novalidate=true>
            { banner }
            <label for="name">{ "Name" }</label>
            <input id="name" value={form.name.clone()} oninput={edit(|f, v| f.name = v)} />
            { error_for("name") }
            <label for="timezone">{ "Timezone (IANA, e.g. America/Chicago)" }</label>
            <input id="timezone" value={form.timezone.clone()} oninput={edit(|f, v| f.timezone = v)} />
            { error_for("timezone") }
            <label for="language">{ "Language (e.g. en-GB; empty for the default)" }</label>
            <input id="language" value={form.language.clone()} oninput={edit(|f, v| f.language = v)} />
            { error_for("language") }
            <label for="accounts_reference">{ "Accounts Reference" }</label>
            <input id="accounts_reference" value={form.accounts_reference.clone()} oninput={edit(|f, v| f.accounts_reference = v)} />
            { error_for("accounts_reference") }
            <label for="trial_duration_days">{ "Trial Duration (In Days)" }</label>
            <input id="trial_duration_days" inputmode="numeric" value={form.trial_duration_days.clone()} oninput={edit(|f, v| f.trial_duration_days = v)} />
            { error_for("trial_duration_days") }
            <label class="check">
                <input id="use_trial" type="checkbox" checked={form.use_trial_licenses_until_expiration} onclick={toggle} />
                { " Use Trial Licenses Until Expiration" }
            </label>
            <label for="snapshot">{ "Snapshot Report Frequency" }</label>
            <select id="snapshot" onchange={choose}>
                { for [("none", "None"), ("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")].into_iter().map(|(value, label)| html! {
                    <option {value} selected={form.snapshot_report_frequency == value}>{ label }</option>
                }) }
            </select>
            <button type="submit" data-testid="update-provider">{ "Update Provider" }</button>
        </form>
    }
}

#[component]
fn ProviderHistory(props: &TabProps) -> Html {
    let entries = use_state(|| None::<Result<Vec<HistoryEntry>, String>>);
    {
        let (entries, token, id) = (entries.clone(), props.token.clone(), props.id);
        use_effect_with(id, move |_| {
            spawn_local(async move {
                entries.set(Some(
                    api::provider_history(&token, id)
                        .await
                        .map(|p| p.items)
                        .map_err(|e| e.message()),
                ));
            });
        });
    }
    match &*entries {
        None => html! { <p class="muted">{ "Loading…" }</p> },
        Some(Err(message)) => html! { <p class="error">{ message.clone() }</p> },
        Some(Ok(items)) if items.is_empty() => {
            html! { <p class="muted">{ "Nothing has happened here yet." }</p> }
        }
        Some(Ok(items)) => html! {
            <table class="grid" data-testid="history">
                <thead><tr><th>{ "When (UTC)" }</th><th>{ "Who" }</th><th>{ "What" }</th><th>{ "Changes" }</th></tr></thead>
                <tbody>
                    { for items.iter().map(|entry| html! {
                        <tr>
                            <td>{ entry.at.replace('T', " ").trim_end_matches('Z').to_owned() }</td>
                            <td>{ entry.actor.clone() }</td>
                            <td>{ entry.summary.clone() }</td>
                            <td>{ for entry.changes.iter().map(|c| html! {
                                <div>{ format!("{}: {} → {}", c.field, c.old.clone().unwrap_or_else(|| "—".into()), c.new.clone().unwrap_or_else(|| "—".into())) }</div>
                            }) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        },
    }
}
