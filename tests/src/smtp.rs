//! A real SMTP server on loopback for the mail tests: aiosmtpd (installed by
//! `scripts/setup-test.sh`) writing every message it accepts into a Maildir we read back.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

pub struct SmtpServer {
    pub port: u16,
    child: Child,
    maildir: TempDir,
}

impl SmtpServer {
    pub async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let maildir = tempfile::tempdir().expect("maildir");
        let mut child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts (scripts/setup-test.sh installs it)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Self {
                    port,
                    child,
                    maildir,
                };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not listen on port {port}");
    }

    /// `smtp://127.0.0.1:<port>` for `CPAAS_SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message delivered so far, as raw RFC 5322 text.
    pub fn messages(&self) -> Vec<String> {
        let new: PathBuf = self.maildir.path().join("mail").join("new");
        let mut files: Vec<_> = std::fs::read_dir(new)
            .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .into_iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect()
    }

    /// Waits for a message containing `needle`.
    pub async fn wait_for(&self, needle: &str) -> String {
        crate::eventually(
            Duration::from_secs(20),
            &format!("a mail with {needle}"),
            || async { self.messages().into_iter().find(|m| m.contains(needle)) },
        )
        .await
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        // One process, ours: never a process group.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
