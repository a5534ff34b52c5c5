//! Prometheus metrics: request counts by route class and status, and a latency histogram.
//! Written by hand over atomics: a handful of series does not justify a metrics framework.

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

const BUCKETS_MS: [u64; 10] = [1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000];

/// Counters of one process.
#[derive(Default)]
pub struct Metrics {
    by_status: [AtomicU64; 6],
    buckets: [AtomicU64; 10],
    count: AtomicU64,
    sum_us: AtomicU64,
}

impl Metrics {
    fn observe(&self, status: u16, elapsed_us: u64) {
        let class = usize::from(status / 100).min(5);
        self.by_status[class].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add(elapsed_us, Ordering::Relaxed);
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if elapsed_us <= b * 1000 {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP thidua_http_requests_total HTTP requests by status class.\n# TYPE thidua_http_requests_total counter\n");
        for (i, c) in self.by_status.iter().enumerate().skip(1) {
            out.push_str(&format!("thidua_http_requests_total{{status=\"{i}xx\"}} {}\n", c.load(Ordering::Relaxed)));
        }
        out.push_str(
            "# HELP thidua_http_request_duration_seconds Request latency.\n# TYPE thidua_http_request_duration_seconds histogram\n",
        );
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            out.push_str(&format!(
                "thidua_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                *b as f64 / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.count.load(Ordering::Relaxed);
        out.push_str(&format!("thidua_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"));
        out.push_str(&format!(
            "thidua_http_request_duration_seconds_sum {}\nthidua_http_request_duration_seconds_count {count}\n",
            self.sum_us.load(Ordering::Relaxed) as f64 / 1e6
        ));
        out
    }
}

/// Middleware: times every request and logs failures once, with the request's operation id.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    let elapsed = start.elapsed();
    let status = response.status().as_u16();
    state.metrics.observe(status, u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
    if status >= 500 {
        tracing::error!(%method, %path, status, elapsed_ms = elapsed.as_millis() as u64, "request failed");
    } else {
        tracing::debug!(%method, %path, status, elapsed_ms = elapsed.as_millis() as u64, "request");
    }
    response
}
