-- Sessions: a refresh-token family. Each refresh token now carries the state its session was issued under,
-- so that a rotation racing a revocation can never leave a live session behind:
--   token_version       the account's token version at the session's start; rotation refuses a token whose
--                       version is no longer the account's (logout-all, deactivation and a new password
--                       raise it), even one inserted by a rotation that committed after the revocation.
--   session_started_at  when the session began (login); no rotation extends a session past
--                       gatehouse.session.max-days from it.
ALTER TABLE refresh_tokens ADD COLUMN token_version integer;
ALTER TABLE refresh_tokens ADD COLUMN session_started_at timestamptz;

UPDATE refresh_tokens t SET token_version = u.token_version FROM users u WHERE u.id = t.user_id;
UPDATE refresh_tokens t SET session_started_at = f.started
FROM (SELECT family_id, min(created_at) AS started FROM refresh_tokens GROUP BY family_id) f
WHERE f.family_id = t.family_id;

ALTER TABLE refresh_tokens ALTER COLUMN token_version SET NOT NULL;
ALTER TABLE refresh_tokens ALTER COLUMN session_started_at SET NOT NULL;

-- Access tokens name their session (claim sid = family_id) and the cached caller holds the user's live
-- sessions: a session that ends (logout, reuse detection, logout-all, a user ending it) must reach every
-- instance's cache like any other change to a caller (V4). A rotation revokes a token too, but its family
-- lives on in the token it inserts: so the check runs at commit (a deferred constraint trigger) and
-- announces only a family left with no live token, and rotations evict no cached caller.
CREATE FUNCTION gatehouse_announce_session_end() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM refresh_tokens WHERE family_id = NEW.family_id AND revoked_at IS NULL) THEN
        PERFORM pg_notify('gatehouse_callers', 'user:' || NEW.user_id);
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER refresh_tokens_announce_session_end AFTER UPDATE OF revoked_at ON refresh_tokens
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION gatehouse_announce_session_end();
