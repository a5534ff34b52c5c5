//! The proof that a write was decided. `App::authorize` returns it when a grant lets the actor
//! do the action on the unit; the audit draft every write carries requires it, so a write that
//! skipped the decision does not compile. The few writes that no grant decides (a user's own
//! sign-in, password and tokens; the operator's commands; the mail sender) make theirs with
//! `Authorized::system`, which only this crate can call.

use thidua_domain::access::Action;

/// A decided write: by a grant over a unit (possibly delegated), or a system event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorized {
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Grant {
        unit: i64,
        action: Action,
        via: Option<String>,
    },
    /// A bulk write whose every row was decided on its own unit before anything was written.
    EachRow {
        action: Action,
    },
    System {
        event: &'static str,
    },
}

impl Authorized {
    pub(crate) fn grant(unit: i64, action: Action, via: Option<String>) -> Authorized {
        Authorized { kind: Kind::Grant { unit, action, via } }
    }

    /// A bulk import: each row was authorised on its own unit (the caller did it, row by row,
    /// before writing).
    pub(crate) fn each_row(action: Action) -> Authorized {
        Authorized { kind: Kind::EachRow { action } }
    }

    /// A write no grant decides: the actor's own account, sign-in, the operator, the mail sender.
    pub(crate) fn system(event: &'static str) -> Authorized {
        Authorized { kind: Kind::System { event } }
    }

    /// A proof for the integration tests' own fixtures written straight into storage (the
    /// `test-support` feature, a dev-dependency only).
    #[cfg(feature = "test-support")]
    pub fn for_tests() -> Authorized {
        Authorized::system("test fixture")
    }

    /// The unit the grant was decided on (none for a system event).
    pub fn unit(&self) -> Option<i64> {
        match &self.kind {
            Kind::Grant { unit, .. } => Some(*unit),
            Kind::EachRow { .. } | Kind::System { .. } => None,
        }
    }

    /// The action decided (none for a system event).
    pub fn action(&self) -> Option<Action> {
        match &self.kind {
            Kind::Grant { action, .. } | Kind::EachRow { action } => Some(*action),
            Kind::System { .. } => None,
        }
    }

    /// The delegator whose grant was used, if the actor holds it by delegation.
    pub fn via(&self) -> Option<&str> {
        match &self.kind {
            Kind::Grant { via, .. } => via.as_deref(),
            Kind::EachRow { .. } | Kind::System { .. } => None,
        }
    }

    /// What kind of system event this is, if it is one.
    pub fn system_event(&self) -> Option<&'static str> {
        match &self.kind {
            Kind::System { event } => Some(event),
            Kind::Grant { .. } | Kind::EachRow { .. } => None,
        }
    }
}
