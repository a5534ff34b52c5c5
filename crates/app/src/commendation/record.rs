//! What was decided: decisions, award history, certificates and their public check.

use super::*;

impl App {
    /// What the registry knows of a nominee for its achievement report: the learning titles
    /// recognised («Gia đình học tập năm 2026, Quyết định số …») and the awards received.
    pub async fn nominee_record(&self, actor: &Actor, n: &NomineeRow) -> AppResult<(Vec<String>, Vec<String>)> {
        self.readable_batch(actor, n.batch_id).await?;
        let mut titles = Vec::new();
        for t in thidua_domain::titles::TITLES.iter().filter(|t| Some(t.subject) == nominee_subject(n)) {
            for a in self.store.subject_assessments(t.code, n.subject_id).await? {
                if let (Some(d), true) = (a.decision_id, a.input.passed) {
                    let number = self.store.decision(d).await?.map(|x| x.number).unwrap_or_default();
                    titles.push(format!("{} năm {} (Quyết định số {number})", t.label_vi, a.input.year));
                }
            }
        }
        let level = |code: &str| awards().ok().and_then(|a| a.get(code)).map(|a| a.name.clone()).unwrap_or_else(|| code.to_string());
        let awards = self
            .store
            .award_history(&n.subject_type, n.subject_id)
            .await?
            .into_iter()
            .map(|h| {
                format!(
                    "{} (Quyết định số {} ngày {})",
                    level(&h.decision.level),
                    h.decision.number,
                    dates::format_dmy(h.decision.signed_on)
                )
            })
            .collect();
        Ok((titles, awards))
    }

    /// A subject's awards (unit, household, person or clan), for its page: authorised on the
    /// subject's own stored unit, never on one the caller names.
    pub async fn award_history(&self, actor: &Actor, subject_type: &str, subject_id: i64) -> AppResult<Vec<AwardHistoryRow>> {
        let unit = self.subject_unit(subject_type, subject_id).await?;
        self.authorize(actor, Action::ReadRegistry, unit).await?;
        Ok(self.store.award_history(subject_type, subject_id).await?)
    }

    /// The unit a subject of the registry belongs to, as stored.
    pub(crate) async fn subject_unit(&self, subject_type: &str, id: i64) -> AppResult<i64> {
        Ok(match subject_type {
            "unit" => self.snapshot().await?.units.get(&id).ok_or(AppError::NotFound)?.id,
            "household" => self.store.household(id).await?.ok_or(AppError::NotFound)?.unit_id,
            "person" => self.store.person(id).await?.ok_or(AppError::NotFound)?.unit_id,
            "clan" => self.store.clan(id).await?.ok_or(AppError::NotFound)?.unit_id,
            _ => return Err(AppError::NotFound),
        })
    }

