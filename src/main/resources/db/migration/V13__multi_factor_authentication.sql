-- Multi-factor authentication: a TOTP secret per account (encrypted; active once confirmed), its recovery
-- codes (hashes), the short-lived tickets between the password step and the second factor, a tenant's policy,
-- and the authentication methods of each session (the access token's amr, kept across rotations).
CREATE TABLE mfa_totp (
    user_id            uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_ciphertext  bytea NOT NULL,            -- AES-256-GCM, nonce first
    confirmed_at       timestamptz,               -- null: enrolment started, not active
    last_used_step     bigint NOT NULL DEFAULT 0, -- a code is accepted once: only later time steps pass
    created_at         timestamptz NOT NULL
);

CREATE TABLE mfa_recovery_codes (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  bytea NOT NULL,                    -- SHA-256 of the code (80 random bits)
    used_at    timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE mfa_tickets (
    token_hash       bytea PRIMARY KEY,           -- SHA-256 of 256 random bits
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    purpose          varchar(16) NOT NULL CHECK (purpose IN ('verify', 'enrol')),
    amr              varchar(64) NOT NULL,        -- the methods of the first step: pwd, or empty for OAuth
    failed_attempts  integer NOT NULL DEFAULT 0,
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz
);
CREATE INDEX mfa_tickets_expires_at ON mfa_tickets (expires_at);

CREATE TABLE tenant_mfa_policies (
    tenant_id             uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    require_all           boolean NOT NULL,
    required_permissions  varchar(2000) NOT NULL DEFAULT '',  -- comma separated
    updated_at            timestamptz NOT NULL
);

-- RFC 8176 methods, space separated; sessions from before this migration are not known to have used MFA.
ALTER TABLE refresh_tokens ADD COLUMN amr varchar(64) NOT NULL DEFAULT '';
