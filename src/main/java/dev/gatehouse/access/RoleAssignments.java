package dev.gatehouse.access;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.Permissions;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Who holds which roles of a tenant (the table user_roles). Every query names the tenant; a role or user of
 * another tenant is as absent as one that does not exist (404). Two guards: nobody hands out a role with a
 * permission they do not hold themselves, and the tenant always keeps at least one active admin.
 */
@ApplicationScoped
public class RoleAssignments {

    @Inject
    EntityManager em;

    @Inject
    Event<CallerChanged> callerChanges;

    @Inject
    SecurityEvents securityEvents;

    public List<Role> rolesOf(UUID tenantId, String userId) {
        UUID user = Ids.parseOrNull(userId);
        superuserFlag(tenantId, user); // 404 for a user outside the tenant
        return rolesOf(tenantId, user);
    }

    private List<Role> rolesOf(UUID tenantId, UUID user) {
        return em.createQuery("""
                        select distinct r from Role r left join fetch r.permissions
                        where r.tenantId = :tenant and r.id in (select ur.id.roleId from UserRole ur where ur.id.userId = :user)
                        order by r.name""", Role.class)
                .setParameter("tenant", tenantId).setParameter("user", user).getResultList();
    }

    /**
     * Replaces the roles a user holds. The caller must hold every permission of every role they hand out,
     * and the tenant must keep an active admin.
     */
    @Transactional
    public List<Role> replaceRolesOf(CallerView caller, String userId, List<String> roleIds) {
        UUID user = Ids.parseOrNull(userId);
        boolean targetSuperuser = superuserFlag(caller.tenantId(), user);
        List<Role> roles = tenantRoles(caller.tenantId(), roleIds);
        List<Role> current = rolesOf(caller.tenantId(), user);
        caller.requireMayChange("a user", targetSuperuser, current.stream()
                .flatMap(r -> r.permissions().stream()).map(Permission::name).toList());
        for (Role role : roles) {
            if (current.stream().noneMatch(r -> r.id().equals(role.id()))) {
                requireGrantable(caller, role);
            }
        }
        boolean losesAdmin = current.stream().anyMatch(RoleAssignments::isAdmin)
                && roles.stream().noneMatch(RoleAssignments::isAdmin);
        if (losesAdmin && lockTenantAndCountOtherActiveAdmins(caller.tenantId(), user) == 0) {
            throw new ProblemException(ProblemType.LAST_ADMIN, "The tenant must keep at least one active admin.");
        }
        em.createQuery("""
                        delete from UserRole ur where ur.id.userId = :user
                        and ur.id.roleId in (select r.id from Role r where r.tenantId = :tenant)""")
                .setParameter("user", user).setParameter("tenant", caller.tenantId()).executeUpdate();
        callerChanges.fire(CallerChanged.user(user));
        for (Role role : roles) {
            em.persist(new UserRole(user, role.id()));
        }
        List<Role> sorted = roles.stream().sorted(Comparator.comparing(Role::name)).toList();
        securityEvents.record(SecurityEvent.of(SecurityEventType.ROLES_ASSIGNED, caller.tenantId()).subjectUser(user)
                .detail("roles", sorted.stream().map(Role::name).toList()));
        return sorted;
    }

    /**
     * The tenant's roles with these ids, each of which the caller may hand out (they hold every permission
     * of it, or are the superuser): 404 for an id that names no role of the tenant, 403 otherwise. One statement.
     */
    public List<Role> grantableRoles(CallerView caller, Collection<String> roleIds) {
        List<Role> roles = tenantRoles(caller.tenantId(), roleIds);
        roles.forEach(role -> requireGrantable(caller, role));
        return roles;
    }

    private static void requireGrantable(CallerView caller, Role role) {
        for (Permission permission : role.permissions()) {
            if (!caller.superuser() && !Permissions.implies(caller.permissions(), permission.name())) {
                throw new ProblemException(ProblemType.PRIVILEGE_ESCALATION, "You cannot grant the role "
                        + role.name() + ": it holds the permission " + permission.name() + ", which you do not hold.");
            }
        }
    }

    /**
     * The tenant's roles with these ids (duplicates count once), with their permissions: one statement, none for
     * no ids. 404 for an id that is malformed or names no role of the tenant.
     */
    private List<Role> tenantRoles(UUID tenantId, Collection<String> roleIds) {
        Set<UUID> wanted = new LinkedHashSet<>();
        for (String roleId : roleIds) {
            UUID id = Ids.parseOrNull(roleId);
            if (id == null) {
                throw ProblemException.notFound("Role " + roleId);
            }
            wanted.add(id);
        }
        List<Role> roles = wanted.isEmpty() ? List.of() : em.createQuery("""
                        select distinct r from Role r left join fetch r.permissions
                        where r.tenantId = :tenant and r.id in :ids""", Role.class)
                .setParameter("tenant", tenantId).setParameter("ids", wanted).getResultList();
        if (roles.size() != wanted.size()) {
            throw ProblemException.notFound("Role");
        }
        return roles;
    }

    /** True when this member is the tenant's only active admin: they may not lose the role or be deactivated. */
    public boolean isLastActiveAdmin(UUID tenantId, UUID userId) {
        boolean isAdmin = !em.createQuery("""
                        select 1 from UserRole ur join Role r on r.id = ur.id.roleId
                        where ur.id.userId = :user and r.tenantId = :tenant and r.system = true and r.name = :admin""", Integer.class)
                .setParameter("user", userId).setParameter("tenant", tenantId).setParameter("admin", Role.ADMIN)
                .setMaxResults(1).getResultList().isEmpty();
        return isAdmin && lockTenantAndCountOtherActiveAdmins(tenantId, userId) == 0;
    }

    /**
     * Only on the paths that can remove an admin: the tenant's row lock makes two such changes (two admins
     * demoting each other) take turns, so the second counts after the first has committed.
     */
    private long lockTenantAndCountOtherActiveAdmins(UUID tenantId, UUID userId) {
        em.createNativeQuery("select id from tenants where id = ?1 for update").setParameter(1, tenantId).getResultList();
        return activeAdminsOtherThan(tenantId, userId);
    }

    private static boolean isAdmin(Role role) {
        return role.system() && role.name().equals(Role.ADMIN);
    }

    private long activeAdminsOtherThan(UUID tenantId, UUID userId) {
        return em.createQuery("""
                        select count(m) from Membership m
                        where m.id.tenantId = :tenant and m.active = true and m.id.userId <> :user
                        and exists (select 1 from UserRole ur join Role r on r.id = ur.id.roleId
                                    where ur.id.userId = m.id.userId and r.tenantId = :tenant and r.system = true
                                      and r.name = :admin)""", Long.class)
                .setParameter("tenant", tenantId).setParameter("user", userId).setParameter("admin", Role.ADMIN)
                .getSingleResult();
    }

    /** Whether this member of the tenant is its superuser; 404 for an account that is not a member, or none. */
    private boolean superuserFlag(UUID tenantId, UUID userId) {
        List<Boolean> flag = userId == null ? List.of() : em.createQuery(
                        "select m.superuser from Membership m where m.id.userId = :id and m.id.tenantId = :tenant",
                        Boolean.class)
                .setParameter("id", userId).setParameter("tenant", tenantId).getResultList();
        if (flag.isEmpty()) {
            throw ProblemException.notFound("User");
        }
        return flag.getFirst();
    }
}