    /// The proposing unit of each dossier a decision settled (by dossier), for its list: part
    /// of the public act, read like the decision itself.
    pub async fn decision_proposers(&self, actor: &Actor, id: i64) -> AppResult<std::collections::BTreeMap<i64, i64>> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        let mut out = std::collections::BTreeMap::new();
        for n in self.store.decision_nominees(id).await? {
            if let std::collections::btree_map::Entry::Vacant(e) = out.entry(n.batch_id)
                && let Some(b) = self.store.batch(n.batch_id).await?
            {
                e.insert(b.proposer_unit_id);
            }
        }
        Ok(out)
    }

    /// The list a decision settled, in the order of the dossiers.
    pub async fn decision_nominees(&self, actor: &Actor, id: i64) -> AppResult<Vec<NomineeRow>> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        Ok(self.store.decision_nominees(id).await?)
    }

    /// The certificate of an awarded nominee, for whoever may read its dossier.
    pub async fn award_certificate(&self, actor: &Actor, nominee_id: i64) -> AppResult<AwardCertificate> {
        let n = self.store.nominee(nominee_id).await?.ok_or(AppError::NotFound)?;
        self.readable_batch(actor, n.batch_id).await?;
        self.certificate_of(n).await
    }

    pub(super) async fn certificate_of(&self, n: NomineeRow) -> AppResult<AwardCertificate> {
        let (Some(code), Some(decision_id)) = (n.certificate.clone(), n.decision_id) else { return Err(AppError::NotFound) };
        let decision = self.store.award_decision(decision_id).await?.ok_or(AppError::NotFound)?;
        let award = awards()?.get(&decision.level).cloned().ok_or(AppError::NotFound)?;
        let campaign = self.store.campaign_rows().await?.into_iter().find(|c| c.id == n.campaign_id).map(App::campaign_view).transpose()?;
        let issuer = match award.issuer {
            thidua_domain::commendation::awards::Issuer::CityChairman => "Chủ tịch Ủy ban nhân dân Thành phố Hà Nội".to_string(),
            thidua_domain::commendation::awards::Issuer::PrimeMinister => "Thủ tướng Chính phủ".to_string(),
            thidua_domain::commendation::awards::Issuer::President => "Chủ tịch nước".to_string(),
            thidua_domain::commendation::awards::Issuer::ProposerHead => match self.own_issuer(&decision).await? {
                Some(u) => super::documents::head_of(&u),
                None => award.issuer_label.clone(),
            },
        };
        Ok(AwardCertificate {
            code,
            nominee: n,
            decision,
            level_name: award.name,
            issuer,
            campaign: campaign.map(|c| c.campaign.name).unwrap_or_default(),
        })
    }

    /// The public check of a certificate code (no login): valid or not, and what it is.
    pub async fn verify_award(&self, code: &str) -> AppResult<PublicAward> {
        let code = code.trim().to_ascii_lowercase();
        if code.len() != 16 || !code.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let n = self.store.nominee_by_certificate(&code).await?.ok_or(AppError::NotFound)?;
        if n.outcome != Outcome::Awarded {
            return Err(AppError::NotFound);
        }
        let c = self.certificate_of(n).await?;
        let class = class_of(&c.nominee);
        Ok(PublicAward {
            code,
            level_name: c.level_name,
            issuer: c.issuer,
            decision_number: c.decision.number,
            signed_on: dates::format_dmy(c.decision.signed_on),
            class: class.label_vi().into(),
            collective_name: (class == Class::Collective).then_some(c.nominee.name),
        })
    }

    /// Every commendation decision, newest first (decisions are public acts).
    pub async fn award_decisions(&self, actor: &Actor) -> AppResult<Vec<AwardDecisionRow>> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        Ok(self.store.award_decisions().await?)
    }

    pub async fn award_decision(&self, actor: &Actor, id: i64) -> AppResult<AwardDecisionRow> {
        self.require_somewhere(actor, Action::ReadRegistry).await?;
        self.store.award_decision(id).await?.ok_or(AppError::NotFound)
    }

    /// Attaches the signed decision as scanned (PDF, JPEG or PNG, judged by content), for the
    /// Chairman's office; a new scan replaces the shown one, the earlier stays in the file store
    /// and in the audit entry.
    /// Whether the actor may keep the signed copy of decision `id`: its issuer does — the
    /// Chairman's office for the City's decisions, the body itself for its head's own (a ward's
    /// Giấy khen, issue 13 §1). Asked before a byte of the scan is read.
    pub async fn authorize_decision_scan(&self, actor: &Actor, id: i64) -> AppResult<(crate::Authorized, i64)> {
        let root = self.snapshot().await?.roots().first().copied().ok_or(AppError::NotFound)?;
        let decision = self.store.award_decision(id).await?.ok_or(AppError::NotFound)?;
        let (action, on) =
            if decision.issuer_unit_id == root { (Action::Decide, root) } else { (Action::AwardOwn, decision.issuer_unit_id) };
        Ok((self.authorize(actor, action, on).await?, on))
    }

    pub async fn upload_decision_scan(&self, actor: &Actor, id: i64, bytes: &[u8]) -> AppResult<()> {
        let (proof, on) = self.authorize_decision_scan(actor, id).await?;
        let decision = self.store.award_decision(id).await?.ok_or(AppError::NotFound)?;
        if bytes.is_empty() {
            return Err(AppError::Invalid("Tệp rỗng.".into()));
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(AppError::Invalid(format!("Tệp lớn hơn {} MB.", MAX_DOCUMENT_BYTES / (1024 * 1024))));
        }
        use thidua_domain::files::FileType;
        if !matches!(thidua_domain::files::sniff(bytes), Some(FileType::Pdf | FileType::Jpeg | FileType::Png)) {
            return Err(AppError::Invalid("Bản quét quyết định phải là tệp PDF, ảnh JPEG hoặc PNG (kiểm tra theo nội dung tệp).".into()));
        }
        let blobs = self.blobs.as_ref().ok_or_else(|| AppError::Invalid("Chưa cấu hình nơi lưu tệp hồ sơ.".into()))?;
        let sha = blobs.put(bytes).await?;
        let audit = AuditDraft {
            unit_id: Some(on),
            old: Some(json!({"scan_sha256": decision.scan_sha256})),
            ..self.audit_as(
                &actor.username,
                &proof,
                "award_decision.scan",
                "award_decision",
                id,
                Some(json!({"scan_sha256": sha, "size": bytes.len()})),
            )
        };
        Ok(self.store.set_decision_scan(id, &sha, audit).await?)
    }

    /// The signed scan of a decision and its content type, for whoever reads the registry.
    pub async fn decision_scan(&self, actor: &Actor, id: i64) -> AppResult<(Vec<u8>, &'static str)> {
        let decision = self.award_decision(actor, id).await?;
        let sha = decision.scan_sha256.ok_or(AppError::NotFound)?;
        let blobs = self.blobs.as_ref().ok_or(AppError::NotFound)?;
        let bytes = blobs.get(&sha).await?.ok_or(AppError::NotFound)?;
        let mime = thidua_domain::files::sniff(&bytes).map_or("application/octet-stream", |t| t.mime());
        Ok((bytes, mime))
    }
}
