//! Two real `thidua serve` processes against one PostgreSQL behave as one: a session started on
//! one is valid on the other, login throttling counts failures from both, and a logout on one
//! ends the session everywhere.

use crate::support::{Engine, TestDb, csrf_of, pg_url};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server process, stopped when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

impl Server {
    /// Starts `thidua serve` on a free port and waits until `/readyz` answers.
    pub fn start(database_url: &str, demo: bool) -> Server {
        let dir = tempfile::tempdir().expect("dir");
        let addr = format!("127.0.0.1:{}", free_port());
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_thidua"));
        cmd.arg("serve")
            .arg("--bind")
            .arg(&addr)
            .current_dir(dir.path())
            .env("THIDUA_DATABASE_URL", database_url)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if demo {
            cmd.arg("--demo");
        }
        let child = cmd.spawn().expect("start thidua");
        let server = Server { child, addr, _dir: dir };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if http(&server.addr, "GET", "/readyz", &[], "").0 == 200 {
                return server;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("server on {} did not become ready", server.addr);
    }
}

/// A minimal HTTP/1.1 client: (status, headers, body).
pub fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, Vec<(String, String)>, String) {
    let Ok(mut s) = TcpStream::connect(addr) else { return (0, vec![], String::new()) };
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    if s.write_all(req.as_bytes()).is_err() {
        return (0, vec![], String::new());
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).unwrap_or(0);
    let headers = lines.filter_map(|l| l.split_once(": ")).map(|(k, v)| (k.to_lowercase(), v.to_string())).collect();
    (status, headers, body.to_string())
}

fn cookie(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .find_map(|(_, v)| v.strip_prefix(&format!("{name}=")).map(|r| r.split(';').next().unwrap_or("").to_string()))
}

/// Logs in on `addr`; returns the status and the session cookie (if any).
fn login(addr: &str, user: &str, password: &str) -> (u16, Option<String>) {
    let (_, h, page) = http(addr, "GET", "/login", &[], "");
    let csrf = csrf_of(&page);
    let login_cookie = cookie(&h, "thidua_login_csrf").unwrap_or_default();
    let body = serde_urlencoded::to_string([("_csrf", csrf.as_str()), ("username", user), ("password", password), ("next", "/")])
        .unwrap_or_default();
    let c = format!("thidua_login_csrf={login_cookie}");
    let (status, h, _) = http(addr, "POST", "/login", &[("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", &c)], &body);
    (status, cookie(&h, "thidua_session"))
}

#[tokio::test]
#[ignore = "needs a PostgreSQL server (THIDUA_TEST_DATABASE_URL); .ci/run runs it"]
async fn two_server_processes_on_one_postgresql_behave_as_one() {
    if pg_url().is_none() {
        return;
    }
    let db = TestDb::demo(Engine::Postgres).await;
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || {
        let a = Server::start(&url, false);
        let b = Server::start(&url, false);
        let (status, session) = login(&a.addr, "phuongbadinh", crate::support::PASSWORD);
        assert_eq!(status, 303);
        let session = session.expect("session cookie");
        let c = format!("thidua_session={session}");
        let (status, _, body) = http(&b.addr, "GET", "/households", &[("Cookie", &c)], "");
        assert_eq!(status, 200, "the session from A works on B");
        assert!(body.contains("HGD-BD-TDP01-001"));
        // Five failures spread over both processes lock the account on either.
        for i in 0..5 {
            let addr = if i % 2 == 0 { &a.addr } else { &b.addr };
            assert_eq!(login(addr, "sogd", "sai-mat-khau").0, 401);
        }
        assert_eq!(login(&a.addr, "sogd", crate::support::PASSWORD).0, 429);
        assert_eq!(login(&b.addr, "sogd", crate::support::PASSWORD).0, 429);
        // Logging out on B ends the session on A.
        let (_, _, account) = http(&a.addr, "GET", "/account", &[("Cookie", &c)], "");
        let csrf = csrf_of(&account);
        let (status, _, _) = http(
            &b.addr,
            "POST",
            "/logout",
            &[("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", &c)],
            &format!("_csrf={csrf}"),
        );
        assert_eq!(status, 303);
        let (status, h, _) = http(&a.addr, "GET", "/households", &[("Cookie", &c)], "");
        assert_eq!(status, 303);
        assert!(h.iter().any(|(k, v)| k == "location" && v.starts_with("/login")));
    })
    .await
    .expect("scale-out scenario");
}
