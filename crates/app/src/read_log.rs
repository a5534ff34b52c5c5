//! Who looked at whom (issue 18 §4, Law 91/2025). Reading a citizen's or a household's record,
//! listing or exporting them — by a page, the API or the command line — is logged before the
//! data is shown: who, when, through what, which record (or which list: its unit and filter),
//! and how many rows. The inspector queries the log within the units of their scope.
//!
//! The log is written by one writer per application, in groups: a read hands its entry to the
//! writer and waits until the group holding it is committed, so nothing is shown that is not
//! logged, and a thousand reads at once cost a few transactions, not a thousand. When the
//! writer's queue is full (the database is far behind) or the log cannot be written, the read
//! is refused («máy chủ đang bận») rather than shown unlogged.

use crate::error::{AppError, AppResult};
use crate::ports::{
    HouseholdRecord, HouseholdSort, Page, PageRequest, PersonRecord, PersonSort, ReadChannel, ReadDraft, ReadFilter, ReadRecord, ReadWhat,
};
use crate::{Actor, App, Store};
use std::sync::{Arc, Mutex};
use thidua_domain::access::Action;
use tokio::sync::{mpsc, oneshot};

/// Entries waiting for the writer at most; one more read is refused until the writer catches up.
pub const QUEUE: usize = 10_000;
/// Entries the writer commits in one transaction at most.
const GROUP: usize = 1_000;

type Done = oneshot::Sender<Result<(), String>>;
/// The writer's queue: each read with the way to tell it the outcome.
type Queue = mpsc::Sender<(ReadDraft, Done)>;

/// The read log's writer, shared by the clones of one application and started by its first read.
#[derive(Clone, Default)]
pub(crate) struct ReadLog {
    queue: Arc<Mutex<Option<Queue>>>,
}

impl ReadLog {
    /// The writer's queue, starting the writer if it is not running (the first read, or a
    /// runtime that ended under it).
    fn sender(&self, store: &Arc<dyn Store>) -> Queue {
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = queue.as_ref().filter(|tx| !tx.is_closed()) {
            return tx.clone();
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(write_groups(store.clone(), rx));
        *queue = Some(tx.clone());
        tx
    }

    /// Hands `read` to the writer and waits until it is committed.
    async fn record(&self, store: &Arc<dyn Store>, read: ReadDraft) -> AppResult<()> {
        let (done, committed) = oneshot::channel();
        self.sender(store).try_send((read, done)).map_err(|_| AppError::Overloaded)?;
        match committed.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => {
                // The cause goes to the server's log, where the operator sees it; the reader
                // sees only that the read could not be logged.
                eprintln!("read log: cannot write: {e}");
                Err(AppError::Overloaded)
            }
            Err(_) => Err(AppError::Overloaded),
        }
    }
}

/// The writer: takes what is queued (up to [`GROUP`]), commits it in one transaction, and tells
/// every waiting read the outcome; ends when the application is dropped.
async fn write_groups(store: Arc<dyn Store>, mut rx: mpsc::Receiver<(ReadDraft, Done)>) {
    let mut group = Vec::with_capacity(GROUP);
    while rx.recv_many(&mut group, GROUP).await > 0 {
        let (reads, waiting): (Vec<ReadDraft>, Vec<Done>) = group.drain(..).unzip();
        let outcome = store.record_reads(&reads).await.map_err(|e| e.to_string());
        for done in waiting {
            // A read whose request went away meanwhile no longer waits: nothing to tell.
            let _ = done.send(outcome.clone());
        }
    }
}

/// What a list read shows, for the log's `detail`.
fn list_detail(query: Option<&str>, household: Option<i64>, page: &PageRequest) -> String {
    let mut parts = Vec::new();
    if let Some(q) = query.filter(|q| !q.trim().is_empty()) {
        parts.push(format!("tìm «{}»", q.trim()));
    }
    if let Some(h) = household {
        parts.push(format!("hộ #{h}"));
    }
    if page.at.is_none() && page.page > 1 {
        parts.push(format!("trang {}", page.page));
    }
    parts.join("; ")
}

impl App {
    /// Logs that `actor` read `rows` rows of `what` (see the module's note); refused reads are
    /// not shown.
    pub async fn log_read(
        &self,
        actor: &Actor,
        channel: ReadChannel,
        what: ReadWhat,
        (subject_id, unit_id): (Option<i64>, Option<i64>),
        rows: usize,
        detail: String,
    ) -> AppResult<()> {
        if !self.config.log_reads {
            return Ok(());
        }
        let read = ReadDraft {
            at_ms: (self.clock.now().unix_timestamp_nanos() / 1_000_000) as i64,
            user_id: actor.user_id,
            username: actor.username.clone(),
            channel,
            what,
            subject_id,
            unit_id,
            rows: i64::try_from(rows).unwrap_or(i64::MAX),
            detail,
        };
        self.reads.record(&self.store, read).await
    }

