-- Password hashes brought from another system besides the account's own (users.password_hash, which may itself
-- be a legacy format: docs/security.md, "Imported password hashes"). One person with users in several v1 tenants
-- had a password in each: any of them signs the person in until they have one password. Whenever the account's
-- password_hash changes (the first sign-in replaces it with an Argon2id hash of the password that matched, a
-- password change or reset sets a new one) the others go, in the same transaction.
CREATE TABLE legacy_password_hashes (
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash        text        NOT NULL,
    -- where it came from, for the operator: e.g. 'v1 user <id> in tenant <slug>'
    source      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, hash)
);

CREATE FUNCTION gatehouse_drop_legacy_password_hashes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM legacy_password_hashes WHERE user_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER users_password_settles_legacy_hashes AFTER UPDATE OF password_hash ON users
    FOR EACH ROW WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash)
    EXECUTE FUNCTION gatehouse_drop_legacy_password_hashes();
