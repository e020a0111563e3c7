package dev.gatehouse.mfa;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.Permissions;
import dev.gatehouse.mfa.MfaRecords.MfaPolicy;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Whom a tenant requires to use a second factor: the table tenant_mfa_policies, all of whose SQL is here
 * ({@link TenantMfaPolicy} maps it only for the login's projection), and the rule that applies it to a member.
 */
@ApplicationScoped
public class TenantMfaPolicies {

    @Inject
    EntityManager em;

    @Inject
    SecurityEvents securityEvents;

    public MfaPolicy policy(UUID tenantId) {
        List<Tuple> rows = em.createNativeQuery(
                        "select require_all, required_permissions from tenant_mfa_policies where tenant_id = ?1", Tuple.class)
                .setParameter(1, tenantId).getResultList();
        return rows.stream().findFirst()
                .map(row -> new MfaPolicy(row.get("require_all", Boolean.class),
                        permissionList(row.get("required_permissions", String.class))))
                .orElse(new MfaPolicy(false, List.of()));
    }

    /** Permissions must be in the catalogue; the policy applies from each member's next sign-in. */
    @Transactional
    public MfaPolicy change(CallerView admin, MfaPolicy policy) {
        List<String> permissions = policy.requiredPermissions().stream().map(String::strip).distinct().sorted().toList();
        if (!permissions.isEmpty()) {
            long known = ((Number) em.createNativeQuery("select count(*) from permissions where name = any(cast(?1 as text[]))")
                    .setParameter(1, "{" + String.join(",", permissions) + "}").getSingleResult()).longValue();
            if (known != permissions.size()) {
                throw ProblemException.invalidField("required_permissions", "names a permission that does not exist");
            }
        }
        em.createNativeQuery("""
                        insert into tenant_mfa_policies (tenant_id, require_all, required_permissions, updated_at)
                        values (?1, ?2, ?3, ?4)
                        on conflict (tenant_id) do update set require_all = excluded.require_all,
                            required_permissions = excluded.required_permissions, updated_at = excluded.updated_at""")
                .setParameter(1, admin.tenantId()).setParameter(2, policy.requireAll())
                .setParameter(3, String.join(",", permissions)).setParameter(4, Timestamps.now()).executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.MFA_POLICY_CHANGED, admin.tenantId())
                .detail("require_all", policy.requireAll()).detail("required_permissions", permissions));
        return new MfaPolicy(policy.requireAll(), permissions);
    }

    /**
     * Whether the tenant's policy names this member: everybody, or a holder of any permission it lists (a
     * superuser holds them all). One statement, run only for a tenant whose policy lists permissions. A listed
     * permission matches a held one by RBAC's wildcard rule either way round: {@code users:write} in the policy
     * names a holder of {@code users:*}, and {@code users:*} in the policy names a holder of {@code users:write}
     * (or of any other action on users), as an admin who lists it expects.
     */
    public boolean requiredByPermissions(UUID userId, UUID tenantId, List<String> requiredPermissions) {
        Tuple row = (Tuple) em.createNativeQuery("""
                        select m.is_superuser,
                               (select string_agg(rp.permission_name, ',') from user_roles ur
                                join roles r on r.id = ur.role_id and r.tenant_id = m.tenant_id
                                join role_permissions rp on rp.role_id = r.id where ur.user_id = m.user_id) as permissions
                        from memberships m where m.user_id = ?1 and m.tenant_id = ?2""", Tuple.class)
                .setParameter(1, userId).setParameter(2, tenantId).getSingleResult();
        if (Boolean.TRUE.equals(row.get("is_superuser", Boolean.class))) {
            return true;
        }
        var held = Permissions.parse(row.get("permissions", String.class));
        return requiredPermissions.stream().anyMatch(listed -> Permissions.implies(held, listed)
                || held.stream().anyMatch(h -> Permissions.implies(Set.of(listed), h)));
    }

    /** The policy's permissions as the table keeps them, comma-separated. */
    public static List<String> permissionList(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isEmpty() ? List.of() : List.of(commaSeparated.split(","));
    }
}
