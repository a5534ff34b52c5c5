//! The audit log's hash chain. Each entry's hash covers its content and the previous entry's
//! hash, so that editing or deleting any entry breaks every hash after it.

use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The content of one audit entry, as hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContent<'a> {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: &'a str,
    pub on_behalf_of: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
}

/// An audit action (`household.create`) as an officer reads it in a history table («Thêm hộ
/// gia đình»); an action without a label is shown as recorded (the audit page keeps the codes).
pub fn action_label(action: &str) -> String {
    let (entity, verb) = action.split_once('.').unwrap_or((action, ""));
    let what = match entity {
        "household" => "hộ gia đình",
        "person" => "công dân",
        "clan" => "dòng họ",
        "unit" => "đơn vị",
        "user" => "tài khoản",
        "grant" => "quyền",
        "assessment" => "phiếu đánh giá",
        "decision" => "quyết định công nhận",
        "batch" => "hồ sơ khen thưởng",
        "nominee" => "người, tập thể được đề nghị",
        "document" => "tài liệu hồ sơ",
        "campaign" => "đợt khen thưởng",
        "report" => "báo cáo năm",
        "article" => "bài viết",
        "resource" => "học liệu",
        "criteria" => "bộ tiêu chí",
        "calendar" => "lịch ngày làm việc",
        "import" => "dữ liệu từ tệp",
        _ => return action.to_string(),
    };
    let done = match verb {
        "create" | "add" => "Thêm",
        "update" | "save" => "Sửa",
        "deactivate" => "Ngừng theo dõi",
        "reactivate" => "Theo dõi lại",
        "remove" => "Gỡ",
        "upload" => "Tải lên",
        "issue" => "Ban hành",
        "submit" => "Gửi",
        "withdraw" => "Rút",
        "forward" => "Chuyển",
        _ if entity == "import" => "Nhập",
        _ => return action.to_string(),
    };
    format!("{done} {what}")
}

/// The hash of an entry chained to `prev`. Fields are length-prefixed so that no two different
/// entries can produce the same byte stream.
pub fn entry_hash(prev: &str, c: &AuditContent<'_>) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(prev);
    field(&c.seq.to_string());
    field(&c.at_ms.to_string());
    field(c.actor);
    field(c.on_behalf_of.unwrap_or("\u{0}"));
    field(c.action);
    field(c.entity);
    field(c.entity_id);
    field(c.old.unwrap_or("\u{0}"));
    field(c.new.unwrap_or("\u{0}"));
    hex::encode(h.finalize())
}

/// Where a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("mục nhật ký số {seq}: mã băm không khớp (nội dung đã bị sửa)")]
    HashMismatch { seq: i64 },
    #[error("mục nhật ký số {seq}: không nối với mục trước (mục bị xóa hoặc chèn)")]
    BrokenLink { seq: i64 },
    #[error("mục nhật ký số {seq}: số thứ tự không liên tục (mục bị xóa)")]
    Gap { seq: i64 },
    #[error("nhật ký dừng ở mục số {last} nhưng đầu chuỗi ghi {head} mục: các mục mới nhất đã bị xóa")]
    Truncated { last: i64, head: i64 },
    #[error("mục nhật ký số {seq}: mã băm khác mã băm ghi ở đầu chuỗi (mục cuối bị sửa hoặc thay)")]
    HeadMismatch { seq: i64 },
}

/// Checks the end of a verified chain, (`last` sequence number, its hash), against the head
/// row every write moves: an entry deleted from the end leaves the chain intact but shorter
/// than the head says, and a replaced last entry leaves a different hash.
pub fn check_head(last: (i64, &str), head: (i64, &str)) -> Result<(), ChainError> {
    if last.0 < head.0 {
        return Err(ChainError::Truncated { last: last.0, head: head.0 });
    }
    if last.0 > head.0 {
        return Err(ChainError::Gap { seq: head.0 + 1 });
    }
    if last.1 != head.1 {
        return Err(ChainError::HeadMismatch { seq: last.0 });
    }
    Ok(())
}

