-- Enterprise single sign-on per tenant: the email domains a tenant proved by DNS, its own identity providers
-- (OpenID Connect or SAML 2.0), the IdP subjects linked to accounts, and the sign-ins through them in progress.

-- A tenant claims a domain, then proves it by publishing proof as a DNS TXT record. Several tenants may claim a
-- domain; once one proved it, it is that tenant's alone (the partial unique index), until the record goes away.
CREATE TABLE tenant_domains (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    domain       varchar(253) NOT NULL,          -- lower case, no trailing dot
    proof        varchar(100) NOT NULL,          -- the TXT value to publish; not a secret, it proves control
    require_sso  boolean NOT NULL DEFAULT false, -- the domain's accounts sign in to this tenant through SSO only
    created_at   timestamptz NOT NULL,
    verified_at  timestamptz,                    -- null: not (or no longer) proved
    checked_at   timestamptz,                    -- the last look at the record, by the admin or the schedule
    lost_at      timestamptz,                    -- when a proved record was found gone
    UNIQUE (tenant_id, domain)
);
CREATE UNIQUE INDEX tenant_domains_verified_domain ON tenant_domains (domain) WHERE verified_at IS NOT NULL;

-- A tenant's identity provider. The OIDC client secret and the SAML signing key are sealed with the encryption key
-- (as TOTP secrets).
CREATE TABLE sso_connections (
    id                     uuid PRIMARY KEY,
    tenant_id              uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                   varchar(100) NOT NULL,
    protocol               varchar(4) NOT NULL CHECK (protocol IN ('oidc', 'saml')),
    is_enabled             boolean NOT NULL DEFAULT true,
    oidc_issuer            varchar(500),
    oidc_client_id         varchar(255),
    oidc_client_secret     bytea,
    oidc_scopes            varchar(500),
    saml_idp_entity_id     varchar(500),
    saml_idp_sso_url       varchar(1000),
    saml_idp_certificates  text,                 -- PEM; two during a rollover
    saml_sp_private_key    bytea,                -- the key the AuthnRequests are signed with (PKCS#8, sealed)
    saml_sp_certificate    bytea,                -- its self-signed certificate (DER), in the SP metadata
    email_attribute        varchar(200) NOT NULL,
    name_attribute         varchar(200),
    groups_attribute       varchar(200),
    default_role_ids       text NOT NULL DEFAULT '',   -- comma-separated: the roles of a new membership
    group_role_ids         text NOT NULL DEFAULT '{}', -- JSON object: IdP group to the role ids it adds
    trust_idp_mfa          boolean NOT NULL DEFAULT false,
    created_by             uuid,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX sso_connections_tenant ON sso_connections (tenant_id);

-- Which account an IdP's subject is, per connection: the same person through two tenants' IdPs is one account.
CREATE TABLE sso_identities (
    connection_id  uuid NOT NULL REFERENCES sso_connections (id) ON DELETE CASCADE,
    subject        varchar(255) NOT NULL,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (connection_id, subject)
);
CREATE INDEX sso_identities_user ON sso_identities (user_id);

-- A sign-in through a connection, between the redirect to the IdP and its answer: any instance finishes it.
-- state is the OIDC state or the SAML AuthnRequest ID. Bound to the browser that started it (binding_hash, as
-- oauth_states). A SAML response arrives by a cross-site POST that carries no cookie: the checked identity waits
-- in identity until the browser, redirected to a GET, presents its binding.
CREATE TABLE sso_sign_ins (
    state                     varchar(64) PRIMARY KEY,
    connection_id             uuid NOT NULL REFERENCES sso_connections (id) ON DELETE CASCADE,
    authorization_request_id  uuid NOT NULL,
    binding_hash              bytea NOT NULL,
    nonce                     varchar(64),
    code_verifier             varchar(128),
    identity                  text,
    created_at                timestamptz NOT NULL,
    expires_at                timestamptz NOT NULL
);
CREATE INDEX sso_sign_ins_expires ON sso_sign_ins (expires_at);

-- SAML assertion ids seen, until the assertion expires: each is accepted once.
CREATE TABLE saml_assertion_ids (
    connection_id  uuid NOT NULL REFERENCES sso_connections (id) ON DELETE CASCADE,
    assertion_id   varchar(255) NOT NULL,
    expires_at     timestamptz NOT NULL,
    PRIMARY KEY (connection_id, assertion_id)
);
CREATE INDEX saml_assertion_ids_expires ON saml_assertion_ids (expires_at);

-- The members who may still sign in with a password (and a second factor) where the tenant requires SSO.
CREATE TABLE sso_break_glass (
    tenant_id   uuid NOT NULL,
    user_id     uuid NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (user_id, tenant_id) REFERENCES memberships (user_id, tenant_id) ON DELETE CASCADE
);

INSERT INTO permissions (name, resource, action, description) VALUES
    ('sso:manage', 'sso', 'manage', 'Manage the tenant''s identity-provider connections, email domains and SSO enforcement'),
    ('sso:*',      'sso', '*',      'Every action on enterprise single sign-on');

INSERT INTO role_permissions (role_id, permission_name)
SELECT r.id, p.name FROM roles r JOIN permissions p ON p.resource = 'sso'
WHERE r.is_system AND r.name = 'admin';
