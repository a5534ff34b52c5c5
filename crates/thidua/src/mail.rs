//! Sending the outbox over SMTP (lettre), and the background loop of the server.

use async_trait::async_trait;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;
use thidua_app::App;
use thidua_app::ports::MailSender;

/// An SMTP relay from a URL: `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required`
/// (STARTTLS), `smtps://user:pass@host:465` (TLS).
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpSender {
    pub fn new(url: &str, from: &str) -> Result<SmtpSender, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("địa chỉ máy chủ thư (smtp_url) không hợp lệ: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| format!("địa chỉ người gửi (mail_from) «{from}» không hợp lệ: {e}"))?;
        Ok(SmtpSender { transport, from })
    }
}

#[async_trait]
impl MailSender for SmtpSender {
    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let to = to.parse::<Mailbox>().map_err(|e| format!("địa chỉ nhận «{to}» không hợp lệ: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| format!("không dựng được thư: {e}"))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| format!("máy chủ thư từ chối: {e}"))
    }
}

/// One round: queue today's reminders, then send what is due. Returns (queued, delivery).
pub async fn round(app: &App, sender: &dyn MailSender) -> Result<(u64, thidua_app::mail::Delivery), String> {
    let queued = app.plan_reminders().await.map_err(|e| e.to_string())?;
    let mut total = thidua_app::mail::Delivery::default();
    loop {
        let d = app.deliver_mail(sender, 200).await.map_err(|e| e.to_string())?;
        total.sent += d.sent;
        total.retried += d.retried;
        total.gave_up += d.gave_up;
        if d.sent + d.retried + d.gave_up < 200 {
            return Ok((queued, total));
        }
    }
}

/// The server's mail loop: reminders planned once an hour, the outbox flushed every
/// `every` (several servers may run it: each mail is claimed by one).
pub fn spawn(app: App, sender: SmtpSender, every: Duration) {
    tokio::spawn(async move {
        let mut last_plan: Option<std::time::Instant> = None;
        loop {
            if last_plan.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
                match app.plan_reminders().await {
                    Ok(n) if n > 0 => tracing::info!(queued = n, "reminder mails queued"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "planning reminders failed"),
                }
                last_plan = Some(std::time::Instant::now());
            }
            match app.deliver_mail(&sender, 200).await {
                Ok(d) if d.sent + d.retried + d.gave_up > 0 => {
                    tracing::info!(sent = d.sent, retried = d.retried, gave_up = d.gave_up, "mail delivery")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "mail delivery failed"),
            }
            tokio::time::sleep(every).await;
        }
    });
}
