//! What the SPA knows about each kind of resource: where it lives in the API, its form fields,
//! its tabs, its list columns and its parent. The pages and components are generic over this.

use cpaas_shared::OrganizationKind;
use serde_json::Value;

use crate::components::form::{Field, Kind};
use crate::components::list::{Column, Show, column};
use crate::route::Route;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Entity {
    Provider,
    Reseller,
    Customer,
    User,
    Queue,
    MediaStream,
    PortalAccount,
    Platform,
    Number,
}

/// A tab of a detail page, as in the guide's screenshots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tab {
    Details,
    /// The provider's CPaaS platforms, with the R2 alert-recipient rule.
    Platforms,
    /// CPaaS numbers at this level and below (R11).
    Numbers,
    /// The provider's monthly bill (R18).
    Billing,
    /// A customer's bulk import of numbers.
    Import,
    PortalAccounts,
    Children(Entity),
    History,
}

impl Tab {
    pub fn label(self) -> &'static str {
        match self {
            Tab::Details => "Details",
            Tab::Platforms => "CPaaS Platforms",
            Tab::Numbers => "CPaaS Numbers",
            Tab::Billing => "Billing",
            Tab::Import => "Import Numbers",
            Tab::PortalAccounts => "Portal User Accounts",
            Tab::History => "History Log",
            Tab::Children(child) => child.plural(),
        }
    }

    /// The `data-testid` of the tab button.
    pub fn testid(self) -> String {
        let slug = match self {
            Tab::Details => "details",
            Tab::Platforms => "cpaas-platforms",
            Tab::Numbers => "cpaas-numbers",
            Tab::Billing => "billing",
            Tab::Import => "import",
            Tab::PortalAccounts => "portal-accounts",
            Tab::History => "history",
            Tab::Children(child) => child.collection(),
        };
        format!("tab-{slug}")
    }
}

const TIMEZONE: Field = Field::new(
    "timezone",
    "Timezone (IANA, e.g. America/Chicago)",
    Kind::Optional,
);
const LANGUAGE: Field = Field::new(
    "language",
    "Language (BCP 47, e.g. en-US; empty for the default)",
    Kind::Optional,
);
const NAME: Field = Field::new("name", "Name", Kind::Text);
const ACCOUNTS_REFERENCE: Field =
    Field::new("accounts_reference", "Accounts Reference", Kind::Optional);

