package dev.gatehouse.provisioning;

import dev.gatehouse.access.Role;
import dev.gatehouse.access.RoleAssignments;
import dev.gatehouse.access.UserRole;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.Permissions;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.users.UserQueries;
import dev.gatehouse.users.UserToChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Groups are the tenant's roles, and a group's members the role's holders: a directory puts people in roles
 * the tenant's admins made, under the escalation rules with the token's creator as the one granting (never a
 * role holding a permission the creator did not hold, never a member the creator could not change), and the
 * tenant keeps an active admin. It never creates, renames or deletes a role: roles carry permissions, which
 * are the tenant's admins' to decide.
 */
@ApplicationScoped
public class ScimGroups {

    /** A role as a group: its holders' ids, or null when the request excluded members. */
    record Group(UUID id, String displayName, Instant created, Instant lastModified, List<UUID> members) {
    }

    /** One page of groups and how many match in all. */
    record Page(long total, List<Group> groups) {
    }

    @Inject
    EntityManager em;

    @Inject
    UserQueries queries;

    @Inject
    RoleAssignments roleAssignments;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

    private static String groups(boolean withMembers) {
        return """
                select r.id, r.name, r.created_at, r.updated_at, %s as members
                from roles r where r.tenant_id = ?1""".formatted(withMembers
                ? "(select string_agg(ur.user_id::text, ',' order by ur.user_id) from user_roles ur where ur.role_id = r.id)"
                : "null");
    }

    Optional<Group> find(UUID tenantId, UUID roleId, boolean withMembers) {
        List<Tuple> rows = em.createNativeQuery(groups(withMembers) + " and r.id = ?2", Tuple.class)
                .setParameter(1, tenantId).setParameter(2, roleId).getResultList();
        return rows.stream().findFirst().map(row -> group(row, withMembers));
    }

    /**
     * The groups the filter matches (all when none), in sortBy's order then oldest role first, and how many
     * match in all. A tenant has a handful of roles, so they are read in one statement and paged here.
     */
    Page page(UUID tenantId, ScimListRequest request, boolean withMembers) {
        ScimFilterSql.Sql where = request.filter() == null ? null : ScimFilterSql.toSql(request.filter(), ScimFilterSql.GROUPS, 2);
        Query query = em.createNativeQuery(groups(withMembers) + (where == null ? "" : " and " + where.where())
                + ScimFilterSql.orderBy(request.sortBy(), request.descending(), ScimFilterSql.GROUPS, "r.created_at, r.id"),
                Tuple.class).setParameter(1, tenantId);
        if (where != null) {
            for (int i = 0; i < where.parameters().size(); i++) {
                query.setParameter(2 + i, where.parameters().get(i));
            }
        }
        @SuppressWarnings("unchecked")
        List<Tuple> rows = query.getResultList();
        List<Group> groups = rows.stream().map(row -> group(row, withMembers)).toList();
        int from = Math.min(request.startIndex() - 1, groups.size());
        return new Page(groups.size(), groups.subList(from, Math.min(groups.size(), from + request.count())));
    }

    /** Adds and removes holders of the role as a PATCH says; the group as it is then. */
    @Transactional
    public Group patch(ScimDirectory directory, UUID roleId, ScimGroupPatch changes) {
        Role role = em.createQuery("select r from Role r left join fetch r.permissions where r.id = :id and r.tenantId = :tenant",
                        Role.class).setParameter("id", roleId).setParameter("tenant", directory.tenantId())
                .getResultStream().findFirst().orElseThrow(() -> ScimException.notFound("Group"));
        if (changes.displayName() != null && !changes.displayName().equals(role.name())) {
            throw ScimException.mutability("A group is a role of the tenant: its admins name it in Gatehouse.");
        }
        Set<UUID> holders = Set.copyOf(find(directory.tenantId(), roleId, true).orElseThrow().members());
        Set<UUID> wanted = changes.apply(holders);
        for (UUID added : wanted.stream().filter(id -> !holders.contains(id)).sorted().toList()) {
            requireGrantable(directory, role);
            UUID userId = memberToChange(directory, added);
            em.persist(new UserRole(userId, roleId));
            record(directory, role, userId, "added");
        }
        for (UUID removed : holders.stream().filter(id -> !wanted.contains(id)).sorted().toList()) {
            memberToChange(directory, removed);
            if (role.system() && role.name().equals(Role.ADMIN) && roleAssignments.isLastActiveAdmin(directory.tenantId(), removed)) {
                throw ScimException.mutability("The tenant must keep at least one active admin.");
            }
            em.createQuery("delete from UserRole ur where ur.id.userId = :user and ur.id.roleId = :role")
                    .setParameter("user", removed).setParameter("role", roleId).executeUpdate();
            record(directory, role, removed, "removed");
        }
        em.flush();
        return find(directory.tenantId(), roleId, true).orElseThrow();
    }

    private static void requireGrantable(ScimDirectory directory, Role role) {
        boolean grantable = directory.creatorSuperuser() || role.permissions().stream()
                .allMatch(p -> Permissions.implies(directory.creatorPermissions(), p.name()));
        if (!grantable) {
            throw new ScimException(403, null, "The group " + role.name() + " holds permissions the SCIM token's creator"
                    + " did not: the directory cannot add members to it.");
        }
    }

    /** A member of the tenant the directory may change (as ScimUsers' rule); 400 when the id names no member. */
    private UUID memberToChange(ScimDirectory directory, UUID userId) {
        UserToChange target = queries.findToChange(userId, directory.tenantId())
                .orElseThrow(() -> ScimException.invalidValue("No user of this tenant has the id " + userId + "."));
        if (!directory.mayChange(target.member().membership().superuser(), target.permissions())) {
            throw new ScimException(403, null, "This member holds permissions the SCIM token's creator did not:"
                    + " the directory cannot change their groups.");
        }
        callerChanges.fire(CallerChanged.user(userId));
        return userId;
    }

    private void record(ScimDirectory directory, Role role, UUID userId, String change) {
        securityEvents.record(SecurityEvent.of(SecurityEventType.ROLES_ASSIGNED, directory.tenantId()).subjectUser(userId)
                .subjectRole(role.id()).detail("directory", directory.tokenId().toString())
                .detail(change, List.of(role.name())));
    }

    private static Group group(Tuple row, boolean withMembers) {
        String members = row.get("members", String.class);
        return new Group(row.get("id", UUID.class), row.get("name", String.class), Timestamps.instant(row.get("created_at")),
                Timestamps.instant(row.get("updated_at")), !withMembers ? null : members == null ? List.of()
                : Arrays.stream(members.split(",")).map(Ids::parseOrNull).toList());
    }
}
