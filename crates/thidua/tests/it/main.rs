//! thidua's integration tests, in one test binary: storage contract tests on SQLite and
//! PostgreSQL, in-process web tests, the authorization matrix, the real binary, two server
//! processes sharing one PostgreSQL, and the browser tests.
//!
//! PostgreSQL tests run when `THIDUA_TEST_DATABASE_URL` is set, S3 when `THIDUA_TEST_S3_ENDPOINT`
//! is, browser tests when `THIDUA_BROWSER_TESTS=1` (axe-core in them when `THIDUA_AXE_JS` names
//! `axe.min.js`). Without them, the part of a test that needs
//! one is left out with a note, and the tests that need nothing else are `#[ignore]`d with the
//! reason; when `CI` is set (`.ci/run` sets it and runs with `--include-ignored`), a missing one
//! fails the test (`support::needed`).

// Test support code fails a test by panicking with a message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod api_tokens;
mod award_routes;
mod blobs;
mod breaches;
mod browser;
mod browser_sign_in;
mod browser_succession;
mod bulk;
mod calendar;
mod cli;
mod commendation;
mod contract;
mod derived_shares;
mod dossier_pages;
mod exports;
mod generator;
mod hardening;
mod input;
mod long_lists;
mod mail;
mod matrix;
mod matrix_cases;
mod migrations;
mod processing;
mod publications;
mod read_log;
mod reports;
mod retention;
mod routes;
mod scale_out;
mod screens;
mod second_factor;
mod smtp_sink;
mod subject_requests;
mod succession;
mod support;
mod titles;
mod transition;
mod unit_facts;
mod web;
