//! Every log line the api writes during a test run, at debug level, kept in memory so a test
//! can prove that no secret (password, token, carrier key) ever reaches a log. `TEST_LOG=1`
//! also prints them.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

static LINES: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<()> = OnceLock::new();

#[derive(Clone, Copy)]
struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if std::env::var_os("TEST_LOG").is_some() {
            std::io::stderr().write_all(buf)?;
        }
        LINES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Self::Writer {
        *self
    }
}

/// Installs the capturing subscriber once per test process.
pub fn install() {
    INSTALLED.get_or_init(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new("debug"))
            .with_ansi(false)
            .with_writer(Capture)
            .try_init();
    });
}

/// Everything logged so far by any app in this test process.
pub fn captured() -> String {
    let lines = LINES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    String::from_utf8_lossy(&lines).into_owned()
}

/// Panics if `secret` appears in any log line so far.
pub fn assert_absent(secret: &str) {
    let logs = captured();
    assert!(!logs.is_empty(), "no log lines were captured at all");
    assert!(
        !logs.contains(secret),
        "a secret reached the logs: {}",
        logs.lines()
            .find(|line| line.contains(secret))
            .unwrap_or_default()
    );
}
