-- Mail and the account flows by email (verification, password reset, email change, invitations).

-- Whether the account has proven its email: a link from a mail to it was followed (or a provider vouched).
-- Existing accounts start unverified; nothing requires it unless gatehouse.login.require-verified-email is on.
ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;

-- The transactional outbox: a mail is a row written in the transaction of the change that causes it, sent
-- after commit by mail/MailSender on any instance (FOR UPDATE SKIP LOCKED), deleted once the SMTP server
-- took it. The bodies hold the mail's link (a token) until then: the table is as secret as the tokens.
CREATE TABLE mail_outbox (
    id               uuid PRIMARY KEY,
    recipient        varchar(320) NOT NULL,
    subject          varchar(500) NOT NULL,
    text_body        text NOT NULL,
    html_body        text NOT NULL,
    created_at       timestamptz NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,      -- also the lease of a claimed row: claiming moves it forward
    last_error       varchar(1000)
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at);

-- One-time tokens of an account's mails: only the SHA-256 of the token is kept. Consumed by one DELETE ...
-- RETURNING, so two concurrent uses give one success.
CREATE TABLE account_tokens (
    token_hash  bytea PRIMARY KEY,
    purpose     varchar(32) NOT NULL CHECK (purpose IN ('verify_email', 'change_email', 'reset_password')),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email       varchar(320) NOT NULL,          -- the address the mail went to: verified (or changed to) when used
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at);

-- Invitations into a tenant, with the roles the invitee gets on accepting.
CREATE TABLE invitations (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email        varchar(320) NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    invited_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    accepted_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_at   timestamptz
);
-- GET /invitations: a tenant's pending invitations, newest first
CREATE INDEX invitations_tenant ON invitations (tenant_id, created_at DESC) WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- A deleted role leaves the invitations that would have given it.
CREATE TABLE invitation_roles (
    invitation_id  uuid NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    role_id        uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (invitation_id, role_id)
);
CREATE INDEX invitation_roles_role ON invitation_roles (role_id);
