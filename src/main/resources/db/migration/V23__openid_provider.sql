-- Gatehouse as an OpenID Provider for the deployment's own applications (docs/openid-provider.md): the
-- registered clients, the authorization requests the hosted sign-in page is working on, the codes they end in,
-- and which client holds which session.

CREATE TABLE oauth_clients (
    id                          uuid PRIMARY KEY,             -- also its client_id
    name                        varchar(100) NOT NULL,
    -- public: a single-page or native app, no secret, PKCE only; confidential: a server that keeps a secret
    kind                        varchar(16)  NOT NULL CHECK (kind IN ('public', 'confidential')),
    redirect_uris               text[]       NOT NULL,        -- matched exactly, never by prefix
    post_logout_redirect_uris   text[]       NOT NULL DEFAULT '{}',
    grant_types                 text[]       NOT NULL,        -- authorization_code, refresh_token
    -- SHA-256 of the client secret (256 random bits); a rotation keeps the previous one until its expiry
    secret_hash                 bytea,
    previous_secret_hash        bytea,
    previous_secret_expires_at  timestamptz,
    -- a JWK Set of public keys: a confidential client may authenticate with assertions they verify (private_key_jwt)
    jwks                        text,
    is_active                   boolean      NOT NULL DEFAULT true,
    created_at                  timestamptz  NOT NULL,
    updated_at                  timestamptz  NOT NULL,
    CHECK ((kind = 'confidential') = (secret_hash IS NOT NULL)),
    CHECK (kind = 'confidential' OR jwks IS NULL)
);

-- The ids (jti) of the clients' assertions used, until they expire: an assertion is accepted once.
CREATE TABLE oauth_client_assertion_ids (
    client_id   uuid         NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    jti         varchar(200) NOT NULL,
    expires_at  timestamptz  NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX oauth_client_assertion_ids_expires_at ON oauth_client_assertion_ids (expires_at);

-- /authorize hands the browser to the hosted sign-in page; the request waits here until the person is signed in
-- (any instance may serve each step). The browser holds a secret whose SHA-256 is binding_hash, so a request id
-- seen elsewhere (a log, a shoulder) continues nothing.
CREATE TABLE authorization_requests (
    id                    uuid PRIMARY KEY,
    binding_hash          bytea         NOT NULL,
    client_id             uuid          NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    redirect_uri          varchar(2048) NOT NULL,
    scope                 varchar(1000) NOT NULL,
    state                 varchar(1000),
    nonce                 varchar(1000),
    code_challenge        varchar(128)  NOT NULL,
    max_age               integer,
    login_hint            varchar(320),
    tenant_hint           varchar(100),
    require_mfa           boolean       NOT NULL,
    -- set when the password step passed and a second factor is due: the ticket of mfa/MfaTickets
    mfa_ticket            varchar(100),
    expires_at            timestamptz   NOT NULL
);
CREATE INDEX authorization_requests_expires_at ON authorization_requests (expires_at);

-- A code lives a minute and is redeemed once; a second redemption revokes the session the first one started.
CREATE TABLE authorization_codes (
    code_hash         bytea PRIMARY KEY,
    client_id         uuid          NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    redirect_uri      varchar(2048) NOT NULL,
    code_challenge    varchar(128)  NOT NULL,
    user_id           uuid          NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id         uuid          NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    browser_session   uuid          NOT NULL,   -- the sign-in page's session (a refresh-token family): the ID token's sid
    scope             varchar(1000) NOT NULL,
    nonce             varchar(1000),
    amr               varchar(50)   NOT NULL,
    authenticated_at  timestamptz   NOT NULL,
    expires_at        timestamptz   NOT NULL,
    redeemed_at       timestamptz,
    session_id        uuid          -- the session the redemption started
);
CREATE INDEX authorization_codes_expires_at ON authorization_codes (expires_at);

-- A session (refresh-token family) started for an OAuth client keeps that client on every rotation: its refresh
-- tokens are refused to anyone else. browser_session: the sign-in page's session it came from.
ALTER TABLE refresh_tokens ADD COLUMN oauth_client_id uuid REFERENCES oauth_clients (id) ON DELETE CASCADE;
ALTER TABLE refresh_tokens ADD COLUMN browser_session uuid;
