//! The `thidua` command: server and administration. `main.rs` parses the command line and
//! calls [`run`]; each subcommand lives in [`commands`].

pub mod backup;
pub mod bench;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod mail;
pub mod scale;

pub use cli::Cli;

use std::sync::Arc;
use thidua_app::{App, AppConfig, SystemClock};

/// Connects to the configured database (running migrations) and builds the application.
pub async fn open_app(config: &config::Config) -> Result<App, String> {
    open_app_logging_reads(config, true).await
}

/// [`open_app`], with the read log on or off: off only for `thidua bench reads`, which measures
/// what it costs (no configuration turns it off in a server).
pub(crate) async fn open_app_logging_reads(config: &config::Config, log_reads: bool) -> Result<App, String> {
    let store = thidua_storage::connect(&config.database_url, config.max_connections).await.map_err(|e| e.to_string())?;
    let app_config = AppConfig {
        session_ttl_secs: config.session_ttl_hours * 3600,
        public_url: config.public_url.clone(),
        require_second_factor: config.require_2fa,
        log_reads,
        ..AppConfig::default()
    };
    let blobs = blob_store(config).await?;
    let app = App::new(Arc::new(store), Arc::new(SystemClock), app_config).with_blobs(blobs);
    app.sync_shipped_criteria().await.map_err(|e| e.to_string())?;
    app.sync_shipped_campaigns().await.map_err(|e| e.to_string())?;
    Ok(app)
}

/// The configured file store: S3-compatible object storage when configured (checked to answer),
/// else the data directory. Backups and restores write it directly, beside the database.
pub async fn blob_store(config: &config::Config) -> Result<Arc<dyn thidua_app::ports::BlobStore>, String> {
    Ok(match config.s3_config() {
        Some(s3) => {
            let blobs = thidua_storage::S3Blobs::new(&s3).map_err(|e| e.to_string())?;
            blobs.check().await.map_err(|e| e.to_string())?;
            Arc::new(blobs)
        }
        None => Arc::new(thidua_storage::LocalBlobs::new(config.data_dir.join("blobs"))),
    })
}

/// Runs a parsed command line. Returns the process exit code.
pub async fn run(cli: Cli) -> i32 {
    match commands::dispatch(cli).await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("thidua: {e}");
            1
        }
    }
}
