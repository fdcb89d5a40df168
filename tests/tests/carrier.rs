//! The real Inteliquent client against the simulator (a real HTTP server on loopback): every
//! operation, every fault, and the simulator's webhook deliveries to a real receiver.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use cpaas_api::carrier::simulator::state::{
    DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
};
use cpaas_api::carrier::simulator::{Behaviour, Faults, Forced, InboundRequest, Simulator};
use cpaas_api::carrier::{
    Carrier, CarrierError, Credential, Endpoints, Inteliquent, MessagingType, Outbound,
    ServicesAccount, WebhookSpec,
};
use secrecy::SecretString;
use serde_json::Value;

struct Rig {
    sim: Arc<Simulator>,
    /// The simulator's base URL (its control API is under `/control`).
    base: String,
    client: Inteliquent,
    account: ServicesAccount,
    outbound: SecretString,
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

async fn rig(behaviour: Behaviour) -> Rig {
    let sim = Simulator::new(behaviour).expect("simulator");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(sim.serve(listener).expect("serves"));
    let client = Inteliquent::new(
        Endpoints::under(&format!("http://127.0.0.1:{port}")),
        Duration::from_millis(700),
    )
    .expect("client");
    Rig {
        sim,
        base: format!("http://127.0.0.1:{port}"),
        client,
        account: ServicesAccount {
            key: secret(DEMO_ACCOUNT_KEY),
            secret: secret(DEMO_TOKEN_SECRET),
        },
        outbound: secret(DEMO_OUTBOUND_KEY),
    }
}

/// Each POST a receiver got: its `X-Cpaas-Webhook-Token` header and its JSON body.
type Seen = Arc<Mutex<Vec<(Option<String>, Value)>>>;

/// A webhook receiver that records each POST's headers and body and answers `status`.
struct Receiver {
    url: String,
    seen: Seen,
}

async fn receiver(status: u16) -> Receiver {
    let seen: Seen = Arc::default();
    let data = web::Data::new((Arc::clone(&seen), status));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let port = listener.local_addr().expect("addr").port();
    let server = HttpServer::new(move || {
        App::new().app_data(data.clone()).route(
            "/hook",
            web::post().to(
                |req: HttpRequest,
                 body: web::Json<Value>,
                 data: web::Data<(Seen, u16)>| async move {
                    let header = req
                        .headers()
                        .get("x-cpaas-webhook-token")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    data.0.lock().expect("lock").push((header, body.into_inner()));
                    HttpResponse::build(
                        actix_web::http::StatusCode::from_u16(data.1).expect("status"),
                    )
                    .finish()
                },
            ),
        )
    })
    .workers(1)
    .listen(listener)
    .expect("listens")
    .run();
    tokio::spawn(server);
    Receiver {
        url: format!("http://127.0.0.1:{port}/hook"),
        seen,
    }
}

#[tokio::test]
async fn credentials_are_checked_separately() {
    let r = rig(Behaviour::default()).await;
    r.client
        .verify_services(&r.account)
        .await
        .expect("demo key and secret");
    r.client
        .verify_outbound(&r.outbound)
        .await
        .expect("demo outbound key");
    let wrong_secret = ServicesAccount {
        secret: secret("not-the-secret"),
        ..r.account.clone()
    };
    let wrong_key = ServicesAccount {
        key: secret("NotAKey"),
        ..r.account.clone()
    };
    for account in [wrong_secret, wrong_key] {
        assert_eq!(
            r.client.verify_services(&account).await,
            Err(CarrierError::Rejected(Credential::Services))
        );
    }
    let err = r
        .client
        .verify_outbound(&secret("wrong-outbound"))
        .await
        .expect_err("refused");
    assert_eq!(err, CarrierError::Rejected(Credential::Outbound));
    assert!(!err.retryable());
}

#[tokio::test]
async fn numbers_messaging_and_publishing_with_the_provisioning_delay() {
    let r = rig(Behaviour {
        provisioning_delay_ms: 300,
        ..Behaviour::default()
    })
    .await;
    let detail = r
        .client
        .number_detail(&r.account, "2019920780")
        .await
        .expect("lookup")
        .expect("on the account");
    assert_eq!(
        (detail.status.as_str(), detail.messaging),
        ("In Service", None)
    );
    assert_eq!(
        r.client
            .number_detail(&r.account, "2019920789")
            .await
            .expect("lookup"),
        None,
        "430 No Result Found: not on the account"
    );

    r.client
        .enable_messaging(&r.account, "2019920780", MessagingType::MmsSms)
        .await
        .expect("enabled");
    let detail = r
        .client
        .number_detail(&r.account, "2019920780")
        .await
        .expect("lookup")
        .expect("on the account");
    assert_eq!(
        detail.messaging,
        Some(("A2PLC".to_owned(), "SMSMMS".to_owned()))
    );
    let refused = r
        .client
        .enable_messaging(&r.account, "2019920789", MessagingType::Sms)
        .await
        .expect_err("not ours");
    assert!(
        matches!(refused, CarrierError::Refused { ref code, .. } if code == "430"),
        "{refused:?}"
    );

    let message = Outbound {
        from: "2019920780".to_owned(),
        to: "3125550100".to_owned(),
        text: "Hello".to_owned(),
        media_urls: vec!["https://example.com/pic.jpg".to_owned()],
    };
    let early = r
        .client
        .publish(&r.outbound, &message)
        .await
        .expect_err("messaging not active yet");
    assert!(
        matches!(early, CarrierError::Refused { ref code, .. } if code == "INVALID_FROM"),
        "{early:?}"
    );
    // Once the provisioning delay has passed, the same message goes out.
    let published = cpaas_tests::eventually(Duration::from_secs(5), "messaging to work", || {
        let (client, outbound, message) = (&r.client, &r.outbound, &message);
        async move { client.publish(outbound, message).await.ok() }
    })
    .await;
    assert_eq!(published.status, "SUCCESS");
    assert_eq!(published.reference_id.len(), 36, "a UUID");
    let account = r
        .sim
        .accounts()
        .into_iter()
        .find(|a| a.account_key == DEMO_ACCOUNT_KEY)
        .expect("demo account");
    let sent = &account.published[0];
    assert_eq!(sent.reference_id, published.reference_id);
    assert_eq!(
        (sent.from.as_str(), sent.to.as_slice()),
        ("2019920780", &["3125550100".to_owned()][..])
    );
    assert_eq!(sent.media_urls.len(), 1);
}

#[tokio::test]
async fn webhooks_are_added_listed_and_removed() {
    let r = rig(Behaviour::default()).await;
    assert!(
        r.client
            .list_webhooks(&r.outbound)
            .await
            .expect("list")
            .is_empty(),
        "the outbound key is not a webhook"
    );
    let spec = |number: &str| WebhookSpec {
        number: number.to_owned(),
        url: format!("https://bridge.example/webhooks/inteliquent/1?n={number}"),
        header_name: "X-Cpaas-Webhook-Token".to_owned(),
        header_value: secret("hook-secret"),
    };
    let first = r
        .client
        .add_webhook(&r.outbound, &spec("2019920778"))
        .await
        .expect("added");
    let second = r
        .client
        .add_webhook(&r.outbound, &spec("2019920780"))
        .await
        .expect("added");
    assert_ne!(first, second);
    let hooks = r.client.list_webhooks(&r.outbound).await.expect("list");
    assert_eq!(hooks.len(), 2);
    assert_eq!(hooks[0].number.as_deref(), Some("2019920778"));
    assert_eq!(
        hooks[0].header_name.as_deref(),
        Some("X-Cpaas-Webhook-Token")
    );
    r.client
        .remove_webhook(&r.outbound, &first)
        .await
        .expect("removed");
    let hooks = r.client.list_webhooks(&r.outbound).await.expect("list");
    assert_eq!(
        hooks.iter().map(|h| h.auth_id.as_str()).collect::<Vec<_>>(),
        [second.as_str()]
    );
    let missing = r
        .client
        .remove_webhook(&r.outbound, &first)
        .await
        .expect_err("gone");
    assert!(
        matches!(missing, CarrierError::Refused { ref code, .. } if code == "NOT_FOUND"),
        "{missing:?}"
    );
    let foreign = r
        .client
        .add_webhook(&r.outbound, &spec("2019920789"))
        .await
        .expect_err("not ours");
    assert!(
        matches!(foreign, CarrierError::Refused { .. }),
        "{foreign:?}"
    );
}

#[tokio::test]
async fn every_fault_is_told_apart() {
    let r = rig(Behaviour {
        hang_ms: 3_000,
        ..Behaviour::default()
    })
    .await;
    let force = |forced: Forced| Faults {
        force: Some(forced),
        count: Some(1),
        ..Faults::default()
    };

    r.sim.set_faults(force(Forced::ServerError));
    let err = r.client.verify_services(&r.account).await.expect_err("5xx");
    assert!(
        matches!(err, CarrierError::Unavailable(ref d) if d == "HTTP 503") && err.retryable(),
        "{err:?}"
    );
    r.client
        .verify_services(&r.account)
        .await
        .expect("the fault was counted: next call works");

    r.sim.set_faults(force(Forced::Unauthorized));
    assert_eq!(
        r.client.verify_outbound(&r.outbound).await,
        Err(CarrierError::Rejected(Credential::Outbound))
    );

    r.sim.set_faults(force(Forced::Busy));
    let err = r
        .client
        .number_detail(&r.account, "2019920778")
        .await
        .expect_err("431");
    assert!(
        matches!(err, CarrierError::Unavailable(ref d) if d.starts_with("431")) && err.retryable(),
        "{err:?}"
    );
    r.sim.set_faults(force(Forced::Busy));
    let err = r.client.list_webhooks(&r.outbound).await.expect_err("429");
    assert!(
        matches!(err, CarrierError::Unavailable(ref d) if d == "HTTP 429"),
        "{err:?}"
    );

    r.sim.set_faults(force(Forced::Timeout));
    let err = r
        .client
        .verify_services(&r.account)
        .await
        .expect_err("hangs");
    assert!(err == CarrierError::Timeout && err.retryable(), "{err:?}");

    r.sim.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    assert!(
        r.client
            .verify_outbound(&r.outbound)
            .await
            .expect_err("always")
            .retryable()
    );
    r.sim.set_faults(Faults {
        latency_ms: 200,
        ..Faults::default()
    });
    let started = std::time::Instant::now();
    r.client
        .verify_outbound(&r.outbound)
        .await
        .expect("slow but fine");
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "the latency was applied"
    );

