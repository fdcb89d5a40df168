//! Server secrets: from the environment in production; in development generated once into the
//! data directory (mode 0600) with a warning, so local runs need no set-up.

use std::path::Path;

use std::os::unix::fs::PermissionsExt;

use anyhow::Context;
use secrecy::SecretString;

/// `configured`, or the contents of `data_dir/file` (created with 32 random bytes as hex).
pub fn configured_or_dev(
    configured: Option<&SecretString>,
    data_dir: &Path,
    file: &str,
    variable: &str,
) -> anyhow::Result<SecretString> {
    if let Some(secret) = configured {
        return Ok(secret.clone());
    }
    let path = data_dir.join(file);
    if path.exists() {
        let mode = std::fs::metadata(&path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .permissions()
            .mode();
        anyhow::ensure!(
            mode & 0o077 == 0,
            "{} can be read by other users (mode {:o}): run `chmod 600 {}`, or set {variable}",
            path.display(),
            mode & 0o777,
            path.display()
        );
    } else {
        let hex =
            crate::crypto::random_hex(32).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        write_private(&path, &hex).with_context(|| format!("cannot write {}", path.display()))?;
    }
    tracing::warn!(
        file = %path.display(),
        "{variable} is not set: using a development secret from the data directory"
    );
    let secret = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(SecretString::from(secret.trim().to_owned()))
}

/// Sets `path`'s permission bits to `mode` (0700 for a directory, 0600 for a file of ours).
pub fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

fn write_private(file: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)?;
    f.write_all(contents.as_bytes())
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn generated_once_private_and_reused() {
        let dir = tempfile::tempdir().expect("dir");
        let first = configured_or_dev(None, dir.path(), "k", "CPAAS_X").expect("created");
        let second = configured_or_dev(None, dir.path(), "k", "CPAAS_X").expect("read back");
        assert_eq!(first.expose_secret(), second.expose_secret());
        assert_eq!(first.expose_secret().len(), 64);
        let mode = std::fs::metadata(dir.path().join("k"))
            .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777)
            .expect("metadata");
        assert_eq!(mode, 0o600);
        // Readable by others: refused, naming the file and the fix.
        restrict(&dir.path().join("k"), 0o644).expect("chmod");
        let refused = configured_or_dev(None, dir.path(), "k", "CPAAS_X").expect_err("refused");
        let text = refused.to_string();
        assert!(
            text.contains("chmod 600") && text.contains("CPAAS_X"),
            "{text}"
        );
        let set = SecretString::from("configured".to_owned());
        let chosen = configured_or_dev(Some(&set), dir.path(), "k", "CPAAS_X").expect("set");
        assert_eq!(chosen.expose_secret(), "configured");
    }
}
