//! Outgoing mail (alerts): SMTP when `CPAAS_SMTP_URL` is set (`smtp://host:port`, with
//! `?tls=required` for STARTTLS or `smtps://` for TLS, as lettre reads it), otherwise one
//! `.eml` file per mail under `<data dir>/mail` for local runs. Mail is only ever sent from a
//! job, never inside a request.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// The spool directory (mode 0700; each mail 0600) and its transport.
    Spool(PathBuf, AsyncFileTransport<Tokio1Executor>),
}

/// Why a mail was not sent, and whether trying again may help.
#[derive(Debug)]
pub struct MailError {
    pub retryable: bool,
    pub detail: String,
}

impl Mailer {
    pub fn new(smtp_url: Option<&SecretString>, data_dir: &Path) -> anyhow::Result<Self> {
        match smtp_url
            .map(|u| u.expose_secret().trim())
            .filter(|u| !u.is_empty())
        {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("CPAAS_SMTP_URL is not a usable SMTP URL: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build();
                Ok(Self::Smtp(transport))
            }
            None => {
                let dir = data_dir.join("mail");
                std::fs::create_dir_all(&dir)?;
                crate::keys::restrict(&dir, 0o700)?;
                let transport = AsyncFileTransport::<Tokio1Executor>::new(&dir);
                Ok(Self::Spool(dir, transport))
            }
        }
    }

    /// Sends one plain-text message to every address in `to`.
    pub async fn send(
        &self,
        from: &str,
        to: &[String],
        subject: &str,
        body: &str,
    ) -> Result<(), MailError> {
        let final_error = |detail: String| MailError {
            retryable: false,
            detail,
        };
        let mut builder = Message::builder()
            .from(
                from.parse::<Mailbox>()
                    .map_err(|e| final_error(format!("bad sender {from}: {e}")))?,
            )
            .subject(subject)
            .header(ContentType::TEXT_PLAIN);
        for address in to {
            builder = builder.to(address
                .parse::<Mailbox>()
                .map_err(|e| final_error(format!("bad recipient {address}: {e}")))?);
        }
        let message = builder
            .body(wrapped(body))
            .map_err(|e| final_error(e.to_string()))?;
        match self {
            Self::Smtp(transport) => {
                transport
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|e| MailError {
                        retryable: !e.is_permanent(),
                        detail: e.to_string(),
                    })
            }
            Self::Spool(dir, transport) => {
                let retry = |detail: String| MailError {
                    retryable: true,
                    detail,
                };
                let id = transport
                    .send(message)
                    .await
                    .map_err(|e| retry(e.to_string()))?;
                crate::keys::restrict(&dir.join(format!("{id}.eml")), 0o600)
                    .map_err(|e| retry(e.to_string()))
            }
        }
    }
}

/// `text` with its lines wrapped at 72 characters, so the mail goes as plain 7-bit text.
pub fn wrapped(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut width = 0;
        for (i, word) in line.split(' ').enumerate() {
            if i > 0 && width + 1 + word.chars().count() > 72 {
                out.push('\n');
                width = 0;
            } else if i > 0 {
                out.push(' ');
                width += 1;
            }
            out.push_str(word);
            width += word.chars().count();
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lines_are_wrapped_at_words() {
        let text = format!("{}\nshort", "word ".repeat(30).trim_end());
        let wrapped = super::wrapped(&text);
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 72),
            "{wrapped}"
        );
        assert_eq!(wrapped.split_whitespace().count(), 31);
        assert!(wrapped.ends_with("short\n"));
    }

    #[tokio::test]
    async fn spooled_mail_is_the_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let mailer = super::Mailer::new(None, dir.path()).expect("spool");
        let to = ["alerts@example.com".to_owned()];
        mailer
            .send("CPaaS Bridge <cpaas@example.com>", &to, "Alert", "A body.")
            .await
            .expect("spooled");
        let mode = |p: &std::path::Path| {
            std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
        };
        let spool = dir.path().join("mail");
        assert_eq!(mode(&spool), 0o700);
        let mails: Vec<_> = std::fs::read_dir(&spool)
            .expect("spool")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(mails.len(), 1);
        assert_eq!(mode(&mails[0]), 0o600);
    }
}
