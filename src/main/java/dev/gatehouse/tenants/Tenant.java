package dev.gatehouse.tenants;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An organisation using the product built on Gatehouse; people belong to it through memberships. */
@Entity
@Table(name = "tenants")
public class Tenant {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false, unique = true)
    private String slug;

    @Column(name = "is_active", nullable = false)
    private boolean active;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Tenant() {
    }

    public Tenant(String name, String slug) {
        this.id = Ids.newId();
        this.name = name;
        this.slug = slug;
        this.active = true;
        this.createdAt = Timestamps.now();
        this.updatedAt = createdAt;
    }

    public UUID id() {
        return id;
    }

    public String slug() {
        return slug;
    }

    public TenantSummary summary() {
        return new TenantSummary(id, slug, name);
    }
}
