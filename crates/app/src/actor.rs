//! The person (or integration) behind a request, with the grants in force for them.

use thidua_domain::access::Grant;

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub home_unit: i64,
    pub grants: Vec<Grant>,
}
