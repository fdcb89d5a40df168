//! CPaaS number assignment and management (R5–R8, R11–R14). Assigning runs in three steps so
//! no transaction waits on the carrier: `prepare` (scope, fields, platform rules) → the carrier
//! confirms the number is on the account (R8) → `store` (the row, `pending`, and its
//! provisioning job in one transaction; the unique index keeps one active assignment).

use chrono::Utc;
use cpaas_shared::{
    CpaasNumberUpdate, ErrorCode, FieldChange, HistoryAction, MediaStreamSms, MessagingType,
    NewCpaasNumber, PhoneNumber,
};
use diesel::Connection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::auth::PortalUser;
use crate::carrier::{Carrier, CarrierError};
use crate::db::DbConnection;
use crate::db::models::message;
use crate::db::models::number::{self, NumberRow, Within};
use crate::db::models::organization::{self, OrgKind};
use crate::db::models::platform::{self, PlatformRow};
use crate::db::models::queue;
use crate::error::ApiError;
use crate::jobs::Job;
use crate::services::audit::{self, Subject};
use crate::services::deps::Deps;
use crate::services::platforms::{self, Secrets};
use crate::services::{queues, scope, users};

/// The guide's message (R8).
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

fn friendly(name: Option<String>, number: &str) -> Result<String, String> {
    if name.as_ref().is_some_and(|n| n.chars().count() > 100) {
        return Err("must be at most 100 characters".to_owned());
    }
    Ok(name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| number.to_owned()))
}

fn mms_check(platform: &PlatformRow, kind: MessagingType) -> Result<(), ApiError> {
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

fn record(
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

/// The visible assignment `id`, locked for the rest of the transaction. Scope first: a
/// number outside the caller's subtree is never locked.
fn lock_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<NumberRow, ApiError> {
    find_visible(conn, user, id)?;
    number::lock(conn, id)?;
    find_visible(conn, user, id)
}

/// The visible assignment `id`.
pub fn find_visible(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<NumberRow, ApiError> {
    number::find_within(conn, id, &user.scope)?
        .ok_or_else(|| ApiError::not_found(format!("There is no CPaaS number {id}.")))
}

fn active_only(row: &NumberRow) -> Result<(), ApiError> {
    if row.end_date.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "This assignment has ended; it is kept as history and cannot be changed.",
        ));
    }
    Ok(())
}

/// Changes friendly name, messaging type or blocking (R13: the same rules as assigning). A new
/// messaging type is provisioned again.
pub fn update(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
    update: CpaasNumberUpdate,
) -> Result<NumberRow, ApiError> {
    conn.transaction(|conn| {
        let current = lock_visible(conn, user, id)?;
        active_only(&current)?;
        let mut next = current.clone();
        if let Some(name) = update.friendly_name {
            next.friendly_name = friendly(Some(name), &current.number)
                .map_err(|p| ApiError::invalid(vec![("friendly_name", p)]))?;
        }
        if let Some(kind) = update.messaging_type {
            let platform_id = current
                .platform_id
                .ok_or_else(|| ApiError::internal("an active number without a platform"))?;
            mms_check(&platform::find(conn, platform_id)?, kind)?;
            next.messaging_type = kind.as_str().to_owned();
        }
        next.user_can_block_numbers = update
            .user_can_block_numbers
            .unwrap_or(next.user_can_block_numbers);
        let changes = audit::diff([
            (
                "friendly_name",
                Some(current.friendly_name.clone()),
                Some(next.friendly_name.clone()),
            ),
            (
                "messaging_type",
                Some(current.messaging_type.clone()),
                Some(next.messaging_type.clone()),
            ),
            (
                "user_can_block_numbers",
                Some(current.user_can_block_numbers.to_string()),
                Some(next.user_can_block_numbers.to_string()),
            ),
        ]);
        if changes.is_empty() {
            return Ok(current);
        }
        let now = Utc::now().naive_utc();
        next.updated_at = now;
        if next.messaging_type != current.messaging_type {
            next.provisioning_state = "pending".to_owned();
            next.provisioning_detail =
                Some("Messaging type changed: configuring the carrier again.".to_owned());
            next.provisioning_updated_at = now;
            Job::ProvisionNumber { number_id: id }.enqueue(conn)?;
        }
        let saved = number::save(conn, &next)?;
        record(conn, user, &saved, HistoryAction::Update, changes)?;
        Ok(saved)
    })
}

