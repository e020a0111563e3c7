package dev.gatehouse.access;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.tenants.Tenant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A named set of permissions within one tenant. System roles (admin, member, viewer) keep their name. */
@Entity
@Table(name = "roles")
public class Role {

    public static final String ADMIN = "admin";

    /**
     * A JPQL select-clause subquery: the comma-separated names of the roles the user aliased {@code u} holds
     * in the tenant aliased {@code t}, null when none. Projections take it so that role names cost no
     * statement of their own; {@link #names} reads the result.
     */
    public static final String NAMES_OF_USER_U_IN_T = """
            (select listagg(rn.name, ',') within group (order by rn.name)
             from UserRole urn join Role rn on rn.id = urn.id.roleId where urn.id.userId = u.id and rn.tenantId = t.id)""";

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "tenant_id", nullable = false, updatable = false)
    private Tenant tenant;

    @Column(name = "tenant_id", insertable = false, updatable = false)
    private UUID tenantId;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(name = "is_system", nullable = false)
    private boolean system;

    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "role_permissions",
            joinColumns = @JoinColumn(name = "role_id"),
            inverseJoinColumns = @JoinColumn(name = "permission_name"))
    private Set<Permission> permissions = new HashSet<>();

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Role() {
    }

    public Role(Tenant tenant, String name, String description, boolean system, Collection<Permission> permissions) {
        this.id = Ids.newId();
        this.tenant = tenant;
        this.tenantId = tenant.id();
        this.name = name;
        this.description = description;
        this.system = system;
        this.permissions.addAll(permissions);
        this.createdAt = Timestamps.now();
        this.updatedAt = createdAt;
    }

    /** The role names of {@link #NAMES_OF_USER_U_IN_T}'s aggregate. */
    public static List<String> names(String aggregate) {
        return aggregate == null || aggregate.isEmpty() ? List.of() : List.of(aggregate.split(","));
    }

    public UUID id() {
        return id;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public String name() {
        return name;
    }

    public boolean system() {
        return system;
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    public void rename(String name) {
        this.name = name;
        touch();
    }

    public void describe(String description) {
        this.description = description;
        touch();
    }

    public void replacePermissions(Collection<Permission> permissions) {
        this.permissions.clear();
        this.permissions.addAll(permissions);
        touch();
    }

    private void touch() {
        this.updatedAt = Timestamps.now();
    }

    /** Needs the permissions loaded (the queries that return roles fetch them). */
    public RoleResponse toResponse() {
        return new RoleResponse(id, tenantId, name, description, system,
                permissions.stream().map(Permission::name).sorted().toList(), createdAt, updatedAt);
    }
}