/// Verifies entries given in sequence order as (content, prev_hash, hash). `start_prev` and
/// `start_seq` let verification resume from a checkpoint.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = (AuditContent<'a>, &'a str, &'a str)>,
    start_prev: &str,
    start_seq: i64,
) -> Result<(i64, String), ChainError> {
    let mut prev = start_prev.to_string();
    let mut expected_seq = start_seq;
    for (content, prev_hash, hash) in entries {
        if content.seq != expected_seq {
            return Err(ChainError::Gap { seq: content.seq });
        }
        if prev_hash != prev {
            return Err(ChainError::BrokenLink { seq: content.seq });
        }
        if entry_hash(prev_hash, &content) != hash {
            return Err(ChainError::HashMismatch { seq: content.seq });
        }
        prev = hash.to_string();
        expected_seq += 1;
    }
    Ok((expected_seq - 1, prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_reads_as_what_was_done_and_an_unknown_one_as_recorded() {
        assert_eq!(action_label("household.create"), "Thêm hộ gia đình");
        assert_eq!(action_label("person.deactivate"), "Ngừng theo dõi công dân");
        assert_eq!(action_label("auth.login"), "auth.login");
    }

    fn content(seq: i64, new: &str) -> AuditContent<'_> {
        AuditContent {
            seq,
            at_ms: 1_700_000_000_000 + seq,
            actor: "canbo.phuongbadinh",
            on_behalf_of: None,
            action: "household.create",
            entity: "household",
            entity_id: "HGD-1",
            old: None,
            new: Some(new),
        }
    }

    fn chain(values: &[&'static str]) -> Vec<(AuditContent<'static>, String, String)> {
        let mut prev = GENESIS.to_string();
        let mut out = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let c = content(i as i64 + 1, v);
            let h = entry_hash(&prev, &c);
            out.push((c, prev.clone(), h.clone()));
            prev = h;
        }
        out
    }

    #[test]
    fn a_chain_shorter_than_its_head_is_truncated() {
        let c = chain(&["a", "b", "c"]);
        let (last, hash) = verify_chain(c.iter().take(2).map(|(c, p, h)| (c.clone(), p.as_str(), h.as_str())), GENESIS, 1).expect("intact");
        assert_eq!(check_head((last, &hash), (3, &c[2].2)), Err(ChainError::Truncated { last: 2, head: 3 }));
        assert_eq!(check_head((3, &c[2].2), (3, &c[2].2)), Ok(()));
        assert_eq!(check_head((3, &c[1].2), (3, &c[2].2)), Err(ChainError::HeadMismatch { seq: 3 }));
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let c = chain(&["a", "b", "c"]);
        let r = verify_chain(c.iter().map(|(c, p, h)| (c.clone(), p.as_str(), h.as_str())), GENESIS, 1);
        assert_eq!(r.map(|(seq, _)| seq), Ok(3));
    }

    #[test]
    fn an_edited_entry_is_detected() {
        let mut c = chain(&["a", "b", "c"]);
        c[1].0.new = Some("B");
        let r = verify_chain(c.iter().map(|(c, p, h)| (c.clone(), p.as_str(), h.as_str())), GENESIS, 1);
        assert_eq!(r, Err(ChainError::HashMismatch { seq: 2 }));
    }

    #[test]
    fn a_deleted_entry_is_detected() {
        let mut c = chain(&["a", "b", "c"]);
        c.remove(1);
        let r = verify_chain(c.iter().map(|(c, p, h)| (c.clone(), p.as_str(), h.as_str())), GENESIS, 1);
        assert_eq!(r, Err(ChainError::Gap { seq: 3 }));
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let mut a = content(1, "x");
        a.actor = "ab";
        a.action = "c";
        let mut b = content(1, "x");
        b.actor = "a";
        b.action = "bc";
        assert_ne!(entry_hash(GENESIS, &a), entry_hash(GENESIS, &b));
    }
}
