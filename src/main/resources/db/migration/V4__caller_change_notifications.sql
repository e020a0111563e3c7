-- Gatehouse instances cache the callers of recent requests (auth/CallerCache): account state, tenant state and
-- the permissions of the caller's roles. Every change to any of these announces itself on the channel
-- gatehouse_callers, and PostgreSQL delivers it to every listening instance when (and only if) its transaction
-- commits, whoever made it: this instance, another one, a later migration or an operator's SQL.
-- Payloads: user:<user id>, tenant:<tenant id>, all. Inserts of users and tenants need none: nothing of theirs
-- is cached yet.

-- TG_ARGV[0]: what changed (user or tenant); TG_ARGV[1]: the column of the changed row that holds its id.
CREATE FUNCTION gatehouse_announce_caller_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        changed := to_jsonb(OLD);
    ELSE
        changed := to_jsonb(NEW);
    END IF;
    PERFORM pg_notify('gatehouse_callers', TG_ARGV[0] || ':' || (changed ->> TG_ARGV[1]));
    RETURN NULL;
END $$;

-- A role's permissions: every caller of the role's tenant may hold it. When the role itself is being deleted
-- (the rows go by cascade) its own trigger has announced the tenant already.
CREATE FUNCTION gatehouse_announce_role_permissions_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    role_tenant uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT tenant_id INTO role_tenant FROM roles WHERE id = OLD.role_id;
    ELSE
        SELECT tenant_id INTO role_tenant FROM roles WHERE id = NEW.role_id;
    END IF;
    IF role_tenant IS NOT NULL THEN
        PERFORM pg_notify('gatehouse_callers', 'tenant:' || role_tenant);
    END IF;
    RETURN NULL;
END $$;

-- The permission catalogue changes only by migration; any change drops every cached caller.
CREATE FUNCTION gatehouse_announce_catalogue_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gatehouse_callers', 'all');
    RETURN NULL;
END $$;

CREATE TRIGGER users_announce_update AFTER UPDATE ON users
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION gatehouse_announce_caller_change('user', 'id');
CREATE TRIGGER users_announce_delete AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION gatehouse_announce_caller_change('user', 'id');

CREATE TRIGGER tenants_announce_update AFTER UPDATE ON tenants
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION gatehouse_announce_caller_change('tenant', 'id');
CREATE TRIGGER tenants_announce_delete AFTER DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION gatehouse_announce_caller_change('tenant', 'id');

CREATE TRIGGER user_roles_announce AFTER INSERT OR UPDATE OR DELETE ON user_roles
    FOR EACH ROW EXECUTE FUNCTION gatehouse_announce_caller_change('user', 'user_id');

CREATE TRIGGER roles_announce_update AFTER UPDATE ON roles
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION gatehouse_announce_caller_change('tenant', 'tenant_id');
CREATE TRIGGER roles_announce_delete AFTER DELETE ON roles
    FOR EACH ROW EXECUTE FUNCTION gatehouse_announce_caller_change('tenant', 'tenant_id');

CREATE TRIGGER role_permissions_announce AFTER INSERT OR UPDATE OR DELETE ON role_permissions
    FOR EACH ROW EXECUTE FUNCTION gatehouse_announce_role_permissions_change();

CREATE TRIGGER permissions_announce AFTER UPDATE OR DELETE ON permissions
    FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_announce_catalogue_change();
