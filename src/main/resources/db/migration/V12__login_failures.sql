-- Brute-force protection: failed logins counted per email tried (an account's, or one no account has, so that
-- throttling reveals nothing), shared by every instance. A row goes when a login succeeds, when an admin
-- clears the lockout, or when the retention job finds its last failure older than the reset window.
CREATE TABLE login_failures (
    email           text         PRIMARY KEY,   -- normalised, as login looks accounts up
    failures        integer      NOT NULL,
    last_failed_at  timestamptz  NOT NULL,
    locked_until    timestamptz                 -- until then a login with this email answers 429, no hash run
);

-- the retention job
CREATE INDEX login_failures_last_failed_at ON login_failures (last_failed_at);
