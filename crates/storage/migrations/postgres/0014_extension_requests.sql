-- A proposer's request that DOET extend its deadline for a campaign, made once the deadline has
-- passed. One open request per campaign and unit; DOET's answer (an extension granted, or the
-- request declined with a reason) removes it, and both are in the audit log.
CREATE TABLE extension_requests (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id),
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    reason       TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, unit_id)
);
