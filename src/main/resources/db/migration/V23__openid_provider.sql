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
    backchannel_logout_uri      varchar(2048),                -- where logout tokens go (back-channel logout)
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

-- OpenID Connect Back-Channel Logout: a logout token for each client whose session ends, written at commit by the
-- database itself so that no path that ends a session (logout, logout-all, reuse detection, a user ending one,
-- deactivation, a new password, a replayed code, RP-initiated logout) can forget it; a sender job delivers them
-- (openid/BackChannelLogout). Plain expiry sends nothing: no update marks it. Deleting a client deletes its
-- sessions and its notifications with it.
CREATE TABLE logout_notifications (
    id               uuid PRIMARY KEY,
    client_id        uuid         NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    user_id          uuid         NOT NULL,
    tenant_id        uuid         NOT NULL,
    sid              uuid         NOT NULL,   -- the browser session: the ID token's sid
    created_at       timestamptz  NOT NULL,
    attempts         integer      NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz  NOT NULL,
    delivered_at     timestamptz,
    last_error       varchar(1000)
);
CREATE INDEX logout_notifications_due ON logout_notifications (next_attempt_at) WHERE delivered_at IS NULL;
CREATE INDEX logout_notifications_created_at ON logout_notifications (created_at);
CREATE INDEX refresh_tokens_browser_session ON refresh_tokens (browser_session) WHERE browser_session IS NOT NULL;

-- At commit, like V5's announcement, so that a rotation (which revokes a token and inserts its successor) counts
-- for nothing: a family left with no live token ended. A client's session notifies its client; a browser session
-- notifies each client that still has a live session from it. One notification per client and sid per transaction
-- (created_at = now() is the transaction's start): logout-all ends the browser session and the client's together.
CREATE FUNCTION gatehouse_queue_logout_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = NEW.family_id AND revoked_at IS NULL) THEN
        RETURN NULL;
    END IF;
    INSERT INTO logout_notifications (id, client_id, user_id, tenant_id, sid, created_at, next_attempt_at)
    SELECT gen_random_uuid(), ended.client_id, NEW.user_id, NEW.tenant_id, ended.sid, now(), now()
    FROM (SELECT NEW.oauth_client_id AS client_id, NEW.browser_session AS sid
          WHERE NEW.oauth_client_id IS NOT NULL AND NEW.browser_session IS NOT NULL
          UNION
          SELECT DISTINCT t.oauth_client_id, NEW.family_id FROM refresh_tokens t
          WHERE NEW.oauth_client_id IS NULL AND t.browser_session = NEW.family_id
            AND t.revoked_at IS NULL AND t.expires_at > now()) ended
    JOIN oauth_clients c ON c.id = ended.client_id AND c.backchannel_logout_uri IS NOT NULL
    WHERE NOT EXISTS (SELECT 1 FROM logout_notifications n
                      WHERE n.client_id = ended.client_id AND n.sid = ended.sid AND n.created_at = now());
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER refresh_tokens_queue_logout_notifications AFTER UPDATE OF revoked_at ON refresh_tokens
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION gatehouse_queue_logout_notifications();