const PROVIDER_FIELDS: &[Field] = &[
    NAME,
    TIMEZONE,
    LANGUAGE,
    ACCOUNTS_REFERENCE,
    Field::new(
        "trial_duration_days",
        "Trial Duration (In Days)",
        Kind::Number,
    )
    .starting("0"),
    Field::new(
        "use_trial_licenses_until_expiration",
        "Use Trial Licenses Until Expiration",
        Kind::Check,
    ),
    Field::new(
        "snapshot_report_frequency",
        "Snapshot Report Frequency",
        Kind::Select(&[
            ("none", "None"),
            ("daily", "Daily"),
            ("weekly", "Weekly"),
            ("monthly", "Monthly"),
        ]),
    ),
];
const ORGANIZATION_FIELDS: &[Field] = &[NAME, TIMEZONE, LANGUAGE, ACCOUNTS_REFERENCE];
const USER_FIELDS: &[Field] = &[
    Field::new(
        "user_id",
        "User ID (must match the BroadWorks user id)",
        Kind::Text,
    ),
    NAME,
    TIMEZONE,
    LANGUAGE,
    Field::new("external_reference", "External Reference", Kind::Optional),
];
const QUEUE_FIELDS: &[Field] = &[NAME];
const STREAM_FIELDS: &[Field] = &[
    NAME,
    Field::new(
        "media_type",
        "Media Type",
        Kind::Select(&[("sms", "SMS"), ("web_chat", "Web Chat"), ("email", "Email")]),
    ),
    LANGUAGE,
    Field::new(
        "conversation_can_be_transferred",
        "Conversation Can Be Transferred",
        Kind::Check,
    )
    .starting("true"),
    Field::new(
        "conversation_can_be_escalated",
        "Conversation Can Be Escalated",
        Kind::Check,
    ),
    Field::new(
        "timezone",
        "Availability Timezone (IANA, e.g. America/Chicago)",
        Kind::Optional,
    ),
    Field::new("in_office_profile", "In-Office Profile", Kind::Text).starting("Always online"),
    Field::new(
        "use_last_agent_if_available",
        "Use Last Agent If Available",
        Kind::Check,
    ),
    Field::new(
        "reopen_conversation_on_reply",
        "Reopen Conversation On Reply",
        Kind::Check,
    ),
];
const NOTIFICATIONS: [Field; 4] = [
    Field::new(
        "send_technical_emails",
        "Send Technical Emails",
        Kind::Check,
    ),
    Field::new("send_alerts", "Send Alerts", Kind::Check),
    Field::new(
        "send_invoices_and_receipts",
        "Send Invoices & Receipts",
        Kind::Check,
    ),
    Field::new(
        "send_license_expiry_alerts",
        "Send License Expiry Alerts",
        Kind::Check,
    ),
];
const EMAIL: Field = Field::new("email", "Email", Kind::Text);
const NEW_ACCOUNT_FIELDS: &[Field] = &[
    EMAIL,
    Field::new(
        "password",
        "Password (10 characters or more)",
        Kind::Password,
    ),
    NOTIFICATIONS[0],
    NOTIFICATIONS[1],
    NOTIFICATIONS[2],
    NOTIFICATIONS[3],
];
const ACCOUNT_FIELDS: &[Field] = &[
    EMAIL,
    Field::new(
        "password",
        "New password (leave empty to keep the current one)",
        Kind::Password,
    ),
    Field::new(
        "current_password",
        "Your current password (only to change your own email or password)",
        Kind::Password,
    ),
    NOTIFICATIONS[0],
    NOTIFICATIONS[1],
    NOTIFICATIONS[2],
    NOTIFICATIONS[3],
];
const PLATFORM_FLAGS: [Field; 3] = [
    Field::new(
        "user_confirmation_required",
        "User Confirmation Required",
        Kind::Check,
    ),
    Field::new(
        "user_can_block_numbers",
        "User Can Block Numbers",
        Kind::Check,
    ),
    Field::new("mms_available", "MMS Available (includes SMS)", Kind::Check),
];
pub const NEW_PLATFORM_FIELDS: &[Field] = &[
    Field::new("name", "CPaaS Platform (name)", Kind::Text).starting("Inteliquent"),
    Field::new("account_key", "Account/Key", Kind::Password),
    Field::new("token_secret", "Token/Secret", Kind::Password),
    Field::new("outbound_api_key", "Outbound API Key", Kind::Password),
    PLATFORM_FLAGS[0],
    PLATFORM_FLAGS[1],
    PLATFORM_FLAGS[2],
    MONTHLY_CHARGE,
];
const MONTHLY_CHARGE: Field = Field::new(
    "monthly_charge_cents",
    "Monthly Charge per Number (cents)",
    Kind::Number,
)
.starting("0");
const PLATFORM_FIELDS: &[Field] = &[
    Field::new("name", "CPaaS Platform (name)", Kind::Text),
    Field::new(
        "account_key",
        "Account/Key (leave empty to keep)",
        Kind::Password,
    ),
    Field::new(
        "token_secret",
        "Token/Secret (leave empty to keep)",
        Kind::Password,
    ),
    Field::new(
        "outbound_api_key",
        "Outbound API Key (leave empty to keep)",
        Kind::Password,
    ),
    PLATFORM_FLAGS[0],
    PLATFORM_FLAGS[1],
    PLATFORM_FLAGS[2],
    MONTHLY_CHARGE,
];
/// The password a user's client signs in with (R12), set on the user's page.
pub const CLIENT_PASSWORD_FIELDS: &[Field] = &[Field::new(
    "password",
    "Client password (10 characters or more; the user signs in to the client with it)",
    Kind::Password,
)];
const NUMBER_FIELDS: &[Field] = &[
    Field::new("friendly_name", "Friendly Name", Kind::Text),
    Field::new(
        "messaging_type",
        "Messaging Type",
        Kind::Select(&[("sms", "SMS"), ("mms_sms", "MMS & SMS")]),
    ),
    Field::new(
        "user_can_block_numbers",
        "User Can Block Numbers",
        Kind::Check,
    ),
];

