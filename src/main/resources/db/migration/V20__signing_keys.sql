-- The keys access tokens are signed with, shared by every instance (docs/security.md, "Signing keys").
-- state: next (published in the JWKS, not signing yet), current (signs), previous (published until the last
-- token it signed has expired: retired_at + the access-token lifetime), revoked (refused at once, a compromise).
-- private_key: PKCS#8, sealed with AES-256-GCM under gatehouse.jwt.key-encryption-key (12-byte nonce first).
CREATE TABLE signing_keys (
    kid          text PRIMARY KEY,
    algorithm    text NOT NULL CHECK (algorithm IN ('RS256', 'ES256')),
    state        text NOT NULL CHECK (state IN ('next', 'current', 'previous', 'revoked')),
    public_key   bytea NOT NULL,
    private_key  bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    activated_at timestamptz,
    retired_at   timestamptz,
    revoked_at   timestamptz
);

-- At most one key signs and at most one waits: two instances that create the first key at once cannot both win
-- (the loser's INSERT ... ON CONFLICT DO NOTHING inserts nothing and it reads the winner's).
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (state) WHERE state = 'current';
CREATE UNIQUE INDEX signing_keys_one_next ON signing_keys (state) WHERE state = 'next';

-- Every instance reloads its key set when the keys change, on the channel the caller cache listens on (V4).
CREATE FUNCTION gatehouse_announce_signing_keys_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gatehouse_callers', 'signing-keys');
    RETURN NULL;
END $$;

CREATE TRIGGER signing_keys_changed AFTER INSERT OR UPDATE OR DELETE ON signing_keys
    FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_announce_signing_keys_change();
