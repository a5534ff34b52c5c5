//! Test support: a fresh database per test (SQLite file or PostgreSQL database), loaded from a
//! demo template built once per backend, and an in-process HTTP client with a cookie jar.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::path::PathBuf;
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};
use thidua_app::{Actor, App, AppConfig, SystemClock};
use tokio::sync::OnceCell;
use tower::ServiceExt;

/// Which engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The value of an environment variable a part of the suite needs (a PostgreSQL server, an S3
/// endpoint, the browser). Without it, that part is left out with a note; but when `CI` is set
/// (`.ci/run`'s full run) a missing one is a failure: a test never passes by skipping there.
pub fn needed(var: &str, what: &str) -> Option<String> {
    let value = std::env::var(var).ok().filter(|s| !s.is_empty());
    if value.is_none() {
        assert!(std::env::var_os("CI").is_none(), "{var} is not set but CI is: {what} must run in CI, not be skipped");
        eprintln!("note: {var} not set: {what} not run");
    }
    value
}

/// The PostgreSQL server URL for tests, if configured.
pub fn pg_url() -> Option<String> {
    needed("THIDUA_TEST_DATABASE_URL", "the PostgreSQL half of this test")
}

/// Engines to run a contract test on.
pub fn engines() -> Vec<Engine> {
    let mut e = vec![Engine::Sqlite];
    if pg_url().is_some() {
        e.push(Engine::Postgres);
    }
    e
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst), rand_suffix())
}

fn rand_suffix() -> u32 {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    t % 100_000
}

/// Replaces the database name of a PostgreSQL URL.
pub fn pg_with_db(base: &str, db: &str) -> String {
    let (head, tail) = base.split_at(base.find("://").map(|i| i + 3).unwrap_or(0));
    let (hostpart, query) = match tail.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (tail, String::new()),
    };
    let host = hostpart.split('/').next().unwrap_or(hostpart);
    format!("{head}{host}/{db}{query}")
}

async fn pg_admin(sql: &str) {
    sqlx::any::install_default_drivers();
    let base = pg_url().unwrap_or_default();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&base).await.unwrap_or_else(|e| panic!("connect {base}: {e}"));
    sqlx::Executor::execute(&mut conn, sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A database for one test. When the test ends, its audit chain must still verify against the
/// head (every write of the test audited, chained, nothing cut off); a test that tampers with
/// the log on purpose says so with [`TestDb::tampered`].
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    tampered: bool,
}

impl TestDb {
    /// This test breaks the audit chain on purpose (to prove verification finds it).
    pub fn tampered(&mut self) {
        self.tampered = true;
    }

    /// This test migrates the database file by file, without sqlx's record of what ran: thidua
    /// cannot open it afterwards, and it holds no audit chain to verify.
    pub fn migrated_by_hand(&mut self) {
        self.tampered = true;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.tampered || std::thread::panicking() {
            return;
        }
        let url = self.url.clone();
        // The test's runtime may be shutting down: verify on a thread with its own.
        let verdict = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            rt.block_on(async move {
                let store = thidua_storage::connect(&url, 1).await.map_err(|e| e.to_string())?;
                let app = App::new(Arc::new(store), Arc::new(SystemClock), AppConfig::default());
                app.verify_audit().await
            })
        })
        .join();
        match verdict {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("the audit chain of {} does not verify when the test ends: {e}", self.url),
            Err(_) => panic!("verifying the audit chain of {} panicked", self.url),
        }
    }
}

impl TestDb {
    /// An empty, migrated database.
    pub async fn empty(engine: Engine) -> TestDb {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite:{}", dir.path().join("t.db").display());
                TestDb { url, _dir: Some(dir), tampered: false }
            }
            Engine::Postgres => {
                let name = unique("thidua_t");
                pg_admin(&format!("CREATE DATABASE {name}")).await;
                TestDb { url: pg_with_db(&pg_url().unwrap_or_default(), &name), _dir: None, tampered: false }
            }
        }
    }

    /// A database holding the demo data (copied from a template built once per engine).
    pub async fn demo(engine: Engine) -> TestDb {
        match engine {
            Engine::Sqlite => {
                let template = sqlite_template().await;
                let dir = tempfile::tempdir().expect("tempdir");
                let path = dir.path().join("t.db");
                std::fs::copy(template, &path).expect("copy template");
                TestDb { url: format!("sqlite:{}", path.display()), _dir: Some(dir), tampered: false }
            }
            Engine::Postgres => {
                let template = pg_template().await;
                let name = unique("thidua_t");
                pg_admin(&format!("CREATE DATABASE {name} TEMPLATE {template}")).await;
                TestDb { url: pg_with_db(&pg_url().unwrap_or_default(), &name), _dir: None, tampered: false }
            }
        }
    }
}

