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
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.tenants.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Roles of a tenant and their permissions (who holds them: {@link RoleAssignments}). Every query names the
 * tenant; a role of another tenant is as absent as one that does not exist (404). Nobody grants a permission
 * they do not hold themselves.
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
                throw new ProblemException(ProblemType.SYSTEM_ROLE, "System roles cannot be renamed.");
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
            throw new ProblemException(ProblemType.SYSTEM_ROLE, "System roles cannot be deleted.");
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

    private static List<String> permissionNames(Role role) {
        return role.permissions().stream().map(Permission::name).sorted().toList();
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
                    throw new ProblemException(ProblemType.PRIVILEGE_ESCALATION,
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

    private void requireFreeName(UUID tenantId, String name, UUID exceptRoleId) {
        boolean taken = !em.createQuery("""
                        select 1 from Role r where r.tenantId = :tenant and lower(r.name) = :name
                        and (:except is null or r.id <> :except)""", Integer.class)
                .setParameter("tenant", tenantId).setParameter("name", name.toLowerCase(Locale.ROOT))
                .setParameter("except", exceptRoleId).setMaxResults(1).getResultList().isEmpty();
        if (taken) {
            throw new ProblemException(ProblemType.ROLE_NAME_TAKEN, "The tenant has a role of this name already.");
        }
    }
}
