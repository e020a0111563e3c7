package dev.gatehouse.tenants;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * A member who may still sign in to the tenant with a password (and a second factor) where it requires SSO: the
 * way in when the IdP is down. Named by the tenant's SSO admins (sso/); read by the sign-in projections.
 */
@Entity
@Table(name = "sso_break_glass")
public class SsoBreakGlass {

    @Embeddable
    public record Key(@Column(name = "tenant_id") UUID tenantId, @Column(name = "user_id") UUID userId) {
    }

    @EmbeddedId
    private Key id;

    protected SsoBreakGlass() {
    }
}
