//! thidua use cases. Each public function here checks access through
//! [`thidua_domain::access`], calls the pure domain rules, and persists through the [`Store`]
//! port together with its audit entry. The web layer and the CLI call these, never storage.

pub mod actor;
pub mod auth;
mod authorized;
pub mod breaches;
pub mod calendar;
pub mod changes;
pub mod commendation;
pub mod criteria;
pub mod dashboard;
pub mod error;
pub mod exports;
pub mod honour;
pub mod import;
pub mod mail;
pub mod memo;
pub mod open_data;
pub mod ops;
pub mod ports;
pub mod privacy;
pub mod publications;
pub mod read_log;
pub mod registry;
pub mod report_docs;
pub mod reports;
pub mod retention;
pub mod review;
pub mod second_factor;
pub mod subject_requests;
pub mod titles;

pub use actor::Actor;

/// A generated document, list or workbook and the name its file is offered under.
#[derive(Debug, Clone)]
pub struct Named<T> {
    pub file_name: String,
    pub value: T,
}
pub use authorized::Authorized;
pub use error::AppError;
pub use ports::{Clock, Store, SystemClock};

use std::sync::Arc;

/// The application: storage, clock and the cached unit tree, shared by every request.
#[derive(Clone)]
pub struct App {
    // Private: web and the command line reach the data only through the use cases, which
    // authorise every read and write (`ops` holds what the operator does without a user).
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    tree: registry::TreeCache,
    coverage: titles::CoverageCache,
    views: memo::Views,
    config: AppConfig,
    /// Where dossier files go; uploads are refused until one is set.
    blobs: Option<Arc<dyn ports::BlobStore>>,
    /// The writer of who read whose data (issue 18 §4).
    reads: read_log::ReadLog,
}

/// Tunables of the use cases.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Failed logins per account within the window before each next attempt waits
    /// (`domain::access::sign_in_delay`), and the longest wait.
    pub max_failures_per_account: i64,
    pub account_delay_cap_secs: i64,
    /// Failed logins per client address within the window, and the longest wait.
    pub max_failures_per_address: i64,
    pub address_delay_cap_secs: i64,
    pub throttle_window_secs: i64,
    pub session_ttl_secs: i64,
    /// Working days before a deadline at which a task is flagged (and, later, mailed).
    pub reminder_working_days: Vec<u32>,
    /// The address users reach the server at, for links in e-mails.
    pub public_url: String,
    /// Whether administrators and the city-wide roles must sign in in two steps
    /// (`THIDUA_REQUIRE_2FA`, on unless turned off).
    pub require_second_factor: bool,
    /// Whether reads of citizens' and households' data are logged (issue 18 §4). Always on in a
    /// server: no configuration file or variable sets it; only `thidua bench reads` turns it off
    /// in its own process, to measure what the log costs.
    pub log_reads: bool,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            max_failures_per_account: 5,
            account_delay_cap_secs: 60,
            max_failures_per_address: 20,
            address_delay_cap_secs: 300,
            throttle_window_secs: 15 * 60,
            session_ttl_secs: 8 * 3600,
            reminder_working_days: vec![7, 3],
            public_url: "http://127.0.0.1:8080".into(),
            require_second_factor: true,
            log_reads: true,
        }
    }
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, config: AppConfig) -> Self {
        App {
            store,
            clock,
            tree: registry::TreeCache::default(),
            coverage: titles::CoverageCache::default(),
            views: memo::Views::default(),
            config,
            blobs: None,
            reads: read_log::ReadLog::default(),
        }
    }

    /// The same application with a file store for dossiers.
    pub fn with_blobs(mut self, blobs: Arc<dyn ports::BlobStore>) -> Self {
        self.blobs = Some(blobs);
        self
    }

    /// The storage port itself, for the integration tests' own checks and fixtures (the
    /// `test-support` feature, enabled only as a dev-dependency: never in a build that serves).
    #[cfg(feature = "test-support")]
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Today in Vietnam (UTC+7), the day deadlines are judged on.
    pub fn today(&self) -> time::Date {
        self.clock.now().to_offset(time::macros::offset!(+7)).date()
    }

    /// The year every page opens on ([`thidua_domain::dates::working_year`] of today).
    pub fn working_year(&self) -> i64 {
        thidua_domain::dates::working_year(self.today())
    }
}
