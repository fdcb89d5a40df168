//! Assigning a number: `prepare`, the carrier's check (R8), `store`.

use cpaas_shared::{
    ErrorCode, FieldChange, HistoryAction, MessagingType, NewCpaasNumber, PhoneNumber,
};
use diesel::Connection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::auth::PortalUser;
use crate::carrier::{Carrier, CarrierError};
use crate::db::DbConnection;
use crate::db::models::number::{self, NumberRow};
use crate::db::models::organization::{self};
use crate::db::models::platform::{self, PlatformRow};
use crate::error::ApiError;
use crate::jobs::Job;
use crate::services::audit::{self, Subject};
use crate::services::deps::Deps;
use crate::services::platforms::{self, Secrets};
use crate::services::{queues, users};

pub const NOT_ON_ACCOUNT: &str = "This number is not assigned to this Inteliquent account, please check the number and try again. If the number was recently purchased it may take a few minutes to appear.";

/// An assignment checked against everything but the carrier.
pub struct Prepared {
    row: NumberRow,
    platform: PlatformRow,
    secrets: Secrets,
}

/// The number has an active assignment. Its holder is named only when the caller can see it:
/// outside the caller's subtree the answer says the number is in use, and nothing about whom by.
fn already_assigned(user: &PortalUser, number: &str, holder: Option<&NumberRow>) -> ApiError {
    let shown = PhoneNumber::display(number);
    let message = match holder {
        Some(held) if held.scope_path.starts_with(&user.scope) => format!(
            "{shown} is already assigned to {}: delete that assignment first.",
            held.consumer_name
        ),
        _ => format!(
            "{shown} is already in use by another CPaaS assignment; it cannot be assigned here."
        ),
    };
    ApiError::new(ErrorCode::NumberAlreadyAssigned, message)
        .with_field("number", "is already assigned")
}

/// The platform for a new number of `provider_id` (R5), with the fields' other rules.
fn choose_platform(
    conn: &mut DbConnection,
    provider_id: i64,
    wanted: Option<i64>,
) -> Result<PlatformRow, ApiError> {
    let mut platforms = platform::of_provider(conn, provider_id)?;
    if platforms.is_empty() {
        return Err(ApiError::new(
            ErrorCode::NoPlatform,
            "The system provider has no CPaaS platform: add one before assigning numbers.",
        ));
    }
    match wanted {
        Some(id) => platforms.into_iter().find(|p| p.id == id).ok_or_else(|| {
            ApiError::invalid(vec![(
                "platform_id",
                "is not a CPaaS platform of this system provider".to_owned(),
            )])
        }),
        None if platforms.len() == 1 => Ok(platforms.remove(0)),
        None => Err(ApiError::new(
            ErrorCode::PlatformRequired,
            "This system provider has several CPaaS platforms: choose the one for this number.",
        )
        .with_field(
            "platform_id",
            "is required when there are several platforms",
        )),
    }
}

pub(super) fn friendly(name: Option<String>, number: &str) -> Result<String, String> {
    if name.as_ref().is_some_and(|n| n.chars().count() > 100) {
        return Err("must be at most 100 characters".to_owned());
    }
    Ok(name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| number.to_owned()))
}

pub(super) fn mms_check(platform: &PlatformRow, kind: MessagingType) -> Result<(), ApiError> {
    if kind == MessagingType::MmsSms && !platform.mms_available {
        return Err(ApiError::new(
            ErrorCode::MmsNotAvailable,
            format!(
                "MMS is not available on the CPaaS platform {}: choose SMS.",
                platform.name
            ),
        )
        .with_field(
            "messaging_type",
            "MMS & SMS needs a platform with MMS available",
        ));
    }
    Ok(())
}

/// Who a number is assigned to.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    User(i64),
    /// An SMS media stream (R10): never asks for opt-in.
    Stream(i64),
}

/// Step 1 of an assignment: scope, fields, platform rules, one active assignment.
pub fn prepare(
    conn: &mut DbConnection,
    user: &PortalUser,
    keys: &crate::crypto::SecretBox,
    target: Target,
    input: NewCpaasNumber,
) -> Result<Prepared, ApiError> {
    let (consumer, customer) = match target {
        Target::User(id) => {
            let (row, customer) = users::find_visible(conn, user, id)?;
            (("user", Some(row.id), None, row.name), customer)
        }
        Target::Stream(id) => {
            let (row, customer) = queues::find_visible_stream(conn, user, id)?;
            if row.media_type != "sms" {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "Only a media stream of media type SMS takes a CPaaS number.",
                ));
            }
            if let Some(active) = number::active_of_stream(conn, row.id)? {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!(
                        "The media stream already has the number {}: remove it first.",
                        active.number
                    ),
                ));
            }
            (("media_stream", None, Some(row.id), row.name), customer)
        }
    };
    let provider = organization::provider_of(&customer.path).unwrap_or(customer.id);
    let mut problems = Vec::new();
    let number = match PhoneNumber::parse(input.number.as_deref().unwrap_or_default()) {
        Ok(number) => Some(number),
        Err(problem) => {
            problems.push(("number", problem));
            None
        }
    };
    let name = match friendly(
        input.friendly_name,
        number.as_ref().map_or("", |n| n.digits()),
    ) {
        Ok(name) => name,
        Err(problem) => {
            problems.push(("friendly_name", problem));
            String::new()
        }
    };
    let (Some(number), true) = (number, problems.is_empty()) else {
        return Err(ApiError::invalid(problems));
    };
    let platform = choose_platform(conn, provider, input.platform_id)?;
    let kind = input.messaging_type.unwrap_or_default();
    mms_check(&platform, kind)?;
    // Whether someone holds the number is asked only after the carrier confirmed that the
    // caller's account owns it (`store`): before, the answer would tell about any number.
    let secrets = platforms::open(&platform, keys)?;
    Ok(Prepared {
        row: NumberRow::pending(number::NewAssignment {
            digits: number.digits(),
            friendly_name: name,
            platform: &platform,
            customer_id: customer.id,
            customer_path: &customer.path,
            consumer_kind: consumer.0,
            end_user_id: consumer.1,
            media_stream_id: consumer.2,
            consumer_name: consumer.3,
            messaging_type: kind,
            user_can_block_numbers: input
                .user_can_block_numbers
                .unwrap_or(platform.user_can_block_numbers),
        }),
        platform,
        secrets,
    })
}