/// The user or media stream a number belongs to (while it exists).
fn consumer_route(item: &Value) -> Option<Route> {
    let id = item.pointer("/consumer/id").and_then(Value::as_i64)?;
    match item.pointer("/consumer/kind").and_then(Value::as_str)? {
        "user" => Some(Route::User { id }),
        _ => Some(Route::MediaStream { id }),
    }
}

const NUMBER_COLUMNS: &[Column] = &[
    column("display", "Number").sorting("number"),
    column("/consumer/name", "User/Media Stream")
        .showing(Show::Pointer)
        .linking(consumer_route)
        .sorting("assigned_to"),
    column("friendly_name", "Friendly Name").sorting("friendly_name"),
    column("messaging_type", "Messaging Type").showing(Show::Messaging),
    column("end_date", "End Date")
        .showing(Show::EndDate)
        .sorting("end_date"),
];
const ACCOUNT_COLUMNS: &[Column] = &[
    column("email", "Email"),
    column("organization_kind", "Level"),
    column("send_technical_emails", "Technical Emails"),
    column("send_alerts", "Alerts"),
    column("send_invoices_and_receipts", "Invoices & Receipts"),
    column("send_license_expiry_alerts", "License Expiry Alerts"),
];

fn id_of(value: &Value, key: &str) -> Option<i64> {
    value.get(key).and_then(Value::as_i64)
}

impl Entity {
    pub fn of_organization(kind: OrganizationKind) -> Self {
        match kind {
            OrganizationKind::SystemProvider => Entity::Provider,
            OrganizationKind::Reseller => Entity::Reseller,
            OrganizationKind::Customer => Entity::Customer,
        }
    }

