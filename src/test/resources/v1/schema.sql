-- The v1 core's schema, as its Alembic migrations leave it (the Python FastAPI "Agency Standard" starter
-- template): what the v1 import reads. Written from the template's models for the integration tests; the
-- repository holds no copy of the template. Assumptions, each read by the import (docs/upgrading-from-v1.md,
-- "What v1 is assumed to be"): uuid ids; users.email unique per tenant; password_hash a passlib bcrypt hash or
-- null (OAuth-only users); refresh_tokens.token_hash the SHA-256 hex of the token; permissions as
-- (resource, action) rows; audit_logs.action a short verb such as "login" or "user.created".
CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        varchar(255) NOT NULL,
    slug        varchar(100) NOT NULL UNIQUE,
    is_active   boolean      NOT NULL DEFAULT true,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    updated_at  timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    tenant_id       uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email           varchar(255) NOT NULL,
    password_hash   varchar(255),
    full_name       varchar(255),
    is_active       boolean      NOT NULL DEFAULT true,
    is_superuser    boolean      NOT NULL DEFAULT false,
    is_verified     boolean      NOT NULL DEFAULT false,
    oauth_provider  varchar(50),
    oauth_id        varchar(255),
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, email)
);

CREATE TABLE roles (
    id           uuid PRIMARY KEY,
    tenant_id    uuid         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         varchar(100) NOT NULL,
    description  text,
    is_default   boolean      NOT NULL DEFAULT false,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    updated_at   timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

CREATE TABLE permissions (
    id           uuid PRIMARY KEY,
    resource     varchar(100) NOT NULL,
    action       varchar(50)  NOT NULL,
    description  text,
    UNIQUE (resource, action)
);

CREATE TABLE role_permissions (
    role_id        uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission_id  uuid NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, permission_id)
);

CREATE TABLE user_roles (
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id  uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  varchar(64) NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    revoked     boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE revoked_tokens (
    id          uuid PRIMARY KEY,
    jti         varchar(64) NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_logs (
    id             uuid PRIMARY KEY,
    tenant_id      uuid REFERENCES tenants (id) ON DELETE CASCADE,
    user_id        uuid REFERENCES users (id) ON DELETE SET NULL,
    action         varchar(100) NOT NULL,
    resource_type  varchar(100),
    resource_id    varchar(255),
    details        jsonb,
    ip_address     varchar(45),
    user_agent     text,
    created_at     timestamptz NOT NULL DEFAULT now()
);
