//! thidua's integration tests, in one test binary: storage contract tests on SQLite and
//! PostgreSQL, in-process web tests, the authorization matrix, the real binary, two server
//! processes sharing one PostgreSQL, and the browser tests.
//!
//! PostgreSQL tests run when `THIDUA_TEST_DATABASE_URL` is set (CI sets it); browser tests run
//! when `THIDUA_BROWSER_TESTS=1` (CI sets it and installs Chromium). Without them these tests
//! print that they were not run and pass; CI fails if they cannot run.

// Test support code fails a test by panicking with a message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod blobs;
mod browser;
mod calendar;
mod cli;
mod commendation;
mod contract;
mod generator;
mod hardening;
mod mail;
mod matrix;
mod publications;
mod reports;
mod scale_out;
mod smtp_sink;
mod support;
mod titles;
mod web;
