//! Wire types shared by the api (server) and the web SPA (browser), so both agree on every
//! request, response and error body. Only serde and, behind the `openapi` feature, utoipa.

pub mod auth;
pub mod billing;
pub mod client;
pub mod error;
pub mod history;
pub mod import;
pub mod number;
pub mod organization;
pub mod page;
pub mod phone;
pub mod platform;
pub mod provider;
pub mod queue;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod service;
pub mod simulator;
pub mod user;
pub mod validate;

pub use auth::{LoginRequest, LoginResponse, NewPortalAccount, PortalAccount, PortalAccountUpdate};
pub use billing::{BillingLine, BillingReport};
pub use client::{
    ClientLoginRequest, ClientLoginResponse, ClientNumber, ClientPassword, ClientUser, OptInAnswer,
    OptInDecision,
};
pub use error::{ApiErrorBody, ErrorCode};
pub use history::{FieldChange, HistoryAction, HistoryEntry};
pub use import::{ImportRow, ImportStatus, NewNumberImport, NumberImport};
pub use number::{
    Consumer, ConsumerKind, CpaasNumber, CpaasNumberUpdate, DeletedMessages, MediaStreamSms,
    MessagingType, NewCpaasNumber, OptIn, OptInState, Provisioning, ProvisioningState,
};
pub use organization::{NewOrganization, Organization, OrganizationKind, OrganizationUpdate};
pub use page::Page;
pub use phone::PhoneNumber;
pub use platform::{
    CpaasPlatform, CpaasPlatformUpdate, NewCpaasPlatform, PlatformChoice, PlatformKind,
};
pub use provider::{Provider, ProviderUpdate, SnapshotReportFrequency};
pub use queue::{MediaStream, MediaStreamInput, MediaType, Queue, QueueInput};
pub use service::{DatabaseBackend, HealthStatus, ReadyStatus};
pub use simulator::{
    NewSimulatedNumbers, SimulatedAccount, SimulatedMessage, SimulatedNumber, SimulatedWebhook,
    SimulatorState,
};
pub use user::{EndUser, EndUserUpdate, NewEndUser};
