//! A local SMTP server for tests: speaks enough of RFC 5321 for a real client (lettre), keeps
//! every message it accepts, and refuses the recipients it is told to (550), so that delivery,
//! retries and escalations are tested over a real connection.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// Header name (lower case) → decoded value.
    pub headers: Vec<(String, String)>,
    /// The body, transfer-decoded.
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    pub fn subject(&self) -> &str {
        self.header("subject").unwrap_or("")
    }
}

#[derive(Clone, Default)]
pub struct Sink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<Mutex<HashSet<String>>>,
}

impl Sink {
    pub async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let sink = Sink { port: listener.local_addr().expect("addr").port(), ..Sink::default() };
        let s = sink.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move { s.session(socket).await });
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn refuse(&self, address: &str, refused: bool) {
        let mut r = self.refuse.lock().expect("lock");
        if refused {
            r.insert(address.to_string());
        } else {
            r.remove(address);
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    async fn session(&self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                return;
            }
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            let reply: String = if upper.starts_with("EHLO") {
                "250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n".into()
            } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
                "250 ok\r\n".into()
            } else if upper.starts_with("RSET") {
                from.clear();
                to.clear();
                "250 ok\r\n".into()
            } else if upper.starts_with("MAIL FROM:") {
                from = angle(&cmd);
                "250 ok\r\n".into()
            } else if upper.starts_with("RCPT TO:") {
                let rcpt = angle(&cmd);
                if self.refuse.lock().expect("lock").contains(&rcpt) {
                    "550 5.1.1 mailbox unavailable\r\n".into()
                } else {
                    to.push(rcpt);
                    "250 ok\r\n".into()
                }
            } else if upper == "DATA" {
                let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
                }
                self.received.lock().expect("lock").push(parse(&from, &to, &data));
                to.clear();
                "250 queued\r\n".into()
            } else if upper.starts_with("QUIT") {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            } else {
                "502 not implemented\r\n".into()
            };
            if write.write_all(reply.as_bytes()).await.is_err() {
                return;
            }
        }
    }
}

fn angle(cmd: &str) -> String {
    let start = cmd.find('<').map_or(0, |i| i + 1);
    let end = cmd.rfind('>').unwrap_or(cmd.len());
    cmd.get(start..end).unwrap_or("").to_string()
}

/// Splits headers from body, unfolds headers, decodes RFC 2047 words and the body's transfer
/// encoding (base64 or quoted-printable).
fn parse(from: &str, to: &[String], data: &str) -> Received {
    let (head, body) = data.split_once("\r\n\r\n").unwrap_or((data, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for l in head.split("\r\n") {
        if l.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.1.push_str(l);
            }
        } else if let Some((n, v)) = l.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    for h in &mut headers {
        h.1 = decode_words(&h.1);
    }
    let encoding = headers.iter().find(|(n, _)| n == "content-transfer-encoding").map(|(_, v)| v.to_ascii_lowercase());
    let body = match encoding.as_deref() {
        Some("base64") => {
            use base64::Engine;
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(compact).expect("base64 body")).expect("utf-8 body")
        }
        Some("quoted-printable") => String::from_utf8(
            quoted_printable::decode(body.as_bytes(), quoted_printable::ParseMode::Robust).expect("quoted-printable body"),
        )
        .expect("utf-8 body"),
        _ => body.to_string(),
    }
    .replace("\r\n", "\n");
    Received { from: from.to_string(), to: to.to_vec(), headers, body }
}

/// `=?utf-8?b?…?=` and `=?utf-8?q?…?=` words, possibly several separated by white space.
fn decode_words(v: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    let mut previous_encoded = false;
    for (i, part) in v.split_whitespace().enumerate() {
        let decoded = part.strip_prefix("=?").and_then(|p| p.strip_suffix("?=")).and_then(|p| {
            let mut it = p.splitn(3, '?');
            let (_charset, enc, text) = (it.next()?, it.next()?, it.next()?);
            let bytes = match enc.to_ascii_lowercase().as_str() {
                "b" => base64::engine::general_purpose::STANDARD.decode(text).ok()?,
                "q" => quoted_printable::decode(text.replace('_', " "), quoted_printable::ParseMode::Robust).ok()?,
                _ => return None,
            };
            String::from_utf8(bytes).ok()
        });
        // White space between two encoded words is not part of the text (RFC 2047, 6.2).
        if i > 0 && !(previous_encoded && decoded.is_some()) {
            out.push(' ');
        }
        previous_encoded = decoded.is_some();
        out.push_str(decoded.as_deref().unwrap_or(part));
    }
    out
}
