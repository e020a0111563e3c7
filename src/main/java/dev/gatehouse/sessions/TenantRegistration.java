package dev.gatehouse.sessions;

import dev.gatehouse.access.RoleService;
import dev.gatehouse.tenants.Tenant;
import dev.gatehouse.tenants.TenantSlugs;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.function.Function;

/**
 * A new tenant with its first user: the tenant (named, with a unique slug), the user the caller makes for it
 * (its superuser), and the default roles with that user as admin. Shared by registration and by the first
 * OAuth sign-in of an unknown identity. Joins the caller's transaction.
 */
@ApplicationScoped
public class TenantRegistration {

    @Inject
    EntityManager em;

    @Inject
    TenantSlugs slugs;

    @Inject
    RoleService roles;

    @Transactional
    public User createWithOwner(String tenantName, Function<Tenant, User> owner) {
        Tenant tenant = new Tenant(tenantName.strip(), slugs.uniqueSlugFor(tenantName));
        em.persist(tenant);
        User user = owner.apply(tenant);
        em.persist(user);
        roles.createDefaultRoles(tenant, user.id());
        em.flush(); // a concurrent registration of the same slug, or OAuth identity, fails here as a 409
        return user;
    }
}
