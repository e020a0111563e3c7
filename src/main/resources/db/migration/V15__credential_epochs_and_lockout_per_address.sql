-- Credential epochs (docs/security.md, "Credential epochs"): a password change or reset, an email change and
-- an MFA reset or disable raise the account's credential version. The one-time artefacts made for the
-- account carry the version they were made under and are honoured only while it is still the account's:
-- reset and verification links, pending email changes, MFA sign-in tickets.
ALTER TABLE users ADD COLUMN credential_version integer NOT NULL DEFAULT 0;
ALTER TABLE account_tokens ADD COLUMN credential_version integer NOT NULL DEFAULT 0;
ALTER TABLE mfa_tickets ADD COLUMN credential_version integer NOT NULL DEFAULT 0;

-- The lockout counts per email and client address: a stranger's failures make only the stranger wait, never
-- the owner at another address. Rows from before count as one unknown address.
ALTER TABLE login_failures ADD COLUMN client_address varchar(64) NOT NULL DEFAULT '';
ALTER TABLE login_failures DROP CONSTRAINT login_failures_pkey;
ALTER TABLE login_failures ADD PRIMARY KEY (email, client_address);
