package dev.gatehouse.mfa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Whom a tenant requires to use a second factor. Mapped for the login's projection. */
@Entity
@Table(name = "tenant_mfa_policies")
public class TenantMfaPolicy {

    @Id
    @Column(name = "tenant_id")
    private UUID tenantId;

    @Column(name = "require_all", nullable = false)
    private boolean requireAll;

    @Column(name = "required_permissions", nullable = false)
    private String requiredPermissions;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected TenantMfaPolicy() {
    }
}
