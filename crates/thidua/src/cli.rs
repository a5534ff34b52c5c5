//! The command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "thidua", version, about = "Hệ thống quản lý Phong trào thi đua xây dựng xã hội học tập Hà Nội")]
pub struct Cli {
    /// TOML configuration file.
    #[arg(long, global = true, env = "THIDUA_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite:./data/thidua.db (default) or postgres://…
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080, or THIDUA_BIND).
        #[arg(long)]
        bind: Option<String>,
        /// Load the demo data into an empty database and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo data into an empty database; `--scale hanoi` generates a synthetic city at
    /// Hanoi's scale instead (`hanoi/N`: one N-th of it).
    Demo {
        #[arg(long)]
        scale: Option<String>,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Import a .xlsx or .csv file (kinds: units, households, people, assessments).
    Import {
        kind: String,
        file: PathBuf,
        /// Validate every row and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Assessments: the criteria set (its code, e.g. qd324-cdht-tam-thoi, newest version; or
        /// its storage number). Read from the template's «Thông tin» sheet when omitted.
        #[arg(long)]
        set: Option<String>,
        /// Assessments: the year assessed (from the template when omitted).
        #[arg(long)]
        year: Option<i64>,
        /// Assessments: «verified» (đánh giá, thẩm định; default) or «self» (tự đánh giá).
        #[arg(long, default_value = "verified")]
        stage: String,
    },
    /// Export a list to .xlsx (kinds: units, households, people, clans, audit; units, households and people in their import templates' columns).
    Export { kind: String, file: PathBuf },
    /// Online backup to one archive FILE: the SQLite database and every stored file (dossier
    /// documents, decision scans, photos, resource files), with a manifest of hashes. On
    /// PostgreSQL the archive holds the files; the database is pg_dump's (docs/deployment.md).
    Backup {
        /// Check an existing archive (every hash, the database's integrity) without restoring.
        #[arg(long)]
        verify: bool,
        file: PathBuf,
    },
    /// Restore from a backup archive (stop the server first): the database (SQLite) and the
    /// files into the configured store. A bare SQLite file from an older backup is accepted.
    Restore { file: PathBuf },
    /// Audit-log tools.
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// The retention job (personal data kept past its period): `scan` lists what is due for an
    /// administrator to confirm on the «Thời hạn lưu trữ» page (the server also scans daily).
    Retention {
        #[command(subcommand)]
        action: RetentionCommand,
    },
    /// The unit tree: `unassigned` lists the divided units (a former ward whose successors each
    /// took a part) that still hold villages or residential groups not yet moved to a new ward.
    Units {
        #[command(subcommand)]
        action: UnitsCommand,
    },
    /// Check the configuration and the database connection, then exit.
    CheckConfig,
    /// The working-day calendar (public holidays, days in lieu, the lunar calendar), as the
    /// database holds it: the shipped tables and the administrator's edits.
    Calendar {
        #[command(subcommand)]
        action: CalendarCommand,
    },
    /// E-mail reminders (needs THIDUA_SMTP_URL).
    Mail {
        #[command(subcommand)]
        action: MailCommand,
    },
    /// Benchmarks (results go to BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        action: BenchCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Queue today's reminders (at the configured working days before each deadline, overdue
    /// notices, escalations to unit heads) and send every mail that is due, once; for cron.
    Send,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// One line per public holiday and per day in lieu of YEAR: `YYYY-MM-DD name`.
    Holidays { year: i32 },
    /// The date N working days after DATE (DATE not counted), as YYYY-MM-DD.
    Add { date: String, n: u32 },
    /// The date N working days before DATE (DATE not counted), as YYYY-MM-DD.
    Sub { date: String, n: u32 },
    /// The lunar date of DATE as D/M/YYYY («nhuận» for a leap month).
    Lunar { date: String },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Import N household rows from CSV into a fresh database (SQLite, or a new database on the
    /// PostgreSQL server of --postgres, dropped afterwards); compare with the engine's own loader
    /// into a plain table and into `households` itself; report rows/s and peak RSS.
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        /// Keep the files in this folder (default: a temporary folder, removed afterwards).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// A PostgreSQL server's URL (postgres://user@host:port/db): the run makes a database of
        /// its own there.
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Another ward's small writes while one ward imports: one household every --every-ms
    /// through the JSON API, alone and while a second process imports N households (SQLite, or
    /// a new database on the PostgreSQL server of --postgres); p50/p95/p99 of both runs.
    Isolation {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        #[arg(long)]
        postgres: Option<String>,
        #[arg(long, default_value_t = 100)]
        every_ms: u64,
        /// Seconds of writes alone before the import starts.
        #[arg(long, default_value_t = 20)]
        alone_secs: u64,
    },
    /// Import N household rows from an .xlsx (with a shared-strings table, as Excel writes it)
    /// into a fresh SQLite database; report the time and the peak RSS.
    XlsxImport {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// /healthz latency with wrk, alone and while three clients upload hostile workbooks.
    Hostile {
        #[arg(long, default_value_t = 15)]
        seconds: u32,
    },
    /// Learning titles at Hanoi scale, on the database given by --database-url after
    /// `thidua demo --scale hanoi`: one ward's filled .xlsx sheet end to end, a CSV bulk
    /// assessment import against the engine's raw load, the assessments' size on disk, and the
    /// city coverage page and /healthz under wrk.
    Titles {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        #[arg(long, default_value = "00004")]
        ward: String,
        /// Seconds of each wrk run.
        #[arg(long, default_value_t = 20)]
        seconds: u32,
        /// Year of the benchmark's own assessments (the coverage page shows the year before).
        #[arg(long, default_value_t = 2026)]
        year: i64,
    },
    /// Commendation at Hanoi scale, on a database filled by `thidua demo --scale hanoi`: the
    /// 2030 final review with every ward and enough organisations proposing at their quota
    /// (NOMINEES in all, each with its achievement report), forwarded by DOET in one
    /// consolidated submission; times DOET's list and DOHA's draft decision and measures the
    /// appraisal queue page with wrk.
    Awards {
        #[arg(long, default_value_t = 5_000)]
        nominees: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u32,
    },
    /// Monitoring at Hanoi scale, on a database filled by `thidua demo --scale hanoi`: every
    /// reporting body's yearly report written, submitted and approved; times DOET's consolidated
    /// city report (.docx) and annex (.xlsx); measures the city dashboard, the public honour roll
    /// and /healthz with wrk.
    Monitoring {
        #[arg(long, default_value_t = 2025)]
        year: i64,
        #[arg(long, default_value_t = 20)]
        seconds: u32,
    },
    /// The kept dashboards while wards write (issue 19): DOET's dashboards of the city, of a
    /// ward that writes and of one that does not, p50/p95 of READERS concurrent loops for SECONDS
    /// each, first with no writes, then while WRITERS wards each create a household every
    /// EVERY_MS ms. On a database filled by `thidua demo` (or `--scale hanoi`).
    Kept {
        #[arg(long, default_value_t = 2025)]
        year: i64,
        #[arg(long, default_value_t = 10)]
        writers: usize,
        #[arg(long, default_value_t = 200)]
        every_ms: u64,
        #[arg(long, default_value_t = 15.0)]
        seconds: f64,
        #[arg(long, default_value_t = 2)]
        readers: usize,
    },
    /// Every page each user can reach from their home page, by its links: p50 and p95 of RUNS
    /// requests each (the first uncached); fails when a p95 is over LIMIT_MS or a page answers
    /// with a server error. On a database filled by `thidua demo --scale hanoi` (users admin,
    /// sogd, btdkt, phuong001) or by the demo.
    Pages {
        /// Users to sign in as (the demo password).
        #[arg(long, value_delimiter = ',', default_value = "sogd,btdkt,phuong001")]
        users: Vec<String>,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Pages kept of each kind of path.
        #[arg(long, default_value_t = 2)]
        per_kind: usize,
        /// Pages walked at most per user.
        #[arg(long, default_value_t = 400)]
        max_pages: usize,
        #[arg(long, default_value_t = 200.0)]
        limit_ms: f64,
        /// Pages typed rather than followed, walked first for every user.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "/search?q=nguyen+van+an,/search?q=nguyen,/people?q=tran+thi+lan,/households?q=nguyen,/people?page=200,/people?last=1,/households?last=1,/titles/duplicates"
        )]
        typed: Vec<String>,
    },
    /// The unit tree with its successions and dated memberships (issue 14 §7), on a database
    /// filled by `thidua demo --scale hanoi`: loading it, the tree as of a date, the coverage of
    /// 2024 in its own tree and in the 2025 tree, the coverage page cold and warm; RUNS fresh
    /// applications, median and slowest of each.
    Tree {
        #[arg(long, default_value = "sogd")]
        user: String,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// What logging who read whose data costs (issue 18 §4): the home page, a list of citizens
    /// and citizens' and households' own pages, requested by CLIENTS concurrent loops for SECONDS
    /// each, by an application that logs reads and one that does not, alternating twice; prints
    /// requests per second, p50 and p99 of each. On a database filled by `thidua demo`.
    Reads {
        #[arg(long, default_value = "phuongbadinh")]
        user: String,
        #[arg(long, default_value_t = 8)]
        clients: usize,
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user (password from --password or THIDUA_PASSWORD).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        full_name: String,
        /// Code of the unit or organisation the user belongs to.
        #[arg(long)]
        unit: String,
        #[arg(long, env = "THIDUA_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Grant a role over a unit (and, by default, everything below it).
    Grant {
        #[arg(long)]
        username: String,
        /// system_admin, doet_officer, doha_officer, council_member, chairman_office,
        /// unit_officer, association_assessor, auditor
        #[arg(long)]
        role: String,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        only_this_unit: bool,
    },
    /// Set a new password (ends the user's sessions).
    Reset {
        #[arg(long)]
        username: String,
        #[arg(long, env = "THIDUA_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Remove a user's authenticator (a lost phone and no recovery code left): their sessions
    /// and API tokens end; a user who must sign in in two steps sets up a new one next time.
    Reset2fa {
        #[arg(long)]
        username: String,
    },
    /// List users and their roles.
    List,
    /// List the delegations a user gave and received, with their numbers.
    Delegations {
        #[arg(long)]
        username: String,
    },
    /// End a delegation now (its number from `user delegations`).
    EndDelegation {
        #[arg(long)]
        grant: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum UnitsCommand {
    /// List the divided units whose villages have no new ward yet, with those villages.
    Unassigned,
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Count, per purpose of the record of processing, the records past their retention period.
    Scan,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain and report the first tampered entry, if any.
    Verify,
}
