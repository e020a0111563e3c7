-- Binds each OAuth flow to the client that started it (RFC 9700 §2.1, §4.7): authorize hands the client a
-- 256-bit secret (as a cookie and in its JSON), the row keeps only its SHA-256, and the callback consumes the
-- row only when it presents the secret. So a leaked callback URL (code + state) signs nobody in, and a login
-- CSRF (the victim's browser made to finish the attacker's flow) is refused.
--
-- Flows in progress at the upgrade have no binding and cannot finish: they are removed, as a flow lives
-- at most gatehouse.oauth.state-minutes (10) anyway; their users start the sign-in again.
DELETE FROM oauth_states;

ALTER TABLE oauth_states ADD COLUMN binding_hash bytea NOT NULL;
