package dev.gatehouse.serviceaccounts;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A machine of one tenant that calls the API as itself; its id is its OAuth client_id. */
@Entity
@Table(name = "service_accounts")
public class ServiceAccount {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private UUID tenantId;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(name = "is_active", nullable = false)
    private boolean active;

    @Column(name = "created_by")
    private UUID createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ServiceAccount() {
    }

    ServiceAccount(UUID tenantId, String name, String description, UUID createdBy) {
        this.id = Ids.newId();
        this.tenantId = tenantId;
        this.name = name;
        this.description = description;
        this.active = true;
        this.createdBy = createdBy;
        this.createdAt = Timestamps.now();
        this.updatedAt = createdAt;
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

    public boolean active() {
        return active;
    }

    void rename(String newName) {
        name = newName;
        updatedAt = Timestamps.now();
    }

    void describe(String newDescription) {
        description = newDescription;
        updatedAt = Timestamps.now();
    }

    void activate(boolean newActive) {
        active = newActive;
        updatedAt = Timestamps.now();
    }

    ServiceAccountRecords.ServiceAccountResponse toResponse(List<UUID> roleIds) {
        return new ServiceAccountRecords.ServiceAccountResponse(id, id.toString(), tenantId, name, description, active,
                roleIds, createdBy, createdAt, updatedAt);
    }
}