/// Ends the assignment (R14): the end date is set, the carrier webhook is removed by a job; the
/// row stays as history.
pub fn delete(conn: &mut DbConnection, user: &PortalUser, id: i64) -> Result<NumberRow, ApiError> {
    conn.transaction(|conn| {
        let mut row = lock_visible(conn, user, id)?;
        active_only(&row)?;
        let now = Utc::now().naive_utc();
        row.end_date = Some(now);
        row.updated_at = now;
        row.provisioning_state = "removing".to_owned();
        row.provisioning_detail = Some("Removing the carrier webhook.".to_owned());
        row.provisioning_updated_at = now;
        let saved = number::save(conn, &row)?;
        let deleted = message::delete_of_number(conn, id)?;
        Job::RemoveNumber { number_id: id }.enqueue(conn)?;
        let changes = messages_deleted(deleted);
        record(conn, user, &saved, HistoryAction::Delete, changes)?;
        Ok(saved)
    })
}

/// R14 Delete Messages: the number's stored messages go, the number stays. Answers how many
/// went (none for an ended assignment: its messages went with it).
pub fn delete_messages(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<u64, ApiError> {
    conn.transaction(|conn| {
        let row = lock_visible(conn, user, id)?;
        let deleted = message::delete_of_number(conn, id)?;
        if deleted > 0 {
            record(
                conn,
                user,
                &row,
                HistoryAction::Update,
                messages_deleted(deleted),
            )?;
        }
        Ok(u64::try_from(deleted).unwrap_or_default())
    })
}

/// The history's note of deleted messages (never their content).
fn messages_deleted(count: usize) -> Vec<FieldChange> {
    if count == 0 {
        return Vec::new();
    }
    audit::diff([(
        "messages",
        Some(format!("{count} stored")),
        Some("deleted".to_owned()),
    )])
}

/// R13: back to pending; the client asks again on its next start.
pub fn reset_opt_in(
    conn: &mut DbConnection,
    user: &PortalUser,
    id: i64,
) -> Result<NumberRow, ApiError> {
    conn.transaction(|conn| {
        let mut row = lock_visible(conn, user, id)?;
        active_only(&row)?;
        if row.consumer_kind != "user" {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "Media stream numbers have no opt-in.",
            ));
        }
        let before = row.opt_in_state.clone();
        row.opt_in_state = "pending".to_owned();
        row.opt_in_at = None;
        row.updated_at = Utc::now().naive_utc();
        let saved = number::save(conn, &row)?;
        let changes = audit::diff([("opt_in_state", Some(before), Some("pending".to_owned()))]);
        record(conn, user, &saved, HistoryAction::Update, changes)?;
        Ok(saved)
    })
}

/// Where a list of numbers is asked for.
#[derive(Debug, Clone, Copy)]
pub enum Level {
    Organization(OrgKind, i64),
    User(i64),
    Queue(i64),
}

/// The numbers at `level` and below (R11, R24).
pub fn list(
    conn: &mut DbConnection,
    user: &PortalUser,
    level: Level,
    search: Option<&str>,
    sort: number::Sort,
    page: u32,
    per_page: u32,
) -> Result<number::Listed, ApiError> {
    let within = match level {
        Level::Organization(kind, id) => {
            let org = scope::find_visible(conn, user, kind, id)?;
            Within::Organization(kind, org.id, org.path)
        }
        Level::User(id) => Within::User(users::find_visible(conn, user, id)?.0.id),
        Level::Queue(id) => {
            let (queue_row, _) = queues::find_visible(conn, user, id)?;
            let (streams, _) = queue::list_streams(conn, queue_row.id, None, 1, u32::MAX)?;
            Within::Streams(streams.iter().map(|s| s.id).collect())
        }
    };
    let search = search.map(str::trim).filter(|s| !s.is_empty()).map(|text| {
        // "(201) 992" searches the digits 201992; anything else searches as typed.
        let phone_like = text
            .chars()
            .all(|c| c.is_ascii_digit() || " ()-.+".contains(c));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let text = text.to_lowercase();
        number::Search {
            number: if phone_like && !digits.is_empty() {
                digits
            } else {
                text.clone()
            },
            text,
        }
    });
    Ok(number::list(
        conn,
        &within,
        search.as_ref(),
        sort,
        page,
        per_page,
    )?)
}

