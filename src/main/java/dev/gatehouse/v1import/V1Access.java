package dev.gatehouse.v1import;

import dev.gatehouse.platform.Ids;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Roles of each tenant with their permissions, and who holds them. A v1 permission (resource, action) maps to
 * the Gatehouse permission of the same name, resource:action, when the catalogue has it; any other is left out
 * of the role and reported, never replaced by a broader one.
 */
final class V1Access {

    private final Connection v1;
    private final Connection gatehouse;
    private final ImportIds ids;
    private final ImportReport report;

    V1Access(Connection v1, Connection gatehouse, ImportIds ids, ImportReport report) {
        this.v1 = v1;
        this.gatehouse = gatehouse;
        this.ids = ids;
        this.report = report;
    }

    void importRoles() throws SQLException {
        Set<String> catalogue = new HashSet<>();
        for (Sql.Row permission : Sql.rows(gatehouse, "select name from permissions")) {
            catalogue.add(permission.text("name"));
        }
        Map<UUID, Set<String>> permissionsOfRole = new HashMap<>();
        for (Sql.Row grant : Sql.rows(v1, """
                select rp.role_id, p.resource, p.action, r.name as role_name, t.slug
                from role_permissions rp join permissions p on p.id = rp.permission_id
                join roles r on r.id = rp.role_id join tenants t on t.id = r.tenant_id
                order by p.resource, p.action, t.slug, r.name""")) {
            String name = grant.text("resource") + ":" + grant.text("action");
            if (catalogue.contains(name)) {
                permissionsOfRole.computeIfAbsent(grant.uuid("role_id"), id -> new LinkedHashSet<>()).add(name);
            } else {
                report.unmappedPermissions.computeIfAbsent(name, n -> new ArrayList<>())
                        .add(grant.text("slug") + "/" + grant.text("role_name"));
            }
        }
        for (Sql.Row role : Sql.rows(v1, "select * from roles order by created_at, id")) {
            UUID tenant = ids.find("tenant", role.uuid("tenant_id"));
            if (tenant == null) {
                continue; // its tenant was skipped, and reported
            }
            UUID id = importRole(role, tenant);
            if (id != null) {
                grant(id, permissionsOfRole.getOrDefault(role.uuid("id"), Set.of()));
            }
        }
    }

    private UUID importRole(Sql.Row role, UUID tenant) throws SQLException {
        UUID v1Id = role.uuid("id");
        UUID mapped = ids.find("role", v1Id);
        if (mapped != null) {
            report.count("roles updated", Sql.update(gatehouse, """
                            update roles set name = ?, description = ?, updated_at = now()
                            where id = ? and (name, description) is distinct from (?, ?)""",
                    role.text("name"), role.text("description"), mapped, role.text("name"), role.text("description")));
            return mapped;
        }
        if (Sql.value(gatehouse, "select 1 from roles where tenant_id = ? and lower(name) = lower(?)",
                tenant, role.text("name")) != null) {
            report.conflict("role " + v1Id + " '" + role.text("name") + "': the tenant has a Gatehouse role of that"
                    + " name already: skipped with its assignments");
            return null;
        }
        UUID id = ids.taken("roles", v1Id) ? Ids.newId() : v1Id;
        Sql.update(gatehouse, """
                        insert into roles (id, tenant_id, name, description, is_system, created_at, updated_at)
                        values (?, ?, ?, ?, false, ?, ?)""",
                id, tenant, role.text("name"), role.text("description"), role.time("created_at"),
                Objects.requireNonNullElse(role.time("updated_at"), role.time("created_at")));
        ids.remember("role", v1Id, id);
        report.count("roles created");
        return id;
    }

    /** The role holds exactly the mapped permissions of its v1 role. */
    private void grant(UUID role, Set<String> permissions) throws SQLException {
        for (String permission : permissions) {
            report.count("role permissions granted", Sql.update(gatehouse, """
                    insert into role_permissions (role_id, permission_name) values (?, ?)
                    on conflict do nothing""", role, permission));
        }
        report.count("role permissions withdrawn", Sql.update(gatehouse,
                "delete from role_permissions where role_id = ? and not (permission_name = any (?))",
                role, gatehouse.createArrayOf("text", permissions.toArray())));
    }

    /** Who holds which role; an assignment a previous run brought and v1 no longer has goes. */
    void importAssignments() throws SQLException {
        Set<String> present = new HashSet<>();
        for (Sql.Row assignment : Sql.rows(v1, "select user_id, role_id from user_roles")) {
            String key = assignment.uuid("user_id") + ":" + assignment.uuid("role_id");
            present.add(key);
            UUID account = ids.find("user", assignment.uuid("user_id"));
            UUID role = ids.find("role", assignment.uuid("role_id"));
            if (account == null || role == null || ids.find("user_role", key) != null) {
                continue; // a skipped user or role (reported), or brought by a previous run
            }
            report.count("role assignments created", Sql.update(gatehouse,
                    "insert into user_roles (user_id, role_id) values (?, ?) on conflict do nothing", account, role));
            ids.remember("user_role", key, role);
        }
        for (String key : ids.v1IdsOf("user_role")) {
            if (!present.contains(key)) {
                String[] pair = key.split(":");
                report.count("role assignments removed", Sql.update(gatehouse,
                        "delete from user_roles where user_id = ? and role_id = ?",
                        ids.find("user", UUID.fromString(pair[0])), ids.find("role", UUID.fromString(pair[1]))));
                ids.forget("user_role", key);
            }
        }
    }
}
