//! `cpaas simulator` runs the simulator alone, and the real client talks to it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use cpaas_api::carrier::simulator::state::{
    DEMO_ACCOUNT_KEY, DEMO_OUTBOUND_KEY, DEMO_TOKEN_SECRET,
};
use cpaas_api::carrier::{Carrier, Endpoints, Inteliquent, ServicesAccount};
use secrecy::SecretString;

#[tokio::test]
async fn the_standalone_simulator_answers_the_real_client() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpaas"))
        .args(["simulator", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cpaas simulator starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the address is printed");
    let base = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .map(|url| url.trim_end_matches(':').to_owned())
        .expect("an http:// address");
    let client = Inteliquent::new(Endpoints::under(&base), Duration::from_secs(2)).expect("client");
    let account = ServicesAccount {
        key: SecretString::from(DEMO_ACCOUNT_KEY.to_owned()),
        secret: SecretString::from(DEMO_TOKEN_SECRET.to_owned()),
    };
    let services = client.verify_services(&account).await;
    let outbound = client
        .verify_outbound(&SecretString::from(DEMO_OUTBOUND_KEY.to_owned()))
        .await;
    let _ = child.kill();
    let _ = child.wait();
    services.expect("the demo account exists");
    outbound.expect("the demo outbound key works");
}
