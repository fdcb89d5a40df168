//! A production configuration (PostgreSQL, a non-loopback bind, the real carrier) refuses to
//! serve without configured secrets, and demo data loads only for the simulator: the real
//! binary, run as an operator would.

use std::process::{Command, Output};

fn cpaas(args: &[&str], env: &[(&str, &str)]) -> Output {
    let data = tempfile::tempdir().expect("data dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_cpaas"));
    command
        .args(args)
        .env_clear()
        .env("CPAAS_DATA_DIR", data.path())
        .env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("cpaas runs")
}

fn refused(output: &Output) -> String {
    assert!(!output.status.success(), "it started");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn production_serving_needs_both_secrets() {
    for (why, env) in [
        ("a non-loopback address", vec![("CPAAS_BIND", "0.0.0.0:0")]),
        (
            "the real carrier",
            vec![
                ("CPAAS_BIND", "127.0.0.1:0"),
                ("CPAAS_CARRIER", "inteliquent"),
            ],
        ),
    ] {
        let stderr = refused(&cpaas(&["serve"], &env));
        assert!(
            stderr.contains("CPAAS_JWT_SECRET and CPAAS_SECRET_KEY must be set"),
            "{why}: {stderr}"
        );
        // One of them set: the other is named.
        let mut one = env.clone();
        one.push((
            "CPAAS_JWT_SECRET",
            "a production signing secret of 32 bytes",
        ));
        let stderr = refused(&cpaas(&["serve"], &one));
        assert!(
            stderr.contains("CPAAS_SECRET_KEY must be set") && !stderr.contains("JWT"),
            "{why}: {stderr}"
        );
    }
}

#[test]
fn demo_data_is_for_the_simulator_only() {
    let stderr = refused(&cpaas(&["demo"], &[("CPAAS_CARRIER", "inteliquent")]));
    assert!(stderr.contains("simulator only"), "{stderr}");
}
