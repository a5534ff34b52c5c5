//! The storage ports of registry, each implemented directly by `thidua_storage::SqlStore` (no
//! forwarding layer); `Store` in the parent module is all of them together.

use super::*;

/// The unit tree: wards, communes, villages, schools, agencies, as dated records.
#[async_trait]
pub trait UnitStore: Send + Sync {
    /// A number that changes whenever any unit changes; lets every process refresh its cache.
    async fn tree_version(&self) -> StoreResult<i64>;
    async fn all_units(&self) -> StoreResult<Vec<UnitRecord>>;
    async fn unit(&self, id: i64) -> StoreResult<Option<UnitRecord>>;
    async fn create_unit(&self, input: &UnitInput, audit: AuditDraft) -> StoreResult<i64>;
    async fn update_unit(&self, id: i64, expected_version: i64, input: &UnitInput, audit: AuditDraft) -> StoreResult<()>;
    async fn set_unit_active(&self, id: i64, expected_version: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;
    async fn import_units(&self, rows: &[UnitRow], audit: AuditDraft) -> StoreResult<ImportCounts>;
    /// Moves units (villages of a divided ward) to new parents on one date, all or none: each
    /// keeps its old parent as an earlier parent up to the day before, and its subtree follows.
    async fn move_units(&self, moves: &[UnitMove], audit: AuditDraft) -> StoreResult<()>;
}

/// One unit moved to a new parent ([`UnitStore::move_units`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnitMove {
    pub unit_id: i64,
    /// The version the mover read (a unit changed since is refused as stale).
    pub expected_version: i64,
    pub from_parent: i64,
    pub to_parent: i64,
    /// The last day under `from_parent`.
    pub last_day: time::Date,
}