    /// The API collection: `/api/v1/{collection}/{id}`.
    pub fn collection(self) -> &'static str {
        match self {
            Entity::Provider => "providers",
            Entity::Reseller => "resellers",
            Entity::Customer => "customers",
            Entity::User => "users",
            Entity::Queue => "queues",
            Entity::MediaStream => "media-streams",
            Entity::PortalAccount => "portal-accounts",
            Entity::Platform => "cpaas-platforms",
            Entity::Number => "cpaas-numbers",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Entity::Provider => "system provider",
            Entity::Reseller => "reseller",
            Entity::Customer => "customer",
            Entity::User => "user",
            Entity::Queue => "queue",
            Entity::MediaStream => "media stream",
            Entity::PortalAccount => "portal account",
            Entity::Platform => "CPaaS platform",
            Entity::Number => "CPaaS number",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Entity::Provider => "System Provider",
            Entity::Reseller => "Reseller",
            Entity::Customer => "Customer",
            Entity::User => "User",
            Entity::Queue => "Queue",
            Entity::MediaStream => "Media Stream",
            Entity::PortalAccount => "Portal Account",
            Entity::Platform => "CPaaS Platform",
            Entity::Number => "CPaaS Number",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Entity::Reseller => "Resellers",
            Entity::Customer => "Customers",
            Entity::User => "Users",
            Entity::Queue => "Queues",
            Entity::MediaStream => "Media Streams",
            _ => "",
        }
    }

    pub fn url(self, id: i64) -> String {
        format!("/api/v1/{}/{id}", self.collection())
    }

    pub fn route(self, id: i64) -> Route {
        match self {
            Entity::Provider => Route::Provider { id },
            Entity::Reseller => Route::Reseller { id },
            Entity::Customer => Route::Customer { id },
            Entity::User => Route::User { id },
            Entity::Queue => Route::Queue { id },
            Entity::MediaStream => Route::MediaStream { id },
            Entity::PortalAccount => Route::PortalAccount { id },
            Entity::Platform => Route::Platform { id },
            Entity::Number => Route::Number { id },
        }
    }

    /// The edit form (and, for children, the add form).
    pub fn fields(self) -> &'static [Field] {
        match self {
            Entity::Provider => PROVIDER_FIELDS,
            Entity::Reseller | Entity::Customer => ORGANIZATION_FIELDS,
            Entity::User => USER_FIELDS,
            Entity::Queue => QUEUE_FIELDS,
            Entity::MediaStream => STREAM_FIELDS,
            Entity::PortalAccount => ACCOUNT_FIELDS,
            Entity::Platform => PLATFORM_FIELDS,
            Entity::Number => NUMBER_FIELDS,
        }
    }

    pub fn columns(self) -> &'static [Column] {
        const ORGANIZATION: &[Column] = &[
            column("name", "Name"),
            column("timezone", "Timezone"),
            column("accounts_reference", "Accounts Reference"),
        ];
        const USER: &[Column] = &[
            column("user_id", "User ID"),
            column("name", "Name"),
            column("timezone", "Timezone"),
        ];
        const QUEUE: &[Column] = &[column("name", "Name")];
        const PLATFORM: &[Column] = &[
            column("name", "CPaaS Platform"),
            column("account_key_hint", "Account/Key"),
            column("user_confirmation_required", "User Confirmation Required"),
            column("user_can_block_numbers", "User Can Block Numbers"),
            column("mms_available", "MMS Available"),
        ];
        const STREAM: &[Column] = &[
            column("name", "Name"),
            column("media_type", "Media Type"),
            column("language", "Language"),
        ];
        match self {
            Entity::User => USER,
            Entity::Queue => QUEUE,
            Entity::MediaStream => STREAM,
            Entity::PortalAccount => ACCOUNT_COLUMNS,
            Entity::Platform => PLATFORM,
            Entity::Number => NUMBER_COLUMNS,
            _ => ORGANIZATION,
        }
    }

    pub fn tabs(self) -> &'static [Tab] {
        use Tab::*;
        match self {
            Entity::Provider => &[
                Details,
                Platforms,
                PortalAccounts,
                Children(Entity::Reseller),
                Children(Entity::Customer),
                Numbers,
                Billing,
                History,
            ],
            Entity::Reseller => &[
                Details,
                PortalAccounts,
                Children(Entity::Customer),
                Numbers,
                History,
            ],
            Entity::Customer => &[
                Details,
                PortalAccounts,
                Children(Entity::User),
                Children(Entity::Queue),
                Numbers,
                Import,
                History,
            ],
            Entity::User => &[Details, Numbers, History],
            Entity::Queue => &[Details, Children(Entity::MediaStream), Numbers],
            Entity::MediaStream | Entity::PortalAccount | Entity::Platform | Entity::Number => {
                &[Details]
            }
        }
    }

    /// How a resource is named in titles and breadcrumbs.
    pub fn label(self, value: &Value) -> String {
        let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default();
        match self {
            Entity::User => format!("{} ({})", text("name"), text("user_id")),
            Entity::PortalAccount => text("email").to_owned(),
            Entity::Number => text("display").to_owned(),
            _ => text("name").to_owned(),
        }
    }

    /// The resource one level up, when there is one.
    pub fn parent(self, value: &Value) -> Option<(Entity, i64)> {
        match self {
            Entity::Provider => None,
            Entity::Reseller | Entity::Customer => {
                let kind = value.get("parent_kind").cloned()?;
                let kind = serde_json::from_value(kind).ok()?;
                Some((Entity::of_organization(kind), id_of(value, "parent_id")?))
            }
            Entity::User | Entity::Queue => Some((Entity::Customer, id_of(value, "customer_id")?)),
            Entity::MediaStream => Some((Entity::Queue, id_of(value, "queue_id")?)),
            Entity::Platform => Some((Entity::Provider, id_of(value, "provider_id")?)),
            Entity::Number => {
                let id = value.pointer("/consumer/id").and_then(Value::as_i64)?;
                match value.pointer("/consumer/kind").and_then(Value::as_str)? {
                    "user" => Some((Entity::User, id)),
                    _ => Some((Entity::MediaStream, id)),
                }
            }
            Entity::PortalAccount => {
                let kind = value.get("organization_kind").cloned()?;
                let kind = serde_json::from_value(kind).ok()?;
                Some((
                    Entity::of_organization(kind),
                    id_of(value, "organization_id")?,
                ))
            }
        }
    }

    /// The add form: as the edit form, except that a new account's password is required.
    pub fn new_fields(self) -> &'static [Field] {
        match self {
            Entity::PortalAccount => NEW_ACCOUNT_FIELDS,
            Entity::Platform => NEW_PLATFORM_FIELDS,
            other => other.fields(),
        }
    }

    /// Where a list row of this kind leads.
    pub fn route_of(self, value: &Value) -> Route {
        self.route(id_of(value, "id").unwrap_or_default())
    }
}
