package dev.gatehouse.tenants;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's email domain as sign-ins read it (in their one projection query): proved or not, and whether the
 * tenant requires SSO of it. Written only by sso/ (TenantDomains), never through this entity.
 */
@Entity
@Table(name = "tenant_domains")
public class TenantDomain {

    /** JPQL: the domain of account {@code u}'s email, as domains are kept (lower case). */
    public static final String DOMAIN_OF_USER_U = "substring(lower(u.email), locate('@', u.email) + 1)";

    /** JPQL: the tenant {@code :tenant} proved the domain of account {@code u}'s email (it manages the account). */
    public static final String PROVED_BY_TENANT_FOR_USER_U = """
            exists (select 1 from TenantDomain d where d.tenantId = :tenant and d.verifiedAt is not null
                    and d.domain = %s)""".formatted(DOMAIN_OF_USER_U);

    @Id
    private UUID id;

    @Column(name = "tenant_id", insertable = false, updatable = false)
    private UUID tenantId;

    @Column(insertable = false, updatable = false)
    private String domain;

    @Column(name = "require_sso", insertable = false, updatable = false)
    private boolean requireSso;

    @Column(name = "verified_at", insertable = false, updatable = false)
    private Instant verifiedAt;

    protected TenantDomain() {
    }
}