    /// A citizen's record as shown on their page, their edit form or the API: logged first.
    pub async fn read_person(&self, actor: &Actor, id: i64, channel: ReadChannel) -> AppResult<PersonRecord> {
        let mut p = self.person(actor, id).await?;
        self.log_read(actor, channel, ReadWhat::Person, (Some(id), Some(p.unit_id)), 1, String::new()).await?;
        let snap = self.snapshot().await?;
        self.minimise_person(actor, &snap, &mut p);
        Ok(p)
    }

    /// A household's record as shown on its page, its edit form or the API: logged first.
    pub async fn read_household(&self, actor: &Actor, id: i64, channel: ReadChannel) -> AppResult<HouseholdRecord> {
        let mut h = self.household(actor, id).await?;
        self.log_read(actor, channel, ReadWhat::Household, (Some(id), Some(h.unit_id)), 1, String::new()).await?;
        let snap = self.snapshot().await?;
        self.minimise_household(actor, &snap, &mut h);
        Ok(h)
    }

    /// A page of the list of citizens as shown (a list page, a search, the API): logged with
    /// its filter and the rows it shows.
    #[allow(clippy::too_many_arguments)]
    pub async fn read_people(
        &self,
        actor: &Actor,
        channel: ReadChannel,
        unit: Option<i64>,
        household: Option<i64>,
        q: Option<&str>,
        sort: PersonSort,
        page: PageRequest,
    ) -> AppResult<Page<PersonRecord>> {
        let detail = list_detail(q, household, &page);
        let mut list = self.people(actor, unit, household, q, sort, page).await?;
        if !list.items.is_empty() {
            let unit = self.list_unit(actor, unit).await?;
            self.log_read(actor, channel, ReadWhat::People, (None, unit), list.items.len(), detail).await?;
        }
        let snap = self.snapshot().await?;
        for p in &mut list.items {
            self.minimise_person(actor, &snap, p);
        }
        Ok(list)
    }

    /// A page of the list of households as shown, logged as [`App::read_people`].
    pub async fn read_households(
        &self,
        actor: &Actor,
        channel: ReadChannel,
        unit: Option<i64>,
        q: Option<&str>,
        sort: HouseholdSort,
        page: PageRequest,
    ) -> AppResult<Page<HouseholdRecord>> {
        let detail = list_detail(q, None, &page);
        let mut list = self.households_sorted(actor, unit, q, sort, page).await?;
        if !list.items.is_empty() {
            let unit = self.list_unit(actor, unit).await?;
            self.log_read(actor, channel, ReadWhat::Households, (None, unit), list.items.len(), detail).await?;
        }
        let snap = self.snapshot().await?;
        for h in &mut list.items {
            self.minimise_household(actor, &snap, h);
        }
        Ok(list)
    }

    /// Whether the actor's work on records of `unit` needs a citizen's birth year and gender
    /// (issue 18 §7, minimisation): those who keep the registry (write it) or inspect it (read
    /// its audit) do; those who only read it on the way to a decision — DOHA's board, the
    /// council, the Chairman's office — do not (a nominee's birth year travels in the dossier).
    fn sees_personal_details(&self, actor: &Actor, snap: &crate::registry::TreeSnapshot, unit: i64) -> bool {
        self.shows(actor, snap, Action::WriteRegistry, unit) || self.shows(actor, snap, Action::ReadAudit, unit)
    }

    fn minimise_person(&self, actor: &Actor, snap: &crate::registry::TreeSnapshot, p: &mut PersonRecord) {
        if !self.sees_personal_details(actor, snap, p.unit_id) {
            p.birth_year = None;
            p.gender = None;
        }
    }

    fn minimise_household(&self, actor: &Actor, snap: &crate::registry::TreeSnapshot, h: &mut HouseholdRecord) {
        if !self.sees_personal_details(actor, snap, h.unit_id) {
            h.head_birth_year = None;
            h.head_gender = None;
        }
    }

    /// The unit a list read is logged under: its filter, or else the one unit the actor's
    /// scope starts from (a ward officer's list of their whole ward), so that the inspector of
    /// that unit finds it; none for a scope of several units or the whole city.
    async fn list_unit(&self, actor: &Actor, unit: Option<i64>) -> AppResult<Option<i64>> {
        if unit.is_some() {
            return Ok(unit);
        }
        Ok(match self.scope(actor, Action::ReadRegistry).await? {
            crate::ports::Scope::Roots(roots) if roots.len() == 1 => roots.first().map(|r| r.node),
            _ => None,
        })
    }

    /// The read log for the inspector (the audit role), newest first, within the units of the
    /// actor's scope; a filter by unit must lie inside it.
    pub async fn reads(&self, actor: &Actor, filter: &ReadFilter, page: PageRequest) -> AppResult<Page<ReadRecord>> {
        if let Some(unit) = filter.unit {
            self.authorize(actor, Action::ReadAudit, unit).await?;
        }
        let scope = self.scope(actor, Action::ReadAudit).await?;
        Ok(self.store.reads_page(&scope, filter, page).await?)
    }
}
