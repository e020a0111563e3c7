package dev.gatehouse.tenantadmin;

import dev.gatehouse.access.RoleService;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.tenants.Membership;
import dev.gatehouse.tenants.Tenant;
import dev.gatehouse.tenants.TenantSlugs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * A new tenant with its owner: the tenant (named, with a unique slug), the owner's membership (its superuser)
 * and the default roles with the owner as admin. Shared by registration, the first OAuth sign-in of an
 * unknown identity and POST /tenants. Joins the caller's transaction.
 */
@ApplicationScoped
public class TenantRegistration {

    @Inject
    EntityManager em;

    @Inject
    TenantSlugs slugs;

    @Inject
    RoleService roles;

    @Inject
    SecurityEvents securityEvents;

    public record NewTenant(Tenant tenant, Membership owner) {
    }

    /** {@code ownerId}: an account persisted in this transaction, or an existing one. */
    @Transactional
    public NewTenant create(String tenantName, UUID ownerId) {
        Tenant tenant = new Tenant(tenantName.strip(), slugs.uniqueSlugFor(tenantName));
        em.persist(tenant);
        Membership owner = new Membership(ownerId, tenant.id(), true);
        em.persist(owner);
        roles.createDefaultRoles(tenant, ownerId);
        em.flush(); // a concurrent registration of the same slug, email or OAuth identity fails here as a 409
        securityEvents.record(SecurityEvent.of(SecurityEventType.TENANT_CREATED, tenant.id()).actor(ownerId)
                .subjectUser(ownerId).detail("slug", tenant.slug()));
        return new NewTenant(tenant, owner);
    }
}
