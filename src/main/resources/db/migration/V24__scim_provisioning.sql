-- SCIM 2.0 provisioning: a tenant's directory (Entra ID, Okta, ...) manages the tenant's memberships.

-- The bearer tokens directories authenticate with: only their SHA-256 is kept (each is 256 random bits, which
-- no guessing reaches, so a slow hash would buy nothing). A token names its tenant, and remembers who created
-- it and what they could do then: a directory never changes a member holding more than its creator held.
CREATE TABLE scim_tokens (
    id                   uuid PRIMARY KEY,
    tenant_id            uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                 varchar(100) NOT NULL,
    token_hash           bytea NOT NULL UNIQUE,
    created_by           uuid NOT NULL,
    creator_superuser    boolean NOT NULL,
    creator_permissions  text NOT NULL,          -- comma-separated, as held when the token was created
    created_at           timestamptz NOT NULL,
    expires_at           timestamptz NOT NULL,
    revoked_at           timestamptz
);
CREATE INDEX scim_tokens_tenant ON scim_tokens (tenant_id);

-- What a directory keeps of a member beyond the account and the membership: its externalId (per tenant: the
-- same person in two tenants' directories has one per membership), the name parts it sent, and whether it
-- deleted the member (the membership stays, inactive; SCIM answers 404 for it until the directory creates it again).
CREATE TABLE scim_members (
    tenant_id    uuid NOT NULL,
    user_id      uuid NOT NULL,
    external_id  varchar(255),
    given_name   varchar(255),
    family_name  varchar(255),
    deleted_at   timestamptz,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (user_id, tenant_id) REFERENCES memberships (user_id, tenant_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX scim_members_external_id ON scim_members (tenant_id, external_id);

INSERT INTO permissions (name, resource, action, description) VALUES
    ('scim:manage', 'scim', 'manage', 'Issue, list and revoke the SCIM tokens of the tenant''s directory'),
    ('scim:*',      'scim', '*',      'Every action on SCIM provisioning');

-- Every tenant's admin role holds the whole catalogue, as registration gives it to new tenants.
INSERT INTO role_permissions (role_id, permission_name)
SELECT r.id, p.name FROM roles r JOIN permissions p ON p.resource = 'scim'
WHERE r.is_system AND r.name = 'admin';
