//! The dev-mode Simulator page's API: what the built-in simulator's accounts hold, and adding
//! numbers to one. Operators only; `not_found` when the api talks to the real Inteliquent.

use actix_web::{get, post, web};
use cpaas_shared::{
    ApiErrorBody, ErrorCode, NewSimulatedNumbers, SimulatedAccount, SimulatedMessage,
    SimulatedNumber, SimulatedWebhook, SimulatorState,
};

use crate::auth::PortalUser;
use crate::carrier::simulator::state::DEMO_ACCOUNT_KEY;
use crate::carrier::simulator::{AccountView, Simulator};
use crate::crypto;
use crate::error::ApiError;
use crate::extract::Json;
use crate::state::AppState;

fn running(state: &AppState, user: &PortalUser) -> Result<std::sync::Arc<Simulator>, ApiError> {
    if !user.account.operator {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Only operator accounts can use the simulator page.",
        ));
    }
    state.simulator.clone().ok_or_else(|| {
        ApiError::not_found(
            "The built-in simulator is not running (CPAAS_CARRIER is not `simulator`).",
        )
    })
}

/// The accounts in a stable order: the demo account first, then by key.
fn ordered(simulator: &Simulator) -> Vec<AccountView> {
    let mut accounts = simulator.accounts();
    accounts.sort_by_key(|a| (a.account_key != DEMO_ACCOUNT_KEY, a.account_key.clone()));
    accounts
}

fn view(accounts: Vec<AccountView>) -> SimulatorState {
    SimulatorState {
        accounts: (1..)
            .zip(accounts)
            .map(|(id, a)| SimulatedAccount {
                id,
                account_key_hint: crypto::hint(&a.account_key),
                numbers: a
                    .numbers
                    .into_iter()
                    .map(|n| SimulatedNumber {
                        number: n.number,
                        status: n.status,
                        messaging: n.messaging,
                        active: n.active,
                    })
                    .collect(),
                webhooks: a
                    .webhooks
                    .into_iter()
                    .map(|w| SimulatedWebhook {
                        number: w.number,
                        url: w.url,
                        header_name: w.header_name,
                    })
                    .collect(),
                published: a
                    .published
                    .into_iter()
                    .map(|m| SimulatedMessage {
                        reference_id: m.reference_id,
                        from: m.from,
                        to: m.to,
                        text: m.text,
                        media_urls: m.media_urls,
                        at: m.at,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The simulated Inteliquent accounts: numbers, webhooks, published messages.
#[utoipa::path(
    tag = "simulator",
    security(("bearer" = [])),
    responses(
        (status = OK, description = "What the simulator holds", body = SimulatorState),
        (status = FORBIDDEN, description = "Not an operator", body = ApiErrorBody),
        (status = NOT_FOUND, description = "The simulator is not running", body = ApiErrorBody),
    )
)]
#[get("/simulator")]
pub async fn get_simulator(
    state: web::Data<AppState>,
    user: PortalUser,
) -> Result<web::Json<SimulatorState>, ApiError> {
    let simulator = running(&state, &user)?;
    Ok(web::Json(view(ordered(&simulator))))
}

/// Puts numbers on a simulated account (as if bought from Inteliquent).
#[utoipa::path(
    tag = "simulator",
    security(("bearer" = [])),
    request_body = NewSimulatedNumbers,
    responses(
        (status = OK, description = "What the simulator holds now", body = SimulatorState),
        (status = FORBIDDEN, description = "Not an operator", body = ApiErrorBody),
        (status = NOT_FOUND, description = "The simulator is not running, or no such account", body = ApiErrorBody),
        (status = UNPROCESSABLE_ENTITY, description = "A number is not a US number", body = ApiErrorBody),
    )
)]
#[post("/simulator/numbers")]
pub async fn add_simulated_numbers(
    state: web::Data<AppState>,
    user: PortalUser,
    body: Json<NewSimulatedNumbers>,
) -> Result<web::Json<SimulatorState>, ApiError> {
    let simulator = running(&state, &user)?;
    let body = body.into_inner();
    let wanted = body.account.unwrap_or(1);
    let accounts = ordered(&simulator);
    let account = usize::try_from(wanted)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| accounts.get(i))
        .ok_or_else(|| ApiError::not_found(format!("There is no simulated account {wanted}.")))?;
    if body.numbers.is_empty() {
        return Err(
            ApiError::new(ErrorCode::ValidationFailed, "Name at least one number.")
                .with_field("numbers", "is required"),
        );
    }
    simulator
        .add_numbers(&account.account_key, &body.numbers)
        .map_err(|problem| {
            ApiError::new(ErrorCode::ValidationFailed, format!("{problem}."))
                .with_field("numbers", problem)
        })?;
    Ok(web::Json(view(ordered(&simulator))))
}
