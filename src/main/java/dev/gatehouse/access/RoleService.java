package dev.gatehouse.access;

import dev.gatehouse.access.RoleRecords.NewRole;
import dev.gatehouse.access.RoleRecords.RoleUpdate;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.Permissions;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.tenants.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Roles of a tenant and who holds them. Every query names the tenant; a role or user of another tenant is
 * as absent as one that does not exist (404). Two guards: nobody grants a permission they do not hold
 * themselves, and the tenant always keeps at least one active admin.
 */
@ApplicationScoped
public class RoleService {

    /** The roles every tenant starts with; admin holds the whole catalogue. */
    private static final Map<String, List<String>> DEFAULT_ROLES = Map.of(
            Role.ADMIN, List.of(),
            "member", List.of("users:read", "roles:read"),
            "viewer", List.of("users:read"));
    private static final Map<String, String> DEFAULT_DESCRIPTIONS = Map.of(
            Role.ADMIN, "All permissions of the tenant",
            "member", "Sees the users and roles of the tenant",
            "viewer", "Sees the users of the tenant");

    @Inject
    EntityManager em;

    @Inject
    Event<CallerChanged> callerChanges;

    @Inject
    SecurityEvents securityEvents;

    /** A new tenant's admin, member and viewer roles; its first user becomes admin. Joins the caller's transaction. */
    @Transactional
    public void createDefaultRoles(Tenant tenant, UUID firstUserId) {
        List<Permission> catalogue = catalogue();
        for (String name : List.of(Role.ADMIN, "member", "viewer")) {
            List<Permission> permissions = name.equals(Role.ADMIN) ? catalogue
                    : catalogue.stream().filter(p -> DEFAULT_ROLES.get(name).contains(p.name())).toList();
            Role role = new Role(tenant, name, DEFAULT_DESCRIPTIONS.get(name), true, permissions);
            em.persist(role);
            if (name.equals(Role.ADMIN)) {
                em.persist(new UserRole(firstUserId, role.id()));
            }
        }
    }

    public List<Permission> catalogue() {
        return em.createQuery("select p from Permission p order by p.name", Permission.class).getResultList();
    }

    public List<Role> list(UUID tenantId) {
        return em.createQuery("""
                        select distinct r from Role r left join fetch r.permissions
                        where r.tenantId = :tenant order by r.name""", Role.class)
                .setParameter("tenant", tenantId).getResultList();
    }

    public Role get(UUID tenantId, String roleId) {
        UUID id = Ids.parseOrNull(roleId);
        return id == null ? null : em.createQuery("""
                        select r from Role r left join fetch r.permissions
                        where r.id = :id and r.tenantId = :tenant""", Role.class)
                .setParameter("id", id).setParameter("tenant", tenantId)
                .getResultStream().findFirst().orElse(null);
    }

    @Transactional
    public Role create(CallerView caller, NewRole request) {
        String name = request.name().strip();
        requireFreeName(caller.tenantId(), name, null);
        List<Permission> permissions = grantable(caller, request.permissions() == null ? List.of() : request.permissions());
        Role role = new Role(em.getReference(Tenant.class, caller.tenantId()), name, request.description(), false, permissions);
        em.persist(role);
        em.flush(); // a concurrent role of the same name fails here, as a 409
        securityEvents.record(SecurityEvent.of(SecurityEventType.ROLE_CREATED, caller.tenantId()).subjectRole(role.id())
                .detail("name", name).detail("permissions", permissionNames(role)));
        return role;
    }

    @Transactional
    public Role update(CallerView caller, String roleId, RoleUpdate update) {
        Role role = toChange(caller, roleId);
        if (update.name() != null && !update.name().strip().equals(role.name())) {
            if (role.system()) {
                throw new ProblemException(Status.CONFLICT, "system-role", "System roles cannot be renamed.");
            }
            requireFreeName(caller.tenantId(), update.name().strip(), role.id());
            role.rename(update.name().strip());
        }
        if (update.description() != null) {
            role.describe(update.description());
        }
        em.flush(); // a concurrent rename to the same name fails here, as a 409
        securityEvents.record(SecurityEvent.of(SecurityEventType.ROLE_CHANGED, caller.tenantId()).subjectRole(role.id())
                .detail("name", role.name()));
        return role;
    }

