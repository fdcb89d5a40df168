//! The dev-mode simulator API: operators see the simulated accounts and add numbers; others
//! are refused; with the real carrier configured it is not there.

use cpaas_api::config::CarrierKind;
use cpaas_shared::{ApiErrorBody, ErrorCode, SimulatorState};
use cpaas_tests::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn operators_see_the_simulated_account_and_add_numbers() {
    let app = TestApp::spawn().await;
    app.create_operator("ops@kakapo.example", PASSWORD, "Kakapo");
    app.create_admin("admin@other.example", PASSWORD, "Other");
    let ops = app.token("ops@kakapo.example", PASSWORD).await;
    let res = app.call(&ops, Method::GET, "/api/v1/simulator", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let state: SimulatorState = res.json().await.expect("state");
    let demo = &state.accounts[0];
    assert_eq!(demo.account_key_hint, "••••HEHY");
    let numbers: Vec<&str> = demo.numbers.iter().map(|n| n.number.as_str()).collect();
    assert_eq!(
        numbers,
        ["2019920778", "2019920780", "2019920781", "9495418806"]
    );
    assert!(
        demo.numbers
            .iter()
            .all(|n| n.status == "In Service" && !n.active)
    );

    let body = json!({ "numbers": ["(949) 555-0101", "+1 312 555 0100"] });
    let res = app
        .call(&ops, Method::POST, "/api/v1/simulator/numbers", Some(body))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let state: SimulatorState = res.json().await.expect("state");
    let numbers: Vec<&str> = state.accounts[0]
        .numbers
        .iter()
        .map(|n| n.number.as_str())
        .collect();
    assert!(
        numbers.contains(&"9495550101") && numbers.contains(&"3125550100"),
        "{numbers:?}"
    );
    let res = app
        .call(
            &ops,
            Method::POST,
            "/api/v1/simulator/numbers",
            Some(json!({ "numbers": ["12345"] })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ApiErrorBody = res.json().await.expect("envelope");
    assert!(
        body.fields["numbers"][0].contains("12345"),
        "{:?}",
        body.fields
    );
    let res = app
        .call(
            &ops,
            Method::POST,
            "/api/v1/simulator/numbers",
            Some(json!({ "account": 9, "numbers": ["3125550101"] })),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let admin = app.token("admin@other.example", PASSWORD).await;
    let res = app
        .call(&admin, Method::GET, "/api/v1/simulator", None)
        .await;
    let body: ApiErrorBody = res.json().await.expect("envelope");
    assert_eq!(body.code, ErrorCode::Forbidden);
}

#[tokio::test]
async fn with_the_real_carrier_there_is_no_simulator() {
    let app = TestApp::spawn_with(|s| s.carrier = CarrierKind::Inteliquent).await;
    app.create_operator("ops@kakapo.example", PASSWORD, "Kakapo");
    let ops = app.token("ops@kakapo.example", PASSWORD).await;
    let res = app.call(&ops, Method::GET, "/api/v1/simulator", None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let ready: serde_json::Value = app.get("/readyz").await.json().await.expect("ready");
    assert_eq!(ready["carrier"], "inteliquent");
}
