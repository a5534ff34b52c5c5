//! Errors of the use cases. The web layer maps them to status codes; users never see the
//! text of a storage error.

use thidua_domain::import::RowError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("không tìm thấy")]
    NotFound,
    #[error("không có quyền thực hiện thao tác này")]
    Forbidden,
    #[error("chưa đăng nhập")]
    Unauthenticated,
    #[error("{0}")]
    Invalid(String),
    #[error("dữ liệu nhập có {} lỗi", .0.len())]
    Rows(Vec<RowError>),
    #[error("{0}")]
    Conflict(String),
    #[error("đăng nhập sai nhiều lần liên tiếp: vui lòng chờ {0} giây rồi thử lại")]
    Throttled(i64),
    /// The database's one writer is busy longer than a write waits (SQLite, during a large
    /// import): nothing was written, and the same request can be sent again.
    #[error("cơ sở dữ liệu đang bận ghi một lần nhập dữ liệu lớn; chưa lưu gì — vui lòng thử lại sau ít phút")]
    Busy,
    /// A read of personal data could not be logged (issue 18 §4: the log's writer is far behind
    /// or cannot write), so it was not shown.
    #[error("máy chủ đang bận ghi nhật ký truy cập dữ liệu cá nhân nên chưa hiển thị được — vui lòng thử lại sau ít giây")]
    Overloaded,
    #[error("lỗi lưu trữ")]
    Storage(#[source] StorageError),
}

/// A failure of the storage adapter, with its cause for the log.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database: {0}")]
    Database(String),
    #[error("unique constraint {0}")]
    Unique(String),
    #[error("stale version")]
    Stale,
    #[error("corrupt data: {0}")]
    Corrupt(String),
    /// A guard inside the transaction refused the write (a quota, a claim).
    #[error("refused: {0}")]
    Refused(String),
    /// The request cannot be answered as asked (a list's position it did not write, a page
    /// too deep to reach by number).
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The write lock was held by another writer longer than the busy timeout (SQLite).
    #[error("database busy: {0}")]
    Busy(String),
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unique(what) => AppError::Conflict(format!("trùng dữ liệu đã có ({what})")),
            StorageError::Stale => AppError::Conflict("bản ghi vừa được người khác sửa, vui lòng tải lại".into()),
            StorageError::Refused(what) => AppError::Conflict(format!("không thực hiện được ({what})")),
            StorageError::Invalid(what) => AppError::Invalid(what),
            StorageError::Busy(_) => AppError::Busy,
            other => AppError::Storage(other),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// A value as an audit payload. A payload that cannot be serialised fails the write: an audit
/// entry never loses what changed.
pub fn payload<T: serde::Serialize + ?Sized>(value: &T) -> AppResult<Option<serde_json::Value>> {
    serde_json::to_value(value).map(Some).map_err(|e| AppError::Storage(StorageError::Corrupt(format!("audit payload: {e}"))))
}

/// A typed text as it is stored (`domain::limits::checked`), or the refusal naming the field.
pub fn field(kind: thidua_domain::limits::Field, label: &str, input: &str) -> AppResult<String> {
    thidua_domain::limits::checked(kind, label, input).map_err(|e| AppError::Invalid(e.to_string()))
}

/// [`field`] for an optional text: empty is none.
pub fn opt_field(kind: thidua_domain::limits::Field, label: &str, input: Option<String>) -> AppResult<Option<String>> {
    Ok(match input {
        Some(v) => Some(field(kind, label, &v)?).filter(|v| !v.is_empty()),
        None => None,
    })
}
