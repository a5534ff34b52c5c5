//! Pure domain of thidua: the rules of Hanoi's learning-society emulation movement.
//!
//! Nothing here performs I/O, awaits, reads the clock or knows a database: time, holidays and
//! data are parameters. Every rule is tested directly from the legal text or the city's plan.

pub mod access;
pub mod assessment;
pub mod audit;
pub mod breaches;
pub mod calendar;
pub mod commendation;
pub mod criteria;
pub mod dates;
pub mod disclosure;
pub mod files;
pub mod hanoi;
pub mod import;
pub mod institutions;
pub mod legacy;
pub mod limits;
pub mod lunar;
pub mod privacy;
pub mod processing;
pub mod publications;
pub mod registry;
pub mod reports;
pub mod subject_requests;
pub mod targets;
pub mod text;
pub mod titles;
pub mod tree;