    let nowhere = Inteliquent::new(
        Endpoints::under("http://127.0.0.1:9"),
        Duration::from_millis(500),
    )
    .expect("client");
    let err = nowhere
        .verify_services(&r.account)
        .await
        .expect_err("closed port");
    assert!(
        matches!(err, CarrierError::Unreachable(_)) && err.retryable(),
        "{err:?}"
    );
}

#[tokio::test]
async fn inbound_messages_and_receipts_reach_the_webhook_with_its_header() {
    let r = rig(Behaviour {
        webhook_retries: 1,
        ..Behaviour::default()
    })
    .await;
    let ok = receiver(200).await;
    let inbound = |to: &str| InboundRequest {
        from: "+1 312 555 0100".to_owned(),
        to: to.to_owned(),
        text: "Hi there".to_owned(),
        media_urls: Vec::new(),
        reference_id: None,
    };
    let result = r.sim.deliver_inbound(inbound("2019920778")).await;
    assert!(
        !result.delivered && result.detail.contains("not active"),
        "{result:?}"
    );

    r.client
        .enable_messaging(&r.account, "2019920778", MessagingType::Sms)
        .await
        .expect("enabled");
    let result = r.sim.deliver_inbound(inbound("2019920778")).await;
    assert!(
        !result.delivered && result.detail.contains("drops"),
        "no webhook yet: {result:?}"
    );

    let spec = WebhookSpec {
        number: "2019920778".to_owned(),
        url: ok.url.clone(),
        header_name: "X-Cpaas-Webhook-Token".to_owned(),
        header_value: secret("hook-secret"),
    };
    r.client
        .add_webhook(&r.outbound, &spec)
        .await
        .expect("added");
    let result = r.sim.deliver_inbound(inbound("12019920778")).await;
    assert!(result.delivered && result.attempts == 1, "{result:?}");
    let (header, body) = ok.seen.lock().expect("lock")[0].clone();
    assert_eq!(header.as_deref(), Some("hook-secret"));
    assert_eq!(body["referenceId"], result.reference_id.as_str());
    assert_eq!(
        (body["from"].as_str(), body["to"][0].as_str()),
        (Some("13125550100"), Some("12019920778"))
    );
    assert_eq!(body["text"], "Hi there");

    let sent = r
        .client
        .publish(
            &r.outbound,
            &Outbound {
                from: "2019920778".to_owned(),
                to: "3125550100".to_owned(),
                text: "Reply".to_owned(),
                media_urls: Vec::new(),
            },
        )
        .await
        .expect("published");
    // The delivery receipt, through the control API: same referenceId, to the sender's webhook.
    let res = reqwest::Client::new()
        .post(format!("{}/control/receipts", r.base))
        .json(&serde_json::json!({ "reference_id": sent.reference_id }))
        .send()
        .await
        .expect("sent");
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let receipt: Value = res.json().await.expect("result");
    assert_eq!(receipt["delivered"], true, "{receipt}");
    let (_, dlr) = ok.seen.lock().expect("lock")[1].clone();
    assert_eq!(dlr["deliveryReceipt"], true);
    assert_eq!(dlr["referenceId"], sent.reference_id.as_str());
    assert!(
        dlr["text"]
            .as_str()
            .is_some_and(|t| t.contains("stat:DELIVRD")),
        "{dlr}"
    );

    let failing = receiver(500).await;
    r.client
        .add_webhook(
            &r.outbound,
            &WebhookSpec {
                url: failing.url.clone(),
                ..spec
            },
        )
        .await
        .expect("newer webhook");
    let result = r.sim.deliver_inbound(inbound("2019920778")).await;
    assert!(
        !result.delivered && result.attempts == 2 && result.status == Some(500),
        "retried once: {result:?}"
    );
    assert_eq!(failing.seen.lock().expect("lock").len(), 2);
}