/// The platforms a number of `target` can be assigned on.
pub fn platforms_for(
    conn: &mut DbConnection,
    user: &PortalUser,
    target: Target,
) -> Result<Vec<cpaas_shared::PlatformChoice>, ApiError> {
    let customer = match target {
        Target::User(id) => users::find_visible(conn, user, id)?.1,
        Target::Stream(id) => queues::find_visible_stream(conn, user, id)?.1,
    };
    let provider = organization::provider_of(&customer.path).unwrap_or(customer.id);
    Ok(platform::of_provider(conn, provider)?
        .into_iter()
        .map(|p| cpaas_shared::PlatformChoice {
            id: p.id,
            name: p.name,
            user_confirmation_required: p.user_confirmation_required,
            user_can_block_numbers: p.user_can_block_numbers,
            mms_available: p.mms_available,
        })
        .collect())
}

/// The SMS configuration of media stream `stream_id`: its active number.
pub fn stream_sms(
    conn: &mut DbConnection,
    user: &PortalUser,
    stream_id: i64,
) -> Result<NumberRow, ApiError> {
    let (stream, _) = queues::find_visible_stream(conn, user, stream_id)?;
    number::active_of_stream(conn, stream.id)?.ok_or_else(|| {
        ApiError::not_found(format!(
            "The media stream {} has no SMS configuration.",
            stream.name
        ))
    })
}

/// A stream's initial reply as typed: `None` leaves it, `Some(None)` clears it.
fn initial_reply(text: Option<String>) -> Result<Option<Option<String>>, ApiError> {
    if text.as_ref().is_some_and(|t| t.chars().count() > 1000) {
        return Err(ApiError::invalid(vec![(
            "initial_reply",
            "must be at most 1000 characters".to_owned(),
        )]));
    }
    Ok(text.map(|t| Some(t.trim().to_owned()).filter(|t| !t.is_empty())))
}

/// The assignment a new SMS configuration makes.
pub fn stream_assignment(input: &MediaStreamSms) -> NewCpaasNumber {
    NewCpaasNumber {
        number: input.number.clone(),
        friendly_name: None,
        platform_id: input.platform_id,
        messaging_type: Some(if input.mms_available == Some(true) {
            MessagingType::MmsSms
        } else {
            MessagingType::Sms
        }),
        user_can_block_numbers: input.remote_numbers_can_be_blocked,
    }
}

/// Changes an existing SMS configuration (R10); `None` when the stream has none yet (the
/// caller then assigns its number). Another number than the configured one is refused.
pub fn update_stream_sms(
    conn: &mut DbConnection,
    user: &PortalUser,
    stream_id: i64,
    input: &MediaStreamSms,
) -> Result<Option<NumberRow>, ApiError> {
    let (stream, _) = queues::find_visible_stream(conn, user, stream_id)?;
    let reply = initial_reply(input.initial_reply.clone())?;
    let Some(current) = number::active_of_stream(conn, stream.id)? else {
        return Ok(None);
    };
    if let Some(typed) = input.number.as_deref() {
        let same = PhoneNumber::parse(typed).is_ok_and(|n| n.digits() == current.number);
        if !same {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "The media stream already has the number {}: remove it first to use another.",
                    current.number
                ),
            ));
        }
    }
    let change = CpaasNumberUpdate {
        friendly_name: None,
        messaging_type: input.mms_available.map(|mms| {
            if mms {
                MessagingType::MmsSms
            } else {
                MessagingType::Sms
            }
        }),
        user_can_block_numbers: input.remote_numbers_can_be_blocked,
    };
    let mut row = update(conn, user, current.id, change)?;
    if let Some(reply) = reply
        && reply != row.initial_reply
    {
        row = number::set_initial_reply(conn, row.id, reply.as_deref())?;
    }
    Ok(Some(row))
}

/// Assigns a media stream its SMS configuration's number (R10), with the initial reply, as
/// [`assign`] does for users.
pub async fn assign_stream_sms(
    deps: &Deps,
    user: &PortalUser,
    stream_id: i64,
    input: &MediaStreamSms,
) -> Result<NumberRow, ApiError> {
    let reply = initial_reply(input.initial_reply.clone())?.flatten();
    let target = Target::Stream(stream_id);
    assign_with(
        deps,
        user,
        target,
        stream_assignment(input),
        move |conn, row| match reply {
            Some(reply) => Ok(number::set_initial_reply(conn, row.id, Some(&reply))?),
            None => Ok(row),
        },
    )
    .await
}