/// Assigns a number to `target`: `prepare`, the carrier's check (R8), `store`; the worker is
/// woken for the provisioning job.
pub async fn assign(
    deps: &Deps,
    user: &PortalUser,
    target: Target,
    input: NewCpaasNumber,
) -> Result<NumberRow, ApiError> {
    assign_with(deps, user, target, input, |_, row| Ok(row)).await
}

/// [`assign`], with `also` run on the stored assignment in the transaction that stores it.
pub async fn assign_with(
    deps: &Deps,
    user: &PortalUser,
    target: Target,
    input: NewCpaasNumber,
    also: impl FnOnce(&mut DbConnection, NumberRow) -> Result<NumberRow, ApiError> + Send + 'static,
) -> Result<NumberRow, ApiError> {
    let (keys, prepare_user, store_user) = (deps.secrets.clone(), user.clone(), user.clone());
    let prepared = deps
        .db
        .run(move |conn| prepare(conn, &prepare_user, &keys, target, input))
        .await?;
    verify(deps.carrier.as_ref(), &prepared).await?;
    let row = deps
        .db
        .run(move |conn| {
            conn.transaction(|conn| {
                let row = store(conn, &store_user, prepared)?;
                also(conn, row)
            })
        })
        .await?;
    deps.jobs.notify_one();
    Ok(row)
}

/// Step 2 (R8): the number must be on the platform's carrier account.
pub async fn verify(carrier: &dyn Carrier, prepared: &Prepared) -> Result<(), ApiError> {
    match carrier
        .number_detail(&prepared.secrets.account, &prepared.row.number)
        .await
    {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(ApiError::new(ErrorCode::NumberNotOnAccount, NOT_ON_ACCOUNT)
            .with_field("number", "is not on this Inteliquent account")),
        Err(CarrierError::Rejected(_)) => Err(ApiError::new(
            ErrorCode::CarrierRejectedCredentials,
            format!(
                "Inteliquent rejected the stored credentials of the CPaaS platform {}: update the platform.",
                prepared.platform.name
            ),
        )),
        Err(err) => Err(ApiError::new(
            ErrorCode::CarrierUnreachable,
            format!("The number could not be checked because {err}. Nothing was saved; try again."),
        )),
    }
}

pub(super) fn record(
    conn: &mut DbConnection,
    user: &PortalUser,
    row: &NumberRow,
    action: HistoryAction,
    changes: Vec<FieldChange>,
) -> diesel::QueryResult<()> {
    let subject = Subject {
        scope_path: &row.scope_path,
        kind: "cpaas_number",
        id: row.id,
        label: format!("CPaaS number {} ({})", row.number, row.friendly_name),
    };
    audit::record(conn, user, subject, action, changes)
}

fn unique_violation(err: &DieselError) -> bool {
    matches!(
        err,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Step 3: the assignment, its provisioning job and its history, in one transaction.
pub fn store(
    conn: &mut DbConnection,
    user: &PortalUser,
    prepared: Prepared,
) -> Result<NumberRow, ApiError> {
    let Prepared { row, .. } = prepared;
    if let Some(active) = number::active(conn, &row.number)? {
        return Err(already_assigned(user, &row.number, Some(&active)));
    }
    let result = conn.transaction(|conn| {
        let saved = number::insert(conn, &row)?;
        Job::ProvisionNumber {
            number_id: saved.id,
        }
        .enqueue(conn)?;
        let changes = audit::diff([
            ("number", None, Some(saved.number.clone())),
            ("friendly_name", None, Some(saved.friendly_name.clone())),
            ("assigned_to", None, Some(saved.consumer_name.clone())),
            (
                "platform_id",
                None,
                saved.platform_id.map(|id| id.to_string()),
            ),
            ("messaging_type", None, Some(saved.messaging_type.clone())),
            (
                "user_can_block_numbers",
                None,
                Some(saved.user_can_block_numbers.to_string()),
            ),
        ]);
        record(conn, user, &saved, HistoryAction::Create, changes)?;
        Ok::<_, DieselError>(saved)
    });
    match result {
        Ok(saved) => Ok(saved),
        // Another request assigned the number first: the index keeps one active assignment.
        Err(err) if unique_violation(&err) => {
            let holder = number::active(conn, &row.number)?;
            Err(already_assigned(user, &row.number, holder.as_ref()))
        }
        Err(err) => Err(err.into()),
    }
}
