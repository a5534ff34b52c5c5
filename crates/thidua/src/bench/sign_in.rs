//! How a benchmark signs in as a demo account: the demo password and, for an account that signs
//! in in two steps (administrators, the city-wide roles), the code its phone would show. The
//! secret of an authenticator set up in this process is kept here; one set up by an earlier run
//! is on nobody's phone, so the benchmark — an operator at the command line, like
//! `thidua user reset2fa` — resets it (audited) and sets up a new one.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use thidua_app::auth::NewSession;
use thidua_app::ports::SessionStage;
use thidua_app::second_factor::{Origin, SignIn, authenticator_code};
use thidua_app::{Actor, App};

const ORIGIN: Origin<'static> = Origin { address: "bench", user_agent: "thidua bench", device: "" };

/// Per username: the authenticator's secret and the last time step used.
fn phones() -> &'static Mutex<HashMap<String, (String, u64)>> {
    static PHONES: OnceLock<Mutex<HashMap<String, (String, u64)>>> = OnceLock::new();
    PHONES.get_or_init(Default::default)
}

/// The next code of `username`'s authenticator that has not been used: a code is accepted once,
/// so a second sign-in within the same 30 seconds uses the next step's (one step of drift is
/// allowed), and a third waits for it.
async fn next_code(app: &App, username: &str, secret: &str) -> Result<String, String> {
    loop {
        let last = phones().lock().map_err(|e| e.to_string())?.get(username).map(|(_, s)| *s).unwrap_or(0);
        let now = app.now();
        for ahead in [0, 30] {
            let (code, step) = authenticator_code(secret, now + time::Duration::seconds(ahead)).map_err(|e| e.to_string())?;
            if step > last {
                phones().lock().map_err(|e| e.to_string())?.insert(username.to_string(), (secret.to_string(), step));
                return Ok(code);
            }
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

/// Signs in as `username` with the demo password, passing the second step where there is one.
pub(crate) async fn sign_in(app: &App, username: &str) -> Result<(Actor, NewSession), String> {
    let fail = |e: thidua_app::AppError| format!("{username}: cannot sign in: {e}");
    for _ in 0..2 {
        match app.login(username, crate::demo::DEMO_PASSWORD, ORIGIN.address).await.map_err(fail)? {
            SignIn::Done(actor, session) => return Ok((*actor, session)),
            SignIn::Waiting(waiting, SessionStage::Enrol) => {
                let enrolment = app.new_enrolment(username).map_err(fail)?;
                let code = next_code(app, username, &enrolment.secret).await?;
                let (session, _codes) = app.enrol_waiting(&waiting.token, &enrolment.secret, &code, ORIGIN).await.map_err(fail)?;
                let (actor, _) = app.session_actor(&session.token).await.map_err(fail)?;
                return Ok((actor, session));
            }
            SignIn::Waiting(waiting, _) => {
                let known = phones().lock().map_err(|e| e.to_string())?.get(username).map(|(s, _)| s.clone());
                if let Some(secret) = known {
                    let code = next_code(app, username, &secret).await?;
                    match app.second_step(&waiting.token, &code, ORIGIN).await {
                        Ok(signed_in) => return Ok(signed_in),
                        // The phone was set up against another database of this process.
                        Err(thidua_app::AppError::Invalid(_)) => {
                            phones().lock().map_err(|e| e.to_string())?.remove(username);
                        }
                        Err(e) => return Err(fail(e)),
                    }
                }
                eprintln!("{username}: đăng nhập hai bước đã thiết lập ở lần chạy trước; đặt lại để thiết lập mới (ghi nhật ký)");
                let id = app.user_id(username).await.map_err(fail)?.ok_or_else(|| format!("{username}: no such user"))?;
                app.reset_second_factor(None, id).await.map_err(fail)?;
            }
        }
    }
    Err(format!("{username}: cannot sign in in two steps"))
}
