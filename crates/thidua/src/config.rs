//! Configuration: defaults, then an optional TOML file, then `THIDUA_*` environment variables,
//! then command-line flags. Invalid configuration stops start-up with one clear line.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Everything the server needs to start.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite:./data/thidua.db` (default) or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub bind: String,
    /// Folder for the SQLite file and uploaded documents.
    pub data_dir: PathBuf,
    /// Set when served over TLS (directly or behind a proxy): cookies get `Secure`.
    pub secure_cookies: bool,
    pub max_upload_mb: usize,
    pub max_import_rows: usize,
    pub max_connections: u32,
    pub session_ttl_hours: i64,
    /// `text` or `json`.
    pub log_format: String,
    /// Behind a reverse proxy that sets `X-Forwarded-For` (and strips it from clients).
    pub trust_forwarded_for: bool,
    /// Administrators and the city-wide roles must sign in in two steps (`false` lifts the rule
    /// for the whole installation; an account that has set up an authenticator still uses it).
    pub require_2fa: bool,
    /// The address users reach the server at (links in e-mails).
    pub public_url: String,
    /// SMTP relay for reminders (`smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://…`); none: reminders only in the app.
    pub smtp_url: Option<String>,
    /// The sender of reminders.
    pub mail_from: String,
    /// Seconds between two flushes of the outbox.
    pub mail_every_secs: u64,
    /// S3-compatible object storage for dossier files (`https://…`); none: `data_dir/blobs`.
    pub s3_endpoint: Option<String>,
    pub s3_bucket: String,
    pub s3_region: String,
    pub s3_access_key: String,
    pub s3_secret_key: String,
    /// Prefix of every object key, e.g. `thidua/`.
    pub s3_prefix: String,
    /// Bearer token a Prometheus collector sends to `GET /metrics`; none: loopback only.
    pub metrics_token: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite:./data/thidua.db".into(),
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            secure_cookies: false,
            max_upload_mb: 64,
            max_import_rows: 2_000_000,
            max_connections: 8,
            session_ttl_hours: 8,
            log_format: "text".into(),
            trust_forwarded_for: false,
            require_2fa: true,
            public_url: "http://127.0.0.1:8080".into(),
            smtp_url: None,
            mail_from: "Hệ thống thidua <no-reply@thidua.invalid>".into(),
            mail_every_secs: 60,
            s3_endpoint: None,
            s3_bucket: String::new(),
            s3_region: "us-east-1".into(),
            s3_access_key: String::new(),
            s3_secret_key: String::new(),
            s3_prefix: String::new(),
            metrics_token: None,
        }
    }
}

/// Hides the password of a database URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***@{}", &url[..s], &url[at + 1..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("secure_cookies", &self.secure_cookies)
            .field("max_upload_mb", &self.max_upload_mb)
            .field("max_import_rows", &self.max_import_rows)
            .field("max_connections", &self.max_connections)
            .field("session_ttl_hours", &self.session_ttl_hours)
            .field("log_format", &self.log_format)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("require_2fa", &self.require_2fa)
            .field("public_url", &self.public_url)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("mail_every_secs", &self.mail_every_secs)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_bucket", &self.s3_bucket)
            .field("s3_region", &self.s3_region)
            .field("s3_access_key", &self.s3_access_key)
            // The secret key is never printed, not even its name's value.
            .field("s3_keys", &if self.s3_secret_key.is_empty() { "-" } else { "***" })
            .field("s3_prefix", &self.s3_prefix)
            .field("metrics_token", &if self.metrics_token.is_some() { "***" } else { "-" })
            .finish()
    }
}

fn parse_env<T: std::str::FromStr>(name: &str, v: String) -> Result<T, String> {
    v.parse().map_err(|_| format!("biến môi trường {name}=«{v}» không hợp lệ"))
}