static SQLITE_TEMPLATE: OnceCell<PathBuf> = OnceCell::const_new();
static PG_TEMPLATE: OnceCell<String> = OnceCell::const_new();

async fn sqlite_template() -> &'static PathBuf {
    SQLITE_TEMPLATE
        .get_or_init(|| async {
            let dir = std::env::temp_dir().join(unique("thidua_tpl"));
            std::fs::create_dir_all(&dir).expect("template dir");
            let path = dir.join("demo.db");
            let app = open(&format!("sqlite:{}", path.display())).await;
            thidua::demo::load(&app).await.expect("demo loads");
            give_phones(&app, &format!("sqlite:{}", path.display())).await;
            // Fold the WAL into the main file so that a plain copy is complete.
            let store = thidua_storage::connect(&format!("sqlite:{}", path.display()), 1).await.expect("reopen");
            sqlx::Executor::execute(store.pool(), "PRAGMA wal_checkpoint(TRUNCATE)").await.expect("checkpoint");
            store.pool().close().await;
            drop(app);
            path
        })
        .await
}

async fn pg_template() -> &'static String {
    PG_TEMPLATE
        .get_or_init(|| async {
            let name = unique("thidua_tpl");
            pg_admin(&format!("CREATE DATABASE {name}")).await;
            let url = pg_with_db(&pg_url().unwrap_or_default(), &name);
            let store = thidua_storage::connect(&url, 2).await.expect("connect template");
            let app = App::new(Arc::new(store.clone()), Arc::new(SystemClock), AppConfig::default());
            app.sync_shipped_criteria().await.expect("criteria");
            thidua::demo::load(&app).await.expect("demo loads");
            give_phones(&app, &url).await;
            store.pool().close().await;
            name
        })
        .await
}

/// Opens the application on a database URL.
pub async fn open(url: &str) -> App {
    let store = thidua_storage::connect(url, 4).await.unwrap_or_else(|e| panic!("connect {url}: {e}"));
    let blobs = thidua_storage::LocalBlobs::new(std::env::temp_dir().join(unique("thidua_blobs")));
    let app = App::new(Arc::new(store), Arc::new(SystemClock), AppConfig::default()).with_blobs(Arc::new(blobs));
    app.sync_shipped_criteria().await.expect("shipped criteria sets are stored");
    app.sync_shipped_campaigns().await.expect("shipped campaigns are stored");
    app
}

/// The actor of a demo user.
pub async fn actor(app: &App, username: &str) -> Actor {
    let u = app.store().user_by_username(username).await.expect("query").expect("user exists");
    app.actor(u.id).await.expect("actor")
}

/// The id of a unit by code.
pub async fn unit_id(app: &App, code: &str) -> i64 {
    *app.snapshot().await.expect("snapshot").by_code.get(code).unwrap_or_else(|| panic!("unit {code}"))
}

pub const PASSWORD: &str = thidua::demo::DEMO_PASSWORD;

/// The smallest PNG a browser shows (1 × 1).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
    0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60,
    0x82,
];

/// An in-process HTTP client for the router, with a cookie jar.
pub struct Client {
    pub router: Router,
    /// The application behind the router: its clock is the time the user's phone shows.
    pub app: App,
    pub cookies: Vec<(String, String)>,
    pub csrf: String,
}

/// A response, read whole.
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
    pub fn location(&self) -> String {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// The value of a hidden field of a page, if it has one.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    html.find(&marker).map(|i| html[i + marker.len()..].split('"').next().unwrap_or("").to_string())
}

