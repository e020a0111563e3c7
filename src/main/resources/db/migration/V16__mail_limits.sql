-- Limits on mails that go to an address the requester does not own (docs/integrating.md, "Email and account flows").
--
-- Per recipient and kind of mail (the template's name): how many such mails the current window has seen. A
-- window starts with the first mail after the previous one ended, so at most the limit goes out per window.
-- The address is kept as its SHA-256 (of the lower-case address): the table needs to recognise a recipient,
-- not to know it.
CREATE TABLE mail_recipient_budgets (
    recipient_hash     bytea       NOT NULL,
    kind               varchar(32) NOT NULL,
    window_started_at  timestamptz NOT NULL,
    sent               integer     NOT NULL,
    PRIMARY KEY (recipient_hash, kind)
);
-- the retention job: windows that ended
CREATE INDEX mail_recipient_budgets_window ON mail_recipient_budgets (window_started_at);

-- Per tenant: the invitations of the last day, pending or not (the budget counts every one it mailed).
CREATE INDEX invitations_tenant_created ON invitations (tenant_id, created_at DESC);
