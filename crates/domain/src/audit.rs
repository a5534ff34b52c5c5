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
        "divide" => return "Chia thôn, tổ dân phố của đơn vị đã chia cho đơn vị kế thừa".into(),
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

/// How an entry's payload (`old`, `new`) enters its hash. Entries written before migration 0028
/// hash the payload's text itself (`Inline`): it can never be erased without breaking the chain.
/// Later entries hash the payload's digest (`Digest`), kept beside it, so that personal data in
/// a payload can be erased on a data subject's request (Law 91/2025, issue 18 §2) while the chain
/// — and the digest, which the verifier checks against every payload still present — stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
    Inline = 1,
    Digest = 2,
}

impl Sealing {
    pub fn from_code(code: i64) -> Option<Sealing> {
        match code {
            1 => Some(Sealing::Inline),
            2 => Some(Sealing::Digest),
            _ => None,
        }
    }
}

/// The digest of a payload's text as a `Digest`-sealed entry hashes it.
pub fn payload_digest(text: &str) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(text.as_bytes())))
}

/// The action of the entry that erases personal data from earlier entries; its `new` payload
/// names them (`{"erased": [seq, …], "request": id}`), so that an erased payload nobody ordered
/// is found.
pub const ERASE_ACTION: &str = "privacy.erase";

/// The keys of a payload whose values are personal data of the person or household it is about:
/// what an erasure blanks. Ids, units, states and counts stay, so that the entry still says what
/// was done.
pub const PERSONAL_KEYS: &[&str] =
    &["code", "full_name", "birth_year", "gender", "position", "note", "head_name", "head_birth_year", "head_gender", "address", "name"];

/// A payload with its personal values blanked and the request that erased them named. A payload
/// that is not a JSON object is replaced whole.
pub fn redact(payload: &str, request: i64) -> String {
    let mut value = match serde_json::from_str::<serde_json::Value>(payload) {
        Ok(serde_json::Value::Object(map)) => serde_json::Value::Object(map),
        _ => serde_json::json!({}),
    };
    if let Some(map) = value.as_object_mut() {
        for key in PERSONAL_KEYS {
            if let Some(v) = map.get_mut(*key) {
                *v = serde_json::Value::Null;
            }
        }
        map.insert("erased_by_request".into(), serde_json::json!(request));
    }
    value.to_string()
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
    #[error("mục nhật ký số {seq}: nội dung không khớp mã băm đã niêm phong (nội dung đã bị sửa)")]
    PayloadMismatch { seq: i64 },
    #[error("mục nhật ký số {seq}: nội dung đã bị xóa mà không có lệnh xóa nào trong nhật ký")]
    UnorderedErasure { seq: i64 },
}

/// One payload of an entry as stored: its text (unless erased), and for a `Digest`-sealed
/// entry the digest the chain hashed.
#[derive(Debug, Clone, Copy)]
pub struct StoredPayload<'a> {
    pub text: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl<'a> StoredPayload<'a> {
    /// What the entry's hash covers for this payload.
    pub fn sealed(&self, sealing: Sealing) -> Option<&'a str> {
        match sealing {
            Sealing::Inline => self.text,
            Sealing::Digest => self.digest,
        }
    }

    /// A payload still present must match the digest it was sealed with.
    fn check(&self, seq: i64) -> Result<(), ChainError> {
        match (self.text, self.digest) {
            (None, None) => Ok(()),
            (Some(text), Some(digest)) if payload_digest(text) == digest => Ok(()),
            _ => Err(ChainError::PayloadMismatch { seq }),
        }
    }
}

/// The erasures met while verifying: each erased entry must be named by a later erase entry.
#[derive(Debug, Default)]
pub struct Erasures {
    pending: std::collections::BTreeSet<i64>,
}

impl Erasures {
    /// Checks the payloads of entry `seq`: those of an `Inline` entry are in its hash already; an
    /// erased `Digest` entry waits for its order; the others must match their digests. An erase
    /// entry's list settles the erasures it names.
    pub fn see(
        &mut self,
        seq: i64,
        sealing: Sealing,
        erased: bool,
        action: &str,
        payloads: [StoredPayload<'_>; 2],
    ) -> Result<(), ChainError> {
        if sealing == Sealing::Digest {
            if erased {
                self.pending.insert(seq);
            } else {
                payloads[0].check(seq)?;
                payloads[1].check(seq)?;
            }
        } else if erased {
            return Err(ChainError::UnorderedErasure { seq });
        }
        if action == ERASE_ACTION && !erased {
            let named = payloads[1].text.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
            for s in named.as_ref().and_then(|v| v["erased"].as_array()).into_iter().flatten() {
                if let Some(s) = s.as_i64() {
                    self.pending.remove(&s);
                }
            }
        }
        Ok(())
    }

    /// At the end of the chain: an erasure that no erase entry ordered.
    pub fn finish(&self) -> Result<(), ChainError> {
        match self.pending.first() {
            Some(seq) => Err(ChainError::UnorderedErasure { seq: *seq }),
            None => Ok(()),
        }
    }
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
    fn an_erasure_named_by_a_later_erase_entry_is_in_order() {
        let digest = payload_digest("{}");
        let present = StoredPayload { text: Some("{}"), digest: Some(&digest) };
        let gone = StoredPayload { text: Some(r#"{"erased_by_request":1}"#), digest: Some(&digest) };
        let order = r#"{"erased":[4],"request":1}"#;
        let order_digest = payload_digest(order);
        let none = StoredPayload { text: None, digest: None };
        let mut e = Erasures::default();
        e.see(4, Sealing::Digest, true, "person.update", [gone, gone]).expect("waits");
        assert_eq!(e.finish(), Err(ChainError::UnorderedErasure { seq: 4 }));
        e.see(5, Sealing::Digest, false, "person.create", [none, present]).expect("present");
        e.see(6, Sealing::Digest, false, ERASE_ACTION, [none, StoredPayload { text: Some(order), digest: Some(&order_digest) }])
            .expect("order");
        assert_eq!(e.finish(), Ok(()));
    }

    #[test]
    fn a_payload_edited_behind_its_digest_is_found() {
        let digest = payload_digest(r#"{"full_name":"Lê Văn Tám"}"#);
        let edited = StoredPayload { text: Some(r#"{"full_name":"Lê Văn Bảy"}"#), digest: Some(&digest) };
        let none = StoredPayload { text: None, digest: None };
        let mut e = Erasures::default();
        assert_eq!(e.see(9, Sealing::Digest, false, "person.update", [none, edited]), Err(ChainError::PayloadMismatch { seq: 9 }));
    }

    #[test]
    fn an_inline_sealed_entry_cannot_be_erased() {
        let none = StoredPayload { text: None, digest: None };
        assert_eq!(
            Erasures::default().see(2, Sealing::Inline, true, "person.update", [none, none]),
            Err(ChainError::UnorderedErasure { seq: 2 })
        );
    }

    #[test]
    fn redaction_blanks_the_personal_values_and_keeps_the_rest() {
        let r = redact(r#"{"full_name":"Lê Văn Tám","birth_year":1990,"unit_id":7,"active":true}"#, 3);
        let v: serde_json::Value = serde_json::from_str(&r).expect("json");
        assert_eq!(v["full_name"], serde_json::Value::Null);
        assert_eq!(v["birth_year"], serde_json::Value::Null);
        assert_eq!(v["unit_id"], 7);
        assert_eq!(v["erased_by_request"], 3);
        assert!(!r.contains("Tám"));
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