/// The authenticator secret the test template sets up for the demo accounts that must sign in
/// in two steps (administrators, the city-wide roles): the tests' «phone».
pub const PHONE_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// Sets up [`PHONE_SECRET`] for every demo account that must sign in in two steps, through the
/// same sign-in a person makes.
async fn give_phones(app: &App, url: &str) {
    use thidua_app::second_factor::{Origin, SignIn, authenticator_code};
    for (username, ..) in thidua::demo::DEMO_USERS {
        // Each sign-in here is signed out again: the template holds no session.
        let token = match app.login(username, PASSWORD, "template").await.expect("the demo account signs in") {
            SignIn::Waiting(waiting, thidua_app::ports::SessionStage::Enrol) => {
                let (code, _) = authenticator_code(PHONE_SECRET, time::OffsetDateTime::now_utc()).expect("code");
                let (session, _) = app
                    .enrol_waiting(&waiting.token, PHONE_SECRET, &code, Origin { address: "template", ..Origin::default() })
                    .await
                    .unwrap_or_else(|e| panic!("{username} sets up the test phone: {e}"));
                session.token
            }
            SignIn::Waiting(waiting, _) => waiting.token,
            SignIn::Done(_, session) => session.token,
        };
        app.logout(&token).await.expect("sign out");
    }
    // The phones have used no time step yet: a test whose clock is set to any date signs in.
    let store = thidua_storage::connect(url, 1).await.expect("reopen");
    sqlx::Executor::execute(store.pool(), "UPDATE second_factors SET last_step = 0").await.expect("phones");
    store.pool().close().await;
}

/// Extracts the value of the first `name="_csrf"` hidden field of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    html.find(marker).map(|i| html[i + marker.len()..].split('"').next().unwrap_or("").to_string()).unwrap_or_default()
}

impl Client {
    pub fn new(app: App) -> Client {
        Client {
            router: thidua_web::router(app.clone(), thidua_web::WebConfig { max_upload_bytes: 2 * 1024 * 1024, ..Default::default() }),
            app,
            cookies: vec![],
            csrf: String::new(),
        }
    }

