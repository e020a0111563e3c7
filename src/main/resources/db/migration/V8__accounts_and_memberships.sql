-- One account per person, with memberships in tenants. A users row becomes the account (the person: email,
-- password, name, account-wide active flag, token version, OAuth link); what was per tenant (active,
-- superuser) moves to memberships, one row per (account, tenant). Roles stay in user_roles: a role's tenant
-- says which membership it belongs to. Every users row becomes an account with one membership.

-- Emails become unique across Gatehouse. An email with users in several tenants is not merged here: who owns
-- the address is the operator's call. README, "Merging duplicate accounts", gives the SQL to run first.
DO $$
DECLARE
    duplicates text;
BEGIN
    SELECT string_agg(email || ': ' || holders, E'\n' ORDER BY email) INTO duplicates
    FROM (SELECT lower(email) AS email,
                 string_agg('user ' || id || ' in tenant ' || tenant_id, ', ' ORDER BY created_at, id) AS holders
          FROM users GROUP BY lower(email) HAVING count(*) > 1) shared;
    IF duplicates IS NOT NULL THEN
        RAISE EXCEPTION 'Emails with users in several tenants; merge each into one account before this migration (README, "Merging duplicate accounts"):%',
            E'\n' || duplicates;
    END IF;
END $$;

CREATE TABLE memberships (
    user_id       uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- false: this tenant only is closed to the person (an admin deactivated them here)
    is_active     boolean     NOT NULL DEFAULT true,
    is_superuser  boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    -- set at login and switch-tenant: a login that names no tenant gets the last used one
    last_used_at  timestamptz,
    PRIMARY KEY (user_id, tenant_id)
);
-- a tenant's members, page by page, oldest first
CREATE INDEX memberships_tenant_created_idx ON memberships (tenant_id, created_at, user_id);

-- The README's merge step leaves the merged-away users' tenants here (created empty when it did not run).
CREATE TABLE IF NOT EXISTS account_merge_memberships (
    user_id       uuid        NOT NULL,
    tenant_id     uuid        NOT NULL,
    is_active     boolean     NOT NULL,
    is_superuser  boolean     NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

INSERT INTO memberships (user_id, tenant_id, is_active, is_superuser, created_at, updated_at)
SELECT id, tenant_id, is_active, is_superuser, created_at, updated_at FROM users
UNION ALL
SELECT user_id, tenant_id, is_active, is_superuser, created_at, updated_at FROM account_merge_memberships;

DROP TABLE account_merge_memberships;

-- A session is for one membership. The foreign key ends a membership's sessions with it.
ALTER TABLE refresh_tokens ADD COLUMN tenant_id uuid;
UPDATE refresh_tokens t SET tenant_id = u.tenant_id FROM users u WHERE u.id = t.user_id;
ALTER TABLE refresh_tokens ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_membership_fkey
    FOREIGN KEY (user_id, tenant_id) REFERENCES memberships (user_id, tenant_id) ON DELETE CASCADE;

-- Until now a deactivated user was a deactivated membership: the account itself stays active.
UPDATE users SET is_active = true WHERE NOT is_active;

DROP INDEX users_tenant_email_key;
DROP INDEX users_email_idx;
DROP INDEX users_tenant_created_idx;
ALTER TABLE users DROP COLUMN tenant_id;
ALTER TABLE users DROP COLUMN is_superuser;
-- one account per email, case-insensitive; login, registration and OAuth find the account by it
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Cached callers are per membership: a change to one announces its account (V4), and every instance evicts
-- all of that account's cached views. last_used_at is bookkeeping, not caller state: it announces nothing, so
-- a login evicts no cached caller. A new membership needs no announcement: nothing of it is cached yet.
CREATE TRIGGER memberships_announce_update AFTER UPDATE ON memberships
    FOR EACH ROW WHEN ((OLD.is_active, OLD.is_superuser) IS DISTINCT FROM (NEW.is_active, NEW.is_superuser))
    EXECUTE FUNCTION gatehouse_announce_caller_change('user', 'user_id');
CREATE TRIGGER memberships_announce_delete AFTER DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION gatehouse_announce_caller_change('user', 'user_id');
