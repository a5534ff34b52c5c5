//! thidua storage: one set of portable SQL statements run on SQLite (embedded default) or
//! PostgreSQL (production), chosen from the database URL.
//!
//! Statements use `$n` placeholders, which both engines accept (bulk statements use plain `?` on
//! SQLite, see `Backend::placeholder`), and only types both share:
//! BIGINT, TEXT, Unix milliseconds for instants and ISO text for dates. Every write runs in
//! one transaction that first takes the audit chain's head row, so the write and its audit
//! entry land together or not at all, and the chain has a single order.

mod assessments;
mod audit;
mod auth;
mod backup;
mod blobs;
mod breaches;
mod calendar;
mod clans;
mod commendation;
mod criteria;
mod db;
mod honour;
mod import;
mod keyset;
mod legal_bases;
mod mail;
mod people;
mod publications;
mod read_log;
mod reports;
mod retention;
mod s3blobs;
mod search;
mod subject_requests;
mod twins;
mod unit_facts;
mod units;

pub use backup::{check_sqlite_backup, restore_sqlite};
pub use blobs::LocalBlobs;
pub use db::{Backend, SqlStore, connect};
pub use s3blobs::{S3Blobs, S3Config};