impl Config {
    /// Loads defaults → file → environment (`env` is passed in so tests can use their own).
    pub fn load(file: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, String> {
        let mut c = match file {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| format!("không đọc được tệp cấu hình {}: {e}", p.display()))?;
                toml::from_str(&text).map_err(|e| format!("tệp cấu hình {} sai: {e}", p.display()))?
            }
            None => Config::default(),
        };
        if let Some(v) = env("THIDUA_DATABASE_URL") {
            c.database_url = v;
        }
        if let Some(v) = env("THIDUA_BIND") {
            c.bind = v;
        }
        if let Some(v) = env("THIDUA_DATA_DIR") {
            c.data_dir = PathBuf::from(v);
        }
        if let Some(v) = env("THIDUA_REQUIRE_2FA") {
            c.require_2fa = parse_env("THIDUA_REQUIRE_2FA", v)?;
        }
        if let Some(v) = env("THIDUA_SECURE_COOKIES") {
            c.secure_cookies = parse_env("THIDUA_SECURE_COOKIES", v)?;
        }
        if let Some(v) = env("THIDUA_MAX_UPLOAD_MB") {
            c.max_upload_mb = parse_env("THIDUA_MAX_UPLOAD_MB", v)?;
        }
        if let Some(v) = env("THIDUA_MAX_IMPORT_ROWS") {
            c.max_import_rows = parse_env("THIDUA_MAX_IMPORT_ROWS", v)?;
        }
        if let Some(v) = env("THIDUA_MAX_CONNECTIONS") {
            c.max_connections = parse_env("THIDUA_MAX_CONNECTIONS", v)?;
        }
        if let Some(v) = env("THIDUA_TRUST_FORWARDED_FOR") {
            c.trust_forwarded_for = parse_env("THIDUA_TRUST_FORWARDED_FOR", v)?;
        }
        if let Some(v) = env("THIDUA_PUBLIC_URL") {
            c.public_url = v;
        }
        if let Some(v) = env("THIDUA_SMTP_URL") {
            c.smtp_url = Some(v).filter(|v| !v.is_empty());
        }
        if let Some(v) = env("THIDUA_MAIL_FROM") {
            c.mail_from = v;
        }
        if let Some(v) = env("THIDUA_MAIL_EVERY_SECS") {
            c.mail_every_secs = parse_env("THIDUA_MAIL_EVERY_SECS", v)?;
        }
        if let Some(v) = env("THIDUA_METRICS_TOKEN") {
            c.metrics_token = Some(v).filter(|v| !v.is_empty());
        }
        if let Some(v) = env("THIDUA_S3_ENDPOINT") {
            c.s3_endpoint = Some(v).filter(|v| !v.is_empty());
        }
        for (name, field) in [
            ("THIDUA_S3_BUCKET", &mut c.s3_bucket),
            ("THIDUA_S3_REGION", &mut c.s3_region),
            ("THIDUA_S3_ACCESS_KEY", &mut c.s3_access_key),
            ("THIDUA_S3_SECRET_KEY", &mut c.s3_secret_key),
            ("THIDUA_S3_PREFIX", &mut c.s3_prefix),
        ] {
            if let Some(v) = env(name) {
                *field = v;
            }
        }
        if let Some(v) = env("THIDUA_LOG_FORMAT") {
            c.log_format = v;
        }
        Ok(c)
    }

    /// The object storage for dossier files, when configured.
    pub fn s3_config(&self) -> Option<thidua_storage::S3Config> {
        self.s3_endpoint.as_ref().map(|endpoint| thidua_storage::S3Config {
            endpoint: endpoint.clone(),
            bucket: self.s3_bucket.clone(),
            region: self.s3_region.clone(),
            access_key: self.s3_access_key.clone(),
            secret_key: self.s3_secret_key.clone(),
            prefix: self.s3_prefix.clone(),
        })
    }

    /// Checks what can be checked without starting anything.
    pub fn validate(&self) -> Result<(), String> {
        thidua_storage::Backend::from_url(&self.database_url).map_err(|e| e.to_string())?;
        self.bind.parse::<std::net::SocketAddr>().map_err(|_| format!("địa chỉ lắng nghe «{}» không hợp lệ (dạng IP:cổng)", self.bind))?;
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(format!("log_format phải là text hoặc json (nhận «{}»)", self.log_format));
        }
        if self.max_upload_mb == 0 || self.max_connections == 0 || self.session_ttl_hours <= 0 {
            return Err("max_upload_mb, max_connections và session_ttl_hours phải lớn hơn 0".into());
        }
        if let Some(url) = &self.smtp_url {
            crate::mail::SmtpSender::new(url, &self.mail_from)?;
        }
        if let Some(s3) = self.s3_config() {
            thidua_storage::S3Blobs::new(&s3).map_err(|e| e.to_string())?;
            if s3.access_key.is_empty() || s3.secret_key.is_empty() {
                return Err("kho tệp S3: cần s3_access_key và s3_secret_key (THIDUA_S3_ACCESS_KEY, THIDUA_S3_SECRET_KEY)".into());
            }
        }
        if self.mail_every_secs == 0 {
            return Err("mail_every_secs phải lớn hơn 0".into());
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(format!("public_url phải bắt đầu bằng http:// hoặc https:// (nhận «{}»)", self.public_url));
        }
        if self.database_url.starts_with("sqlite:") {
            let dir = self.sqlite_path().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_else(|| self.data_dir.clone());
            let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
            std::fs::create_dir_all(&dir).map_err(|e| format!("không tạo được thư mục dữ liệu {}: {e}", dir.display()))?;
            let probe = dir.join(".thidua-write-test");
            std::fs::write(&probe, b"ok").map_err(|e| format!("thư mục dữ liệu {} không ghi được: {e}", dir.display()))?;
            let _ = std::fs::remove_file(probe);
        }
        Ok(())
    }

    /// The SQLite file, when the database is SQLite.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self.database_url.strip_prefix("sqlite://").or_else(|| self.database_url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or("");
        if path.is_empty() || path == ":memory:" { None } else { Some(PathBuf::from(path)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_defaults() {
        let env = |k: &str| match k {
            "THIDUA_BIND" => Some("0.0.0.0:9000".to_string()),
            "THIDUA_DATABASE_URL" => Some("postgres://thidua:secret@db/thidua".to_string()),
            _ => None,
        };
        let c = Config::load(None, &env).unwrap_or_default();
        assert_eq!(c.bind, "0.0.0.0:9000");
        let with_s3 = |k: &str| match k {
            "THIDUA_S3_ENDPOINT" => Some("https://s3.hanoi.gov.vn".to_string()),
            "THIDUA_S3_SECRET_KEY" => Some("khoa-bi-mat-S3".to_string()),
            "THIDUA_SMTP_URL" => Some("smtps://thidua:mat-khau-thu@mail.hanoi.gov.vn:465".to_string()),
            _ => None,
        };
        let s3 = Config::load(None, &with_s3).unwrap_or_default();
        assert_eq!(s3.s3_secret_key, "khoa-bi-mat-S3");
        let shown = format!("{s3:?}");
        assert!(!shown.contains("khoa-bi-mat-S3") && !shown.contains("mat-khau-thu"), "{shown}");
        assert!(format!("{c:?}").contains("thidua:***@db"));
        assert!(!format!("{c:?}").contains("secret"));
    }

    #[test]
    fn a_bad_url_or_address_is_refused_with_a_clear_line() {
        let c = Config { database_url: "mysql://x".into(), ..Config::default() };
        assert!(c.validate().is_err_and(|e| e.contains("sqlite:")));
        let c = Config { bind: "localhost".into(), ..Config::default() };
        assert!(c.validate().is_err_and(|e| e.contains("IP:cổng")));
    }

    #[test]
    fn a_bad_environment_value_is_refused() {
        let env = |k: &str| (k == "THIDUA_MAX_UPLOAD_MB").then(|| "lots".to_string());
        assert!(Config::load(None, &env).is_err());
    }
}
