-- Service accounts: machines of a tenant (its automation, a customer's integration) that call the API as
-- themselves, with the tenant's roles, and obtain access tokens by the OAuth client-credentials grant with a
-- client secret or a signed JWT assertion (RFC 7523, private_key_jwt).
CREATE TABLE service_accounts (
    id           uuid PRIMARY KEY,               -- also its OAuth client_id
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         varchar(100) NOT NULL,
    description  varchar(500),
    is_active    boolean NOT NULL DEFAULT true,
    created_by   uuid,                           -- the person or service account that created it
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX service_accounts_tenant_name ON service_accounts (tenant_id, lower(name));

CREATE TABLE service_account_roles (
    service_account_id  uuid NOT NULL REFERENCES service_accounts (id) ON DELETE CASCADE,
    role_id             uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (service_account_id, role_id)
);

-- A credential is a client secret (its SHA-256: 256 random bits) or a registered public key (a JWK) that
-- verifies the account's assertions. Several live at once, for rotation; each may expire.
CREATE TABLE service_account_credentials (
    id                  uuid PRIMARY KEY,
    service_account_id  uuid NOT NULL REFERENCES service_accounts (id) ON DELETE CASCADE,
    kind                varchar(16) NOT NULL CHECK (kind IN ('secret', 'public_key')),
    secret_hash         bytea UNIQUE,
    public_jwk          text,
    key_id              varchar(200),
    created_at          timestamptz NOT NULL,
    expires_at          timestamptz,
    revoked_at          timestamptz,
    CHECK ((kind = 'secret') = (secret_hash IS NOT NULL)),
    CHECK ((kind = 'public_key') = (public_jwk IS NOT NULL))
);
CREATE INDEX service_account_credentials_account ON service_account_credentials (service_account_id);

-- The ids (jti) of assertions used, until they expire: an assertion is accepted once.
CREATE TABLE client_assertion_ids (
    service_account_id  uuid NOT NULL REFERENCES service_accounts (id) ON DELETE CASCADE,
    jti                 varchar(200) NOT NULL,
    expires_at          timestamptz NOT NULL,
    PRIMARY KEY (service_account_id, jti)
);
CREATE INDEX client_assertion_ids_expires_at ON client_assertion_ids (expires_at);

-- A service account is cached as a caller (caller/CallerCache) under its id: a change to it, its roles or its
-- credentials announces that id, as a change to an account does (V4's function).
CREATE TRIGGER service_accounts_announce_update AFTER UPDATE ON service_accounts
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION gatehouse_announce_caller_change('user', 'id');
CREATE TRIGGER service_accounts_announce_delete AFTER DELETE ON service_accounts
    FOR EACH ROW EXECUTE FUNCTION gatehouse_announce_caller_change('user', 'id');
CREATE TRIGGER service_account_roles_announce AFTER INSERT OR UPDATE OR DELETE ON service_account_roles
    FOR EACH ROW EXECUTE FUNCTION gatehouse_announce_caller_change('user', 'service_account_id');
CREATE TRIGGER service_account_credentials_announce AFTER UPDATE OR DELETE ON service_account_credentials
    FOR EACH ROW EXECUTE FUNCTION gatehouse_announce_caller_change('user', 'service_account_id');

INSERT INTO permissions (name, resource, action, description) VALUES
    ('service_accounts:read',   'service_accounts', 'read',   'List the service accounts of the tenant and their credentials'),
    ('service_accounts:manage', 'service_accounts', 'manage', 'Create, change, disable and delete service accounts; issue and revoke their credentials'),
    ('service_accounts:*',      'service_accounts', '*',      'Every action on service accounts');

-- Every tenant's admin role holds the whole catalogue, as registration gives it to new tenants.
INSERT INTO role_permissions (role_id, permission_name)
SELECT r.id, p.name FROM roles r JOIN permissions p ON p.resource = 'service_accounts'
WHERE r.is_system AND r.name = 'admin';