    pub fn with_config(app: App, config: thidua_web::WebConfig) -> Client {
        Client { router: thidua_web::router(app.clone(), config), app, cookies: vec![], csrf: String::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    pub async fn send(&mut self, req: Request<Body>) -> Resp {
        let mut req = req;
        if !self.cookies.is_empty()
            && let Ok(v) = self.cookie_header().parse()
        {
            req.headers_mut().insert(header::COOKIE, v);
        }
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        for sc in headers.get_all(header::SET_COOKIE) {
            let Ok(sc) = sc.to_str() else { continue };
            let Some((kv, _)) = sc.split_once(';') else { continue };
            let Some((k, v)) = kv.split_once('=') else { continue };
            self.cookies.retain(|(n, _)| n != k);
            if !v.is_empty() && !sc.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
        let body = res.into_body().collect().await.expect("body").to_bytes().to_vec();
        Resp { status, headers, body }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).expect("request")).await
    }

    /// Posts a form; `_csrf` is added from the last page seen unless the fields carry one.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        if !fields.iter().any(|(k, _)| *k == "_csrf") {
            all.push(("_csrf", &csrf));
        }
        let body = serde_urlencoded::to_string(&all).expect("form");
        let req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(body)).expect("request");
        self.send(req).await
    }

    /// Posts a multipart upload with a file field and text fields.
    pub async fn post_multipart(&mut self, path: &str, fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> Resp {
        let boundary = "thiduaBOUNDARY7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
        }
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend(file);
        body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// Logs in through the real login form, passing the second step as the user's phone would
    /// where the account has one (or must set one up); remembers the session's CSRF token.
    pub async fn login(&mut self, username: &str) -> Resp {
        let page = self.get("/login").await;
        let csrf = csrf_of(&page.text());
        let mut r = self.post_form("/login", &[("_csrf", &csrf), ("username", username), ("password", PASSWORD), ("next", "/")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login of {username} failed: {}", r.text());
        if r.location().starts_with("/login/2fa") {
            r = self.second_step(username, &r.location()).await;
        }
        let home = self.get("/account").await;
        self.csrf = csrf_of(&home.text());
        r
    }

    /// The second step of a sign-in, as the user's phone answers it: the demo's city-wide
    /// accounts have [`PHONE_SECRET`] set up (the test template does it), an account setting
    /// up its authenticator takes the secret the page shows. A code already used (another sign-in
    /// within the same 30 seconds) is followed by the next step's, or by the next step.
    pub async fn second_step(&mut self, username: &str, at: &str) -> Resp {
        let page = self.get(at).await.text();
        let csrf = csrf_of(&page);
        let secret = hidden_value(&page, "secret").unwrap_or_else(|| PHONE_SECRET.to_string());
        let enrolling = hidden_value(&page, "secret").is_some();
        for attempt in 0..6 {
            let ahead = if attempt % 2 == 0 { 0 } else { 30 };
            let now = self.app.now() + time::Duration::seconds(ahead);
            let (code, _) = thidua_app::second_factor::authenticator_code(&secret, now).expect("code");
            let r = self.post_form("/login/2fa", &[("_csrf", &csrf), ("code", &code), ("secret", &secret), ("next", "/")]).await;
            if r.status == StatusCode::SEE_OTHER || (enrolling && r.status == StatusCode::OK) {
                return r;
            }
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "second step of {username}: {}", r.text());
            if attempt % 2 == 1 {
                tokio::time::sleep(std::time::Duration::from_secs(10)).await;
            }
        }
        panic!("{username}: no code of the phone was accepted");
    }
}

/// The application on a fresh copy of the demo data; keep the [`TestDb`] alive as long as the app.
pub async fn demo_app(engine: Engine) -> (App, TestDb) {
    let db = TestDb::demo(engine).await;
    let app = open(&db.url).await;
    (app, db)
}

/// A clock the test sets and moves.
pub struct ManualClock(std::sync::Mutex<time::OffsetDateTime>);

impl ManualClock {
    pub fn at(t: time::OffsetDateTime) -> ManualClock {
        ManualClock(std::sync::Mutex::new(t))
    }
    pub fn set(&self, t: time::OffsetDateTime) {
        *self.0.lock().expect("clock") = t;
    }
    pub fn advance(&self, d: time::Duration) {
        *self.0.lock().expect("clock") += d;
    }
}

impl thidua_app::Clock for ManualClock {
    fn now(&self) -> time::OffsetDateTime {
        *self.0.lock().expect("clock")
    }
}

/// The demo city on `engine` seen at `now` (Hanoi time is UTC+7), with its own clock.
pub async fn demo_app_at(engine: Engine, now: time::OffsetDateTime) -> (App, TestDb, Arc<ManualClock>) {
    let db = TestDb::demo(engine).await;
    let store = thidua_storage::connect(&db.url, 4).await.expect("connect");
    let clock = Arc::new(ManualClock::at(now));
    let blobs = thidua_storage::LocalBlobs::new(std::env::temp_dir().join(unique("thidua_blobs")));
    let app = App::new(Arc::new(store), clock.clone(), AppConfig::default()).with_blobs(Arc::new(blobs));
    app.sync_shipped_campaigns().await.expect("campaigns");
    (app, db, clock)
}

/// A `width` × `height` PNG with a gradient and a stripe: a photo-sized image for the pages
/// (stored, uncompressed deflate blocks; no image library needed).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in data {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0); // no filter
        for x in 0..width {
            let stripe = (y * 5 / height) == 2;
            let (r, g, b) = if stripe { (196, 30, 58) } else { ((40 + x * 150 / width) as u8, (90 + y * 120 / height) as u8, 170) };
            raw.extend([r, g, b]);
        }
    }
    let mut z = vec![0x78, 0x01];
    for (i, block) in raw.chunks(65_535).enumerate() {
        let last = (i + 1) * 65_535 >= raw.len();
        z.push(u8::from(last));
        let n = block.len() as u16;
        z.extend(n.to_le_bytes());
        z.extend((!n).to_le_bytes());
        z.extend(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    z.extend(((b << 16) | a).to_be_bytes());
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}