/// Facts about units that decide which indicators apply (issue 13 §13, §14).
#[async_trait]
pub trait UnitFactsStore: Send + Sync {
    /// Every recorded education-unit type, by unit (few: one or two rows per school).
    async fn institution_types(&self) -> StoreResult<Vec<(i64, thidua_domain::institutions::InstitutionType)>>;
    /// Records a type from its `from_year` (replacing one recorded for the same year).
    async fn record_institution_type(
        &self,
        unit_id: i64,
        t: &thidua_domain::institutions::InstitutionType,
        by: &str,
        at_ms: i64,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    /// Every commune-year recorded as a difficult area.
    async fn difficult_areas(&self) -> StoreResult<Vec<DifficultAreaRow>>;
    /// Marks (`basis` given) or clears (`None`) a commune's year as a difficult area.
    async fn set_difficult_area(
        &self,
        unit_id: i64,
        year: i64,
        basis: Option<&str>,
        by: &str,
        at_ms: i64,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    /// An organisation's members and learners, by name.
    async fn unit_members(&self, unit_id: i64, page: PageRequest) -> StoreResult<Page<MemberRow>>;
    /// How many active members and learners an organisation has.
    async fn unit_member_counts(&self, unit_id: i64) -> StoreResult<(i64, i64)>;
    /// Adds people (or changes their relation) to an organisation, all in one transaction.
    async fn add_unit_members(
        &self,
        unit_id: i64,
        rows: &[(i64, &'static str)],
        by: &str,
        at_ms: i64,
        audit: AuditDraft,
    ) -> StoreResult<usize>;
    async fn remove_unit_member(&self, unit_id: i64, person_id: i64, audit: AuditDraft) -> StoreResult<()>;
    /// Of the active people `whom` names, how many hold `title` by a recognition decision for a
    /// data year in `from_year..=to_year` (each person once), and how many there are.
    async fn people_title_share(&self, title: &str, from_year: i64, to_year: i64, whom: &PeopleWhom) -> StoreResult<(u64, u64)>;
    /// How many of `subjects` (unit ids) hold `title` at `min_level` or above by a recognition
    /// decision for a data year in `from_year..=to_year`.
    async fn units_holding(&self, title: &str, min_level: i64, from_year: i64, to_year: i64, subjects: &[i64]) -> StoreResult<u64>;
}

/// Whose titles a derived share counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeopleWhom {
    /// The people who live in these units (a commune's villages).
    Residents(Vec<i64>),
    /// An organisation's members or learners (`Relation` code).
    Members { unit_id: i64, relation: &'static str },
}

/// A person's place in an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberRow {
    pub person_id: i64,
    pub code: String,
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub relation: String,
}

/// A commune in a difficult area for one year, with its basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DifficultAreaRow {
    pub unit_id: i64,
    pub year: i64,
    pub basis: String,
    pub recorded_by: String,
    pub recorded_at_ms: i64,
}

/// The registry of households and citizens.
#[async_trait]
pub trait PeopleStore: Send + Sync {
    async fn households(
        &self,
        scope: &Scope,
        unit: Option<i64>,
        query: Option<&str>,
        sort: HouseholdSort,
        page: PageRequest,
    ) -> StoreResult<Page<HouseholdRecord>>;
    async fn household(&self, id: i64) -> StoreResult<Option<HouseholdRecord>>;
    async fn create_household(&self, input: &HouseholdInput, audit: AuditDraft) -> StoreResult<i64>;
    async fn update_household(&self, id: i64, expected_version: i64, input: &HouseholdInput, audit: AuditDraft) -> StoreResult<()>;
    async fn set_household_active(&self, id: i64, expected_version: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;
    async fn people(
        &self,
        scope: &Scope,
        unit: Option<i64>,
        household: Option<i64>,
        query: Option<&str>,
        sort: PersonSort,
        page: PageRequest,
    ) -> StoreResult<Page<PersonRecord>>;
    async fn person(&self, id: i64) -> StoreResult<Option<PersonRecord>>;
    async fn create_person(&self, input: &PersonInput, audit: AuditDraft) -> StoreResult<i64>;
    async fn update_person(&self, id: i64, expected_version: i64, input: &PersonInput, audit: AuditDraft) -> StoreResult<()>;
    async fn set_person_active(&self, id: i64, expected_version: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;
}

/// The registry of clans (dòng họ) and the villages they live in.
#[async_trait]
pub trait ClanStore: Send + Sync {
    async fn clans(&self, scope: &Scope, unit: Option<i64>, query: Option<&str>, page: PageRequest) -> StoreResult<Page<ClanRecord>>;
    async fn clan(&self, id: i64) -> StoreResult<Option<ClanRecord>>;
    async fn create_clan(&self, input: &ClanInput, audit: AuditDraft) -> StoreResult<i64>;
    async fn update_clan(&self, id: i64, expected_version: i64, input: &ClanInput, audit: AuditDraft) -> StoreResult<()>;
    async fn set_clan_active(&self, id: i64, expected_version: i64, active: bool, audit: AuditDraft) -> StoreResult<()>;
}

/// Bulk imports of households and citizens: every row in one transaction, one audit entry.
#[async_trait]
pub trait ImportStore: Send + Sync {
    async fn existing_household_codes(&self, codes: &[String]) -> StoreResult<Vec<String>>;
    async fn existing_person_codes(&self, codes: &[String]) -> StoreResult<Vec<String>>;
    /// household code → (id, unit id)
    async fn household_ids(&self, codes: &[String]) -> StoreResult<Vec<(String, i64, i64)>>;
    /// household id → code, for a chunk of ids.
    async fn household_codes(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>>;
    /// Starts a bulk import: every batch goes into one transaction, committed with its audit
    /// entry, or rolled back when the handle is dropped.
    async fn begin_import(&self) -> StoreResult<Box<dyn ImportTx>>;
    /// Regroups the possible duplicates of the wards an import left to regroup (an import does
    /// it itself right after it commits; this resumes one that was interrupted). How many wards.
    async fn refresh_pending_twins(&self) -> StoreResult<usize>;
}
