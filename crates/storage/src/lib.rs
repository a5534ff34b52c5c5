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
mod calendar;
mod clans;
mod commendation;
mod criteria;
mod db;
mod honour;
mod mail;
mod people;
mod publications;
mod reports;
mod s3blobs;
mod units;

pub use backup::{check_sqlite_backup, restore_sqlite};
pub use blobs::LocalBlobs;
pub use db::{Backend, SqlStore, connect};
pub use s3blobs::{S3Blobs, S3Config};

use async_trait::async_trait;
use thidua_app::ports::*;
use thidua_domain::access::Grant;
use thidua_domain::import::UnitRow;
use thidua_domain::titles::Subject;
use time::OffsetDateTime;

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        self.backend.name()
    }
    async fn ping(&self) -> StoreResult<()> {
        self.ping_db().await
    }
    async fn table_size(&self, table: &str) -> StoreResult<(u64, u64)> {
        self.table_size_db(table).await
    }
    async fn tree_version(&self) -> StoreResult<i64> {
        self.tree_version_db().await
    }
    async fn all_units(&self) -> StoreResult<Vec<UnitRecord>> {
        self.all_units_db().await
    }
    async fn unit(&self, id: i64) -> StoreResult<Option<UnitRecord>> {
        self.unit_db(id).await
    }
    async fn create_unit(&self, input: &UnitInput, audit: AuditDraft) -> StoreResult<i64> {
        self.create_unit_db(input, audit).await
    }
    async fn update_unit(&self, id: i64, v: i64, input: &UnitInput, audit: AuditDraft) -> StoreResult<()> {
        self.update_unit_db(id, v, input, audit).await
    }
    async fn set_unit_active(&self, id: i64, v: i64, active: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_active_db("units", id, v, active, audit, true).await
    }
    async fn households(
        &self,
        scope: &Scope,
        unit: Option<i64>,
        q: Option<&str>,
        sort: HouseholdSort,
        page: PageRequest,
    ) -> StoreResult<Page<HouseholdRecord>> {
        self.households_db(scope, unit, q, sort, page).await
    }
    async fn household(&self, id: i64) -> StoreResult<Option<HouseholdRecord>> {
        self.household_db(id).await
    }
    async fn create_household(&self, input: &HouseholdInput, audit: AuditDraft) -> StoreResult<i64> {
        self.create_household_db(input, audit).await
    }
    async fn update_household(&self, id: i64, v: i64, input: &HouseholdInput, audit: AuditDraft) -> StoreResult<()> {
        self.update_household_db(id, v, input, audit).await
    }
    async fn set_household_active(&self, id: i64, v: i64, active: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_active_db("households", id, v, active, audit, false).await
    }
    async fn people(
        &self,
        scope: &Scope,
        unit: Option<i64>,
        household: Option<i64>,
        q: Option<&str>,
        sort: PersonSort,
        page: PageRequest,
    ) -> StoreResult<Page<PersonRecord>> {
        self.people_db(scope, unit, household, q, sort, page).await
    }
    async fn person(&self, id: i64) -> StoreResult<Option<PersonRecord>> {
        self.person_db(id).await
    }
    async fn create_person(&self, input: &PersonInput, audit: AuditDraft) -> StoreResult<i64> {
        self.create_person_db(input, audit).await
    }
    async fn update_person(&self, id: i64, v: i64, input: &PersonInput, audit: AuditDraft) -> StoreResult<()> {
        self.update_person_db(id, v, input, audit).await
    }
    async fn set_person_active(&self, id: i64, v: i64, active: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_active_db("people", id, v, active, audit, false).await
    }
    async fn clans(&self, scope: &Scope, unit: Option<i64>, q: Option<&str>, page: PageRequest) -> StoreResult<Page<ClanRecord>> {
        self.clans_db(scope, unit, q, page).await
    }
    async fn clan(&self, id: i64) -> StoreResult<Option<ClanRecord>> {
        self.clan_db(id).await
    }
    async fn create_clan(&self, input: &ClanInput, audit: AuditDraft) -> StoreResult<i64> {
        self.create_clan_db(input, audit).await
    }
    async fn update_clan(&self, id: i64, v: i64, input: &ClanInput, audit: AuditDraft) -> StoreResult<()> {
        self.update_clan_db(id, v, input, audit).await
    }
    async fn set_clan_active(&self, id: i64, v: i64, active: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_active_db("clans", id, v, active, audit, false).await
    }
    async fn report(&self, unit_id: i64, year: i64) -> StoreResult<Option<ReportRow>> {
        self.report_db(unit_id, year).await
    }
    async fn report_by_id(&self, id: i64) -> StoreResult<Option<ReportRow>> {
        self.report_by_id_db(id).await
    }
    async fn reports(&self, year: i64) -> StoreResult<Vec<ReportRow>> {
        self.reports_db(year).await
    }
    async fn report_events(&self, report_id: i64) -> StoreResult<Vec<ReportEventRow>> {
        self.report_events_db(report_id).await
    }
    async fn save_report(&self, row: &ReportRow, event: Option<&ReportEventRow>, audit: AuditDraft) -> StoreResult<i64> {
        self.save_report_db(row, event, audit).await
    }
    async fn report_year_locked(&self, year: i64) -> StoreResult<bool> {
        self.report_year_locked_db(year).await
    }
    async fn set_report_year_locked(&self, year: i64, locked: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_report_year_locked_db(year, locked, audit).await
    }
    async fn award_counts(&self, year: i64) -> StoreResult<Vec<AwardCount>> {
        self.award_counts_db(year).await
    }
    async fn honour_awards(&self, year: Option<i64>, page: PageRequest) -> StoreResult<Page<HonourAward>> {
        self.honour_awards_db(year, page).await
    }
    async fn honour_titles(&self, year: i64, page: PageRequest) -> StoreResult<Page<HonourTitle>> {
        self.honour_titles_db(year, page).await
    }
    async fn set_public_consent(&self, subject_type: &str, id: i64, consent: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_public_consent_db(subject_type, id, consent, audit).await
    }
    async fn public_consent(&self, subject_type: &str, id: i64) -> StoreResult<bool> {
        self.public_consent_db(subject_type, id).await
    }
    async fn set_user_contact(&self, user_id: i64, email: Option<&str>, unit_head: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_user_contact_db(user_id, email, unit_head, audit).await
    }
    async fn enqueue_mail(&self, mails: &[MailDraft], audit: AuditDraft) -> StoreResult<u64> {
        self.enqueue_mail_db(mails, audit).await
    }
    async fn claim_mail(&self, now_ms: i64, lease_until_ms: i64, limit: i64) -> StoreResult<Vec<MailRecord>> {
        self.claim_mail_db(now_ms, lease_until_ms, limit).await
    }
    async fn finish_mail(&self, id: i64, at_ms: i64, outcome: &MailOutcome) -> StoreResult<()> {
        self.finish_mail_db(id, at_ms, outcome).await
    }
    async fn mail_outbox(&self, page: PageRequest) -> StoreResult<Page<MailRecord>> {
        self.mail_outbox_db(page).await
    }
    async fn calendar_tables(&self) -> StoreResult<Vec<CalendarTableRecord>> {
        self.calendar_tables_db().await
    }
    async fn save_calendar_table(&self, year: i64, body: &str, expected: Option<i64>, audit: AuditDraft) -> StoreResult<i64> {
        self.save_calendar_table_db(year, body, expected, audit).await
    }
    async fn campaign_rows(&self) -> StoreResult<Vec<CampaignRow>> {
        self.campaign_rows_db().await
    }
    async fn insert_campaign(&self, row: &CampaignRow, audit: Option<AuditDraft>) -> StoreResult<i64> {
        self.insert_campaign_db(row, audit).await
    }
    async fn update_campaign(&self, id: i64, v: i64, body: &str, status: &str, audit: AuditDraft) -> StoreResult<()> {
        self.update_campaign_db(id, v, body, status, audit).await
    }
    async fn extension(&self, campaign: i64, unit: i64) -> StoreResult<Option<String>> {
        self.extension_db(campaign, unit).await
    }
    async fn grant_extension(&self, campaign: i64, unit: i64, due_before: &str, reason: &str, audit: AuditDraft) -> StoreResult<()> {
        self.grant_extension_db(campaign, unit, due_before, reason, audit).await
    }
    async fn create_batch(&self, row: &BatchRow, audit: AuditDraft) -> StoreResult<i64> {
        self.create_batch_db(row, audit).await
    }
    async fn batch(&self, id: i64) -> StoreResult<Option<BatchRow>> {
        self.batch_db(id).await
    }
    async fn batches(&self, scope: &Scope, campaign: Option<i64>, states: &[String]) -> StoreResult<Vec<BatchRow>> {
        self.batches_db(scope, campaign, states).await
    }
    async fn batch_page(&self, scope: &Scope, campaign: Option<i64>, states: &[String], page: PageRequest) -> StoreResult<Page<BatchRow>> {
        self.batch_page_db(scope, campaign, states, page).await
    }
    async fn nominees(&self, batch: i64) -> StoreResult<Vec<NomineeRow>> {
        self.nominees_db(batch).await
    }
    async fn nominees_of_batches(&self, batches: &[i64]) -> StoreResult<Vec<NomineeRow>> {
        self.nominees_of_batches_db(batches).await
    }
    async fn nominee_counts(&self, batches: &[i64]) -> StoreResult<Vec<(i64, i64)>> {
        self.nominee_counts_db(batches).await
    }
    async fn campaign_nominees(&self, campaign: i64, subjects: &[(String, i64)], names: &[String]) -> StoreResult<Vec<NomineeRow>> {
        self.campaign_nominees_db(campaign, subjects, names).await
    }
    async fn add_nominee(&self, batch: i64, v: i64, row: &NomineeRow, audit: AuditDraft) -> StoreResult<i64> {
        self.add_nominee_db(batch, v, row, audit).await
    }
    async fn update_nominee(&self, batch: i64, v: i64, nominee: i64, edit: &NomineeEdit, audit: AuditDraft) -> StoreResult<()> {
        self.update_nominee_db(batch, v, nominee, edit, audit).await
    }
    async fn remove_nominee(&self, batch: i64, v: i64, nominee: i64, audit: AuditDraft) -> StoreResult<()> {
        self.remove_nominee_db(batch, v, nominee, audit).await
    }
    async fn documents(&self, batch: i64) -> StoreResult<Vec<DocumentRow>> {
        self.documents_db(batch).await
    }
    async fn document(&self, id: i64) -> StoreResult<Option<DocumentRow>> {
        self.document_db(id).await
    }
    async fn add_document(&self, batch: i64, v: i64, row: &DocumentRow, audit: AuditDraft) -> StoreResult<i64> {
        self.add_document_db(batch, v, row, audit).await
    }
    async fn quota_used(&self, campaign: i64, level: &str, unit: i64) -> StoreResult<QuotaCounts> {
        self.quota_used_db(campaign, level, unit).await
    }
    async fn transition(&self, t: &Transition, audit: Vec<AuditDraft>) -> StoreResult<(Option<i64>, Option<i64>)> {
        self.transition_db(t, audit).await
    }
    async fn batch_events(&self, batch: i64) -> StoreResult<Vec<EventRow>> {
        self.batch_events_db(batch).await
    }
    async fn batch_steps_of(&self, batches: &[i64]) -> StoreResult<Vec<(i64, String, i64)>> {
        self.batch_steps_of_db(batches).await
    }
    async fn batch_comments(&self, batch: i64) -> StoreResult<Vec<CommentRow>> {
        self.batch_comments_db(batch).await
    }
    async fn consolidation(&self, id: i64) -> StoreResult<Option<ConsolidationRow>> {
        self.consolidation_db(id).await
    }
    async fn set_decision_scan(&self, id: i64, sha256: &str, audit: AuditDraft) -> StoreResult<()> {
        self.set_decision_scan_db(id, sha256, audit).await
    }
    async fn award_decision(&self, id: i64) -> StoreResult<Option<AwardDecisionRow>> {
        self.award_decision_db(id).await
    }
    async fn nominee(&self, id: i64) -> StoreResult<Option<NomineeRow>> {
        self.nominee_db(id).await
    }
    async fn nominee_by_certificate(&self, code: &str) -> StoreResult<Option<NomineeRow>> {
        self.nominee_by_certificate_db(code).await
    }
    async fn award_decisions(&self) -> StoreResult<Vec<AwardDecisionRow>> {
        self.award_decisions_db().await
    }
    async fn decision_nominees(&self, decision: i64) -> StoreResult<Vec<NomineeRow>> {
        self.decision_nominees_db(decision).await
    }
    async fn award_history(&self, subject_type: &str, subject_id: i64) -> StoreResult<Vec<AwardHistoryRow>> {
        self.award_history_db(subject_type, subject_id).await
    }
    async fn criteria_sets(&self) -> StoreResult<Vec<CriteriaSetRecord>> {
        self.criteria_sets_db().await
    }
    async fn criteria_set(&self, id: i64) -> StoreResult<Option<CriteriaSetRecord>> {
        self.criteria_set_db(id).await
    }
    async fn insert_criteria_set(&self, record: &CriteriaSetRecord, audit: Option<AuditDraft>) -> StoreResult<i64> {
        self.insert_criteria_set_db(record, audit).await
    }
    async fn existing_household_codes(&self, codes: &[String]) -> StoreResult<Vec<String>> {
        self.existing_codes_db("households", codes).await
    }
    async fn existing_person_codes(&self, codes: &[String]) -> StoreResult<Vec<String>> {
        self.existing_codes_db("people", codes).await
    }
    async fn household_codes(&self, ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
        self.household_codes_db(ids).await
    }
    async fn household_ids(&self, codes: &[String]) -> StoreResult<Vec<(String, i64, i64)>> {
        self.household_ids_db(codes).await
    }
    async fn import_units(&self, rows: &[UnitRow], audit: AuditDraft) -> StoreResult<ImportCounts> {
        self.import_units_db(rows, audit).await
    }
    async fn begin_import(&self) -> StoreResult<Box<dyn ImportTx>> {
        self.begin_import_db().await
    }
    async fn subjects_by_code(&self, subject: Subject, codes: &[String]) -> StoreResult<Vec<SubjectRef>> {
        self.subjects_by_code_db(subject, codes).await
    }
    async fn subject_by_id(&self, subject: Subject, id: i64) -> StoreResult<Option<SubjectRef>> {
        self.subject_by_id_db(subject, id).await
    }
    async fn subjects_of_unit(&self, subject: Subject, unit: i64) -> StoreResult<Vec<SubjectRef>> {
        self.subjects_of_unit_db(subject, unit).await
    }
    async fn assessed_subjects(&self, title: &str, year: i64, stage: &str, subjects: &[i64]) -> StoreResult<Vec<(i64, bool)>> {
        self.assessed_subjects_db(title, year, stage, subjects).await
    }
    async fn save_assessment(&self, input: &AssessmentInput, expected_version: Option<i64>, audit: AuditDraft) -> StoreResult<i64> {
        self.save_assessment_db(input, expected_version, audit).await
    }
    async fn assessment(&self, id: i64) -> StoreResult<Option<AssessmentRecord>> {
        self.assessment_db(id).await
    }
    async fn assessments(&self, scope: &Scope, filter: &AssessmentFilter, page: PageRequest) -> StoreResult<Page<AssessmentItem>> {
        self.assessments_db(scope, filter, page).await
    }
    async fn assessment_ids(&self, scope: &Scope, filter: &AssessmentFilter) -> StoreResult<Vec<(i64, i64)>> {
        self.assessment_ids_db(scope, filter).await
    }
    async fn subject_assessments(&self, title: &str, subject_id: i64) -> StoreResult<Vec<AssessmentRecord>> {
        self.subject_assessments_db(title, subject_id).await
    }
    async fn issue_decision(&self, input: &DecisionInput, created_by: &str, audit: AuditDraft) -> StoreResult<i64> {
        self.issue_decision_db(input, created_by, audit).await
    }
    async fn decision(&self, id: i64) -> StoreResult<Option<DecisionRecord>> {
        self.decision_db(id).await
    }
    async fn decisions(&self, scope: &Scope, page: PageRequest) -> StoreResult<Page<DecisionRecord>> {
        self.decisions_db(scope, page).await
    }
    async fn certificate(&self, code: &str) -> StoreResult<Option<(AssessmentRecord, DecisionRecord)>> {
        self.certificate_db(code).await
    }
    async fn tally_version(&self) -> StoreResult<i64> {
        self.tally_version_db().await
    }
    async fn tallies(&self, year: i64) -> StoreResult<Vec<TallyRow>> {
        self.tallies_db(year).await
    }
    async fn unit_counts(&self) -> StoreResult<Vec<(i64, UnitCounts)>> {
        self.unit_counts_db().await
    }
    async fn duplicate_subjects(&self, scope: &Scope, title: &str, year: i64, limit: i64) -> StoreResult<Vec<DuplicateGroup>> {
        self.duplicate_subjects_db(scope, title, year, limit).await
    }
    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        self.user_by_db("username", auth::Key::Text(username.to_string())).await
    }
    async fn user(&self, id: i64) -> StoreResult<Option<UserRecord>> {
        self.user_by_db("id", auth::Key::Int(id)).await
    }
    async fn users(&self) -> StoreResult<Vec<UserRecord>> {
        self.users_db().await
    }
    async fn create_user(&self, username: &str, full_name: &str, hash: &str, home_unit: i64, audit: AuditDraft) -> StoreResult<i64> {
        self.create_user_db(username, full_name, hash, home_unit, audit).await
    }
    async fn set_password(&self, user_id: i64, hash: &str, audit: AuditDraft) -> StoreResult<()> {
        self.set_password_db(user_id, hash, audit).await
    }
    async fn set_user_active(&self, user_id: i64, active: bool, audit: AuditDraft) -> StoreResult<()> {
        self.set_user_active_db(user_id, active, audit).await
    }
    async fn grants(&self, user_id: i64) -> StoreResult<Vec<GrantRecord>> {
        self.grants_db(user_id).await
    }
    async fn add_grant(&self, user_id: i64, grant: &Grant, audit: AuditDraft) -> StoreResult<i64> {
        self.add_grant_db(user_id, grant, audit).await
    }
    async fn delegations_by(&self, delegator: i64) -> StoreResult<Vec<GrantRecord>> {
        self.delegations_by_db(delegator).await
    }
    async fn grant(&self, id: i64) -> StoreResult<Option<GrantRecord>> {
        self.grant_db(id).await
    }
    async fn end_delegation(&self, id: i64, audit: AuditDraft) -> StoreResult<bool> {
        self.end_delegation_db(id, audit).await
    }
    async fn create_session(&self, token_hash: &str, user_id: i64, csrf: &str, expires_at: OffsetDateTime) -> StoreResult<()> {
        self.create_session_db(token_hash, user_id, csrf, expires_at).await
    }
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        self.session_db(token_hash).await
    }
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.exec("DELETE FROM sessions WHERE token_hash = $1", vec![db::V::text(token_hash)]).await.map(|_| ())
    }
    async fn delete_user_sessions(&self, user_id: i64) -> StoreResult<()> {
        self.exec("DELETE FROM sessions WHERE user_id = $1", vec![db::V::int(user_id)]).await.map(|_| ())
    }
    async fn purge_expired(&self, now: OffsetDateTime) -> StoreResult<u64> {
        self.purge_expired_db(now).await
    }
    async fn record_login_failure(&self, key: &str, at: OffsetDateTime) -> StoreResult<()> {
        self.exec("INSERT INTO login_failures (key, at) VALUES ($1, $2)", vec![db::V::text(key), db::V::int(db::ms(at))]).await.map(|_| ())
    }
    async fn login_failures_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<(i64, Option<OffsetDateTime>)> {
        let values = vec![db::V::text(key), db::V::int(db::ms(since))];
        let n = self.count("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2", values.clone()).await?;
        if n == 0 {
            return Ok((0, None));
        }
        let last = self.count("SELECT MAX(at) FROM login_failures WHERE key = $1 AND at >= $2", values).await?;
        Ok((n, Some(db::from_ms(last))))
    }
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        self.exec("DELETE FROM login_failures WHERE key = $1", vec![db::V::text(key)]).await.map(|_| ())
    }
    async fn create_api_token(&self, user_id: i64, name: &str, token_hash: &str, audit: AuditDraft) -> StoreResult<i64> {
        self.create_api_token_db(user_id, name, token_hash, audit).await
    }
    async fn api_token_user(&self, token_hash: &str) -> StoreResult<Option<i64>> {
        self.api_token_user_db(token_hash).await
    }
    async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenRecord>> {
        self.api_tokens_db(user_id).await
    }
    async fn revoke_api_token(&self, user_id: i64, token_id: i64, audit: AuditDraft) -> StoreResult<bool> {
        self.revoke_api_token_db(user_id, token_id, audit).await
    }
    async fn audit_page(&self, scope: &Scope, filter: &AuditFilter, page: PageRequest) -> StoreResult<Page<AuditRecord>> {
        self.audit_page_db(scope, filter, page).await
    }
    async fn blob_references(&self) -> StoreResult<Vec<String>> {
        self.blob_references_db().await
    }
    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        self.audit_head_db().await
    }
    async fn write_version(&self) -> StoreResult<i64> {
        self.count("SELECT seq FROM audit_head WHERE id = 1", vec![]).await
    }
    async fn articles(&self, filter: &ArticleFilter, page: PageRequest) -> StoreResult<Page<ArticleRow>> {
        self.articles_db(filter, page).await
    }
    async fn article(&self, id: i64) -> StoreResult<Option<ArticleRow>> {
        self.article_db(id).await
    }
    async fn save_article(&self, row: &ArticleRow, audit: AuditDraft) -> StoreResult<i64> {
        self.save_article_db(row, audit).await
    }
    async fn resources(&self, filter: &ResourceFilter, page: PageRequest) -> StoreResult<Page<ResourceRow>> {
        self.resources_db(filter, page).await
    }
    async fn resource(&self, id: i64) -> StoreResult<Option<ResourceRow>> {
        self.resource_db(id).await
    }
    async fn save_resource(&self, row: &ResourceRow, audit: AuditDraft) -> StoreResult<i64> {
        self.save_resource_db(row, audit).await
    }
    async fn audit_after(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditRecord>> {
        self.audit_after_db(after, limit).await
    }
    async fn append_audit(&self, audit: AuditDraft) -> StoreResult<i64> {
        let mut tx = self.begin().await?;
        let head = audit::lock_head(&mut tx).await?;
        let seq = audit::append(&mut tx, head, audit).await?;
        tx.commit().await.map_err(db::err)?;
        Ok(seq)
    }
}
