//! Registry use cases: the unit tree, households, citizens and clans, each read and write
//! checked by [`thidua_domain::access::decide`] and written with its audit entry.

mod access;
mod clans;
mod history;
mod households;
mod members;
mod people;
mod tree;
mod unit_facts;
mod units;

pub use members::{MAX_CODES, MembersView};
pub use tree::{TreeCache, TreeSnapshot};
pub use unit_facts::{InstitutionTypeInput, UnitFacts, UnitFactsView};
pub use units::PredecessorTitles;
