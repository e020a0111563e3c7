-- Tenants, users, refresh tokens, and the user-role link the RBAC tables build on.
-- Every index below serves a query the code runs; the comment names it.

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        varchar(255) NOT NULL,
    slug        varchar(80)  NOT NULL,
    is_active   boolean      NOT NULL DEFAULT true,
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL
);
-- login by tenant slug
CREATE UNIQUE INDEX tenants_slug_key ON tenants (slug);

CREATE TABLE users (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid         NOT NULL REFERENCES tenants (id),
    email              varchar(320) NOT NULL,
    password_hash      varchar(255),
    full_name          varchar(255) NOT NULL,
    is_active          boolean      NOT NULL DEFAULT true,
    is_superuser       boolean      NOT NULL DEFAULT false,
    oauth_provider     varchar(50),
    oauth_subject      varchar(255),
    -- raised by logout-all, deactivation and password change: access tokens of an older version are refused
    token_version      integer      NOT NULL DEFAULT 0,
    created_at         timestamptz  NOT NULL,
    updated_at         timestamptz  NOT NULL,
    CONSTRAINT users_oauth_pair CHECK ((oauth_provider IS NULL) = (oauth_subject IS NULL))
);
-- one account per email in a tenant; login within a tenant
CREATE UNIQUE INDEX users_tenant_email_key ON users (tenant_id, lower(email));
-- login without a tenant: every account with this email, across tenants
CREATE INDEX users_email_idx ON users (lower(email));
-- OAuth login: the account of a provider's subject
CREATE UNIQUE INDEX users_oauth_key ON users (oauth_provider, oauth_subject) WHERE oauth_provider IS NOT NULL;
-- a tenant's users, page by page, oldest first
CREATE INDEX users_tenant_created_idx ON users (tenant_id, created_at, id);

CREATE TABLE refresh_tokens (
    id              uuid PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the token: the token itself is never stored
    token_hash      bytea       NOT NULL,
    -- every token rotated out of one login shares the family; reuse of a rotated token revokes it all
    family_id       uuid        NOT NULL,
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    created_at      timestamptz NOT NULL,
    created_by_ip   varchar(45),
    user_agent      varchar(512)
);
-- refresh and logout: the token presented
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
-- reuse detection: the whole family
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id) WHERE revoked_at IS NULL;
-- logout-all, deactivation, password change: the active tokens of a user
CREATE INDEX refresh_tokens_user_active_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

CREATE TABLE roles (
    id           uuid PRIMARY KEY,
    tenant_id    uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         varchar(100) NOT NULL,
    description  varchar(500),
    is_system    boolean      NOT NULL DEFAULT false,
    created_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL
);
-- role names are unique within a tenant; a tenant's roles by name
CREATE UNIQUE INDEX roles_tenant_name_key ON roles (tenant_id, lower(name));

CREATE TABLE user_roles (
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id  uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);
-- the holders of a role (last-admin guard, role deletion)
CREATE INDEX user_roles_role_idx ON user_roles (role_id);
