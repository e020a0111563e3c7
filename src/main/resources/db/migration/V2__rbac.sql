-- Tenant-scoped roles hold permissions (resource:action); users hold roles (user_roles, V1).

CREATE TABLE permissions (
    name         varchar(100) PRIMARY KEY,   -- resource:action, e.g. users:read
    resource     varchar(50)  NOT NULL,
    action       varchar(50)  NOT NULL,
    description  varchar(255) NOT NULL,
    CONSTRAINT permissions_name_is_resource_action CHECK (name = resource || ':' || action)
);

CREATE TABLE role_permissions (
    role_id          uuid         NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission_name  varchar(100) NOT NULL REFERENCES permissions (name),
    PRIMARY KEY (role_id, permission_name)
);

INSERT INTO permissions (name, resource, action, description) VALUES
    ('users:read',    'users',  'read',   'List and read the users of the tenant'),
    ('users:write',   'users',  'write',  'Add users, change them, activate and deactivate them'),
    ('users:delete',  'users',  'delete', 'Delete users of the tenant'),
    ('roles:read',    'roles',  'read',   'List roles and see who holds them'),
    ('roles:manage',  'roles',  'manage', 'Create, change and delete roles; assign roles to users'),
    ('tenant:manage', 'tenant', 'manage', 'Change the tenant''s own settings'),
    -- wildcards: every action on the resource, present and future
    ('users:*',       'users',  '*',      'Every action on users'),
    ('roles:*',       'roles',  '*',      'Every action on roles'),
    ('tenant:*',      'tenant', '*',      'Every action on the tenant');

-- The default roles of every existing tenant, as registration creates them for new ones.
INSERT INTO roles (id, tenant_id, name, description, is_system, created_at, updated_at)
SELECT gen_random_uuid(), t.id, r.name, r.description, true, now(), now()
FROM tenants t
CROSS JOIN (VALUES ('admin', 'All permissions of the tenant'),
                   ('member', 'Sees the users and roles of the tenant'),
                   ('viewer', 'Sees the users of the tenant')) AS r (name, description);

INSERT INTO role_permissions (role_id, permission_name)
SELECT r.id, p.name FROM roles r JOIN permissions p
  ON r.name = 'admin'
  OR (r.name = 'member' AND p.name IN ('users:read', 'roles:read'))
  OR (r.name = 'viewer' AND p.name = 'users:read')
WHERE r.is_system;

-- Superusers (the users who registered their tenant) become its admins.
INSERT INTO user_roles (user_id, role_id)
SELECT u.id, r.id FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.name = 'admin' AND r.is_system
WHERE u.is_superuser;
