package dev.gatehouse.tenants;

import dev.gatehouse.platform.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An account's place in a tenant: that tenant's active and superuser flags (its roles are the account's
 * user_roles of the tenant's roles). Deactivating a membership closes this tenant only; the account's own
 * active flag closes every tenant. Mapped by ids, so tenants/ needs nothing of users/.
 */
@Entity
@Table(name = "memberships")
public class Membership {

    @Embeddable
    public record Key(@Column(name = "user_id") UUID userId, @Column(name = "tenant_id") UUID tenantId) {
    }

    @EmbeddedId
    private Key id;

    @Column(name = "is_active", nullable = false)
    private boolean active;

    @Column(name = "is_superuser", nullable = false)
    private boolean superuser;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** Written with each new session's refresh token (sessions/RefreshTokens), never through this entity. */
    @Column(name = "last_used_at", insertable = false, updatable = false)
    private Instant lastUsedAt;

    protected Membership() {
    }

    public Membership(UUID userId, UUID tenantId, boolean superuser) {
        this.id = new Key(userId, tenantId);
        this.active = true;
        this.superuser = superuser;
        this.createdAt = Timestamps.now();
        this.updatedAt = createdAt;
    }

    public UUID userId() {
        return id.userId();
    }

    public UUID tenantId() {
        return id.tenantId();
    }

    public boolean active() {
        return active;
    }

    public boolean superuser() {
        return superuser;
    }

    public void activate() {
        this.active = true;
        this.updatedAt = Timestamps.now();
    }

    public void deactivate() {
        this.active = false;
        this.updatedAt = Timestamps.now();
    }
}
