-- The security event log: one row per security-relevant event, written in the transaction of the change it
-- records (a rolled-back change leaves no event). No foreign keys: an event outlives the user or role it
-- names, and the insert stays one index-only write on the hot paths (login).
CREATE TABLE security_events (
    id               uuid PRIMARY KEY,          -- version 7: ordered by time
    tenant_id        uuid,                      -- null when no tenant is known (a login naming an unknown one)
    occurred_at      timestamptz NOT NULL,
    type             varchar(64) NOT NULL,
    outcome          varchar(16) NOT NULL CHECK (outcome IN ('success', 'failure')),
    actor_user_id    uuid,                      -- null: anonymous
    actor_address    varchar(64),
    subject_user_id  uuid,
    subject_role_id  uuid,
    request_id       varchar(64),
    user_agent       varchar(512),
    details          jsonb NOT NULL DEFAULT '{}'
);

-- GET /audit-events: a tenant's events newest first, optionally of one user (as actor or subject).
CREATE INDEX security_events_tenant_newest ON security_events (tenant_id, id DESC);
CREATE INDEX security_events_tenant_subject ON security_events (tenant_id, subject_user_id, id DESC)
    WHERE subject_user_id IS NOT NULL;
CREATE INDEX security_events_tenant_actor ON security_events (tenant_id, actor_user_id, id DESC)
    WHERE actor_user_id IS NOT NULL;
-- the retention job
CREATE INDEX security_events_occurred_at ON security_events (occurred_at);

-- the retention job of refresh tokens: those past their expiry
CREATE INDEX refresh_tokens_expires_at ON refresh_tokens (expires_at);

INSERT INTO permissions (name, resource, action, description) VALUES
    ('audit:read', 'audit', 'read', 'Read the security event log of the tenant'),
    ('audit:*',    'audit', '*',    'Every action on the security event log');

-- Every tenant's admin role holds the whole catalogue, as registration gives it to new tenants.
INSERT INTO role_permissions (role_id, permission_name)
SELECT r.id, p.name FROM roles r JOIN permissions p ON p.resource = 'audit'
WHERE r.is_system AND r.name = 'admin';
