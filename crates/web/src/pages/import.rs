//! Bulk import through the browser: templates to download, upload of .xlsx/.csv, every row
//! error at once, all or nothing.

use super::xlsx_response;
use crate::AppState;
use crate::error::WebError;
use crate::extract::Path;
use crate::session::Auth;
use crate::view::{self, Layout};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use sha2::{Digest, Sha256};
use thidua_app::AppError;
use thidua_app::import::{FileInfo, ImportReport};
use thidua_domain::import::{ImportKind, RowError};

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    l: Layout,
    kinds: Vec<(&'static str, &'static str)>,
    kind: String,
    /// «Chỉ kiểm tra» as the user left it: a failed check must not turn the next upload into a
    /// real import.
    dry_run: bool,
    report: Option<ReportVm>,
    errors: Vec<RowError>,
}

struct ReportVm {
    rows: usize,
    created: usize,
    dry_run: bool,
    encoding: &'static str,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    ImportKind::ALL.into_iter().map(|k| (k.code(), k.label_vi())).collect()
}

async fn page(state: &AppState, auth: &Auth, kind: String, dry_run: bool, report: Option<ImportReport>, errors: Vec<RowError>) -> Response {
    let l = Layout::new(state, auth, crate::i18n::t(auth.lang, "import.title"), "import").await;
    let failed = !errors.is_empty();
    let report = report.map(|r| ReportVm { rows: r.rows, created: r.created, dry_run: r.dry_run, encoding: r.encoding.label() });
    view::render_form(&ImportPage { l, kinds: kinds(), kind, dry_run, report, errors }, failed)
}

/// Refuses users who may import nowhere.
async fn may_import(state: &AppState, auth: &Auth) -> Result<(), WebError> {
    state
        .app
        .require_somewhere(&auth.actor, thidua_domain::access::Action::ImportRegistry)
        .await
        .map_err(|e| WebError::from(e).lang(auth.lang))
}

pub async fn import_get(State(state): State<AppState>, auth: Auth) -> Result<Response, WebError> {
    may_import(&state, &auth).await?;
    Ok(page(&state, &auth, "households".into(), false, None, vec![]).await)
}

pub async fn import_template_get(Path(kind): Path<String>, _auth: Auth) -> Result<Response, WebError> {
    let kind = ImportKind::parse(&kind).ok_or_else(|| WebError::new(StatusCode::NOT_FOUND, "Không có mẫu nhập này."))?;
    let bytes = thidua_documents::template(kind, &[]).map_err(|e| WebError::from(AppError::Invalid(e.to_string())))?;
    Ok(xlsx_response(&format!("mau-nhap-{}.xlsx", kind.code()), bytes))
}

/// The parts of the upload form.
#[derive(Default)]
struct Upload {
    csrf: String,
    kind: String,
    dry_run: bool,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut mp: Multipart) -> Result<Upload, WebError> {
    let mut u = Upload::default();
    let too_big = |e| super::upload_error(e, "Tệp tải lên không đọc được hoặc vượt giới hạn dung lượng");
    while let Some(field) = mp.next_field().await.map_err(too_big)? {
        match field.name().unwrap_or("") {
            "_csrf" => u.csrf = field.text().await.map_err(too_big)?,
            "kind" => u.kind = field.text().await.map_err(too_big)?,
            "dry_run" => u.dry_run = !field.text().await.map_err(too_big)?.is_empty(),
            "file" => {
                u.file_name = field.file_name().unwrap_or("tep").to_string();
                u.bytes = field.bytes().await.map_err(too_big)?.to_vec();
            }
            _ => {}
        }
    }
    Ok(u)
}

pub async fn import_post(State(state): State<AppState>, auth: Auth, mp: Multipart) -> Result<Response, WebError> {
    // Permission is decided from the session before a byte of the file is read.
    may_import(&state, &auth).await?;
    let u = read_upload(mp).await?;
    auth.verify_csrf(&u.csrf)?;
    let Some(kind) = ImportKind::parse(&u.kind) else {
        return Err(WebError::bad_request("Loại dữ liệu nhập không hợp lệ."));
    };
    let (app, actor, max_rows, dry_run) = (state.app.clone(), auth.actor.clone(), state.config.max_import_rows, u.dry_run);
    let (name, bytes) = (u.file_name, u.bytes);
    let outcome = crate::heavy::off_thread(async move {
        let file = FileInfo { name, sha256: hex::encode(Sha256::digest(&bytes)) };
        let upload = thidua_documents::Upload::open(bytes, max_rows).map_err(|e| AppError::Invalid(e.to_string()))?;
        app.import_source(&actor, kind, &upload, &file, dry_run, &|_| {}).await
    })
    .await?;
    match outcome {
        Ok(report) => Ok(page(&state, &auth, u.kind, dry_run, Some(report), vec![]).await),
        Err(AppError::Rows(errors)) => Ok(page(&state, &auth, u.kind, dry_run, None, errors).await),
        Err(AppError::Invalid(reason)) => {
            Ok(page(&state, &auth, u.kind, dry_run, None, vec![RowError { row: 0, column: String::new(), reason }]).await)
        }
        Err(e) => Err(e.into()),
    }
}
