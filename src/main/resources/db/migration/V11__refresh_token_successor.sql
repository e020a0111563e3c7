-- The reuse interval (README, "Tokens"): the statement that rotates a refresh token out records its successor,
-- so that a retry of the same refresh within gatehouse.refresh.reuse-interval-seconds, while the successor is
-- unused, gets that successor again instead of ending the session. The successor's token is kept only
-- encrypted (AES-256-GCM) under a key derived from the rotated-out token, which the database does not hold
-- (it keeps SHA-256 of it): reading this table yields no live token. Both stay null when the interval is 0.
ALTER TABLE refresh_tokens ADD COLUMN successor_id uuid;
ALTER TABLE refresh_tokens ADD COLUMN successor_ciphertext bytea;
