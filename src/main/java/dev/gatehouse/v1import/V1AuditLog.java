package dev.gatehouse.v1import;

import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.platform.Ids;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * v1's audit_logs as security events, where the action maps onto an event type (table below; an action is
 * compared in lower case with "." and "-" read as "_"). The event keeps its time (its id is ordered by it),
 * tenant, user, address and user agent; its details say where it came from. Other actions are counted in the
 * report and left in v1.
 */
final class V1AuditLog {

    static final Map<String, SecurityEventType> TYPES = Map.ofEntries(
            Map.entry("login", SecurityEventType.LOGIN_SUCCEEDED),
            Map.entry("user_login", SecurityEventType.LOGIN_SUCCEEDED),
            Map.entry("oauth_login", SecurityEventType.LOGIN_SUCCEEDED),
            Map.entry("login_failed", SecurityEventType.LOGIN_FAILED),
            Map.entry("logout", SecurityEventType.LOGOUT),
            Map.entry("register", SecurityEventType.USER_CREATED),
            Map.entry("user_create", SecurityEventType.USER_CREATED),
            Map.entry("user_created", SecurityEventType.USER_CREATED),
            Map.entry("user_update", SecurityEventType.USER_CHANGED),
            Map.entry("user_updated", SecurityEventType.USER_CHANGED),
            Map.entry("user_activated", SecurityEventType.USER_ACTIVATED),
            Map.entry("user_deactivated", SecurityEventType.USER_DEACTIVATED),
            Map.entry("password_change", SecurityEventType.PASSWORD_CHANGED),
            Map.entry("password_changed", SecurityEventType.PASSWORD_CHANGED),
            Map.entry("password_reset", SecurityEventType.PASSWORD_RESET),
            Map.entry("role_create", SecurityEventType.ROLE_CREATED),
            Map.entry("role_created", SecurityEventType.ROLE_CREATED),
            Map.entry("role_update", SecurityEventType.ROLE_CHANGED),
            Map.entry("role_updated", SecurityEventType.ROLE_CHANGED),
            Map.entry("role_delete", SecurityEventType.ROLE_DELETED),
            Map.entry("role_deleted", SecurityEventType.ROLE_DELETED),
            Map.entry("role_assign", SecurityEventType.ROLES_ASSIGNED),
            Map.entry("role_assigned", SecurityEventType.ROLES_ASSIGNED),
            Map.entry("tenant_create", SecurityEventType.TENANT_CREATED),
            Map.entry("tenant_created", SecurityEventType.TENANT_CREATED));

    private final Connection v1;
    private final Connection gatehouse;
    private final ImportIds ids;
    private final ImportReport report;

    V1AuditLog(Connection v1, Connection gatehouse, ImportIds ids, ImportReport report) {
        this.v1 = v1;
        this.gatehouse = gatehouse;
        this.ids = ids;
        this.report = report;
    }

    void importAuditLogs() throws SQLException {
        for (Sql.Row entry : Sql.rows(v1, """
                select id, tenant_id, user_id, action, resource_type, resource_id, ip_address, user_agent, created_at
                from audit_logs order by created_at, id""")) {
            if (ids.find("audit_log", entry.uuid("id")) != null) {
                continue;
            }
            String action = entry.text("action");
            SecurityEventType type = TYPES.get(action.toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            if (type == null) {
                report.unmappedAuditActions.merge(action, 1, Integer::sum);
                continue;
            }
            UUID tenant = entry.uuid("tenant_id") == null ? null : ids.find("tenant", entry.uuid("tenant_id"));
            UUID user = entry.uuid("user_id") == null ? null : ids.find("user", entry.uuid("user_id"));
            UUID id = Ids.newIdAt(entry.time("created_at").toEpochMilli());
            Sql.update(gatehouse, """
                            insert into security_events (id, tenant_id, occurred_at, type, outcome, actor_user_id,
                                                         actor_address, subject_user_id, user_agent, details)
                            values (?, ?, ?, ?, ?, ?, left(?, 64), ?, left(?, 512),
                                    jsonb_build_object('imported_from', 'v1', 'v1_action', ?::text,
                                                       'v1_resource_type', ?::text, 'v1_resource_id', ?::text))""",
                    id, tenant, entry.time("created_at"), type.wireName(),
                    type == SecurityEventType.LOGIN_FAILED ? "failure" : "success", user, entry.text("ip_address"), user,
                    entry.text("user_agent"), action, entry.text("resource_type"), entry.text("resource_id"));
            ids.remember("audit_log", entry.uuid("id"), id);
            report.count("audit log entries as security events");
        }
    }
}