    @Transactional
    public void delete(CallerView caller, String roleId) {
        UUID tenantId = caller.tenantId();
        Role role = toChange(caller, roleId);
        if (role.system()) {
            throw new ProblemException(Status.CONFLICT, "system-role", "System roles cannot be deleted.");
        }
        em.remove(role); // user_roles and role_permissions rows go with it (ON DELETE CASCADE)
        callerChanges.fire(CallerChanged.tenant(tenantId));
        securityEvents.record(SecurityEvent.of(SecurityEventType.ROLE_DELETED, tenantId).subjectRole(role.id())
                .detail("name", role.name()));
    }

    @Transactional
    public Role replacePermissions(CallerView caller, String roleId, List<String> permissionNames) {
        Role role = toChange(caller, roleId);
        role.replacePermissions(grantable(caller, permissionNames));
        callerChanges.fire(CallerChanged.tenant(caller.tenantId()));
        securityEvents.record(SecurityEvent.of(SecurityEventType.ROLE_CHANGED, caller.tenantId()).subjectRole(role.id())
                .detail("name", role.name()).detail("permissions", permissionNames(role)));
        return role;
    }

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
                grantable(caller, role.permissions().stream().map(Permission::name).toList());
            }
        }
        boolean losesAdmin = current.stream().anyMatch(r -> isAdmin(r)) && roles.stream().noneMatch(RoleService::isAdmin);
        if (losesAdmin && lockTenantAndCountOtherActiveAdmins(caller.tenantId(), user) == 0) {
            throw new ProblemException(Status.CONFLICT, "last-admin", "The tenant must keep at least one active admin.");
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

    private static List<String> permissionNames(Role role) {
        return role.permissions().stream().map(Permission::name).sorted().toList();
    }

    /**
     * The tenant's roles with these ids, each of which the caller may hand out (they hold every permission
     * of it, or are the superuser): 404 for an id that names no role of the tenant, 403 otherwise. One statement.
     */
    public List<Role> grantableRoles(CallerView caller, Collection<String> roleIds) {
        List<Role> roles = tenantRoles(caller.tenantId(), roleIds);
        for (Role role : roles) {
            for (Permission permission : role.permissions()) {
                if (!caller.superuser() && !Permissions.implies(caller.permissions(), permission.name())) {
                    throw new ProblemException(Status.FORBIDDEN, "privilege-escalation", "You cannot grant the role "
                            + role.name() + ": it holds the permission " + permission.name() + ", which you do not hold.");
                }
            }
        }
        return roles;
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

    /** The catalogue entries named, each of which the caller may hand out; unknown names are 422, unheld 403. */
    private List<Permission> grantable(CallerView caller, Collection<String> names) {
        Set<String> wanted = new LinkedHashSet<>(names);
        List<Permission> permissions = wanted.isEmpty() ? List.of()
                : em.createQuery("select p from Permission p where p.name in :names", Permission.class)
                    .setParameter("names", wanted).getResultList();
        if (permissions.size() != wanted.size()) {
            Set<String> known = new HashSet<>(permissions.stream().map(Permission::name).toList());
            String unknown = wanted.stream().filter(n -> !known.contains(n)).findFirst().orElse("?");
            throw ProblemException.invalidField("permissions", "unknown permission: " + unknown);
        }
        if (!caller.superuser()) {
            for (String name : wanted) {
                if (!Permissions.implies(caller.permissions(), name)) {
                    throw new ProblemException(Status.FORBIDDEN, "privilege-escalation",
                            "You cannot grant the permission " + name + ", which you do not hold.");
                }
            }
        }
        return permissions;
    }

    /** A role the caller changes: they must hold every permission it holds (or be the superuser). */
    private Role toChange(CallerView caller, String roleId) {
        Role role = existing(caller.tenantId(), roleId);
        caller.requireMayChange("a role", false, role.permissions().stream().map(Permission::name).toList());
        return role;
    }

    private Role existing(UUID tenantId, String roleId) {
        Role role = get(tenantId, roleId);
        if (role == null) {
            throw ProblemException.notFound("Role");
        }
        return role;
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

    private void requireFreeName(UUID tenantId, String name, UUID exceptRoleId) {
        boolean taken = !em.createQuery("""
                        select 1 from Role r where r.tenantId = :tenant and lower(r.name) = :name
                        and (:except is null or r.id <> :except)""", Integer.class)
                .setParameter("tenant", tenantId).setParameter("name", name.toLowerCase(Locale.ROOT))
                .setParameter("except", exceptRoleId).setMaxResults(1).getResultList().isEmpty();
        if (taken) {
            throw new ProblemException(Status.CONFLICT, "role-name-taken", "The tenant has a role of this name already.");
        }
    }
}
