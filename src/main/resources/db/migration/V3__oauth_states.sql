-- OAuth / OpenID Connect flows in progress. In the database, not in process memory, so the instance that
-- receives the callback need not be the one that started the flow. A row lives from authorize until its
-- callback consumes it (delete ... returning: at most one callback wins) or the cleanup removes it expired.

CREATE TABLE oauth_states (
    -- 256 random bits, base64url: the state parameter itself
    state          varchar(64)   PRIMARY KEY,
    provider       varchar(50)   NOT NULL,
    -- PKCE (RFC 7636): the verifier stays here; only its S256 challenge went to the provider
    code_verifier  varchar(128)  NOT NULL,
    -- OpenID Connect: must come back in the ID token
    nonce          varchar(64)   NOT NULL,
    redirect_uri   varchar(2048) NOT NULL,
    created_at     timestamptz   NOT NULL,
    expires_at     timestamptz   NOT NULL
);
-- the scheduled cleanup: expired flows
CREATE INDEX oauth_states_expires_idx ON oauth_states (expires_at);
