package dev.gatehouse.tokens;

import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.tenants.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who may change what serves every tenant at once (the signing keys, the OpenID Provider's clients): no tenant's
 * superuser by being one, only a superuser of the tenant named by gatehouse.jwt.key-admin-tenant (its slug);
 * unset, nobody may.
 */
@ApplicationScoped
public class DeploymentAdmins {

    @Inject
    CurrentUser currentUser;

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.key-admin-tenant")
    Optional<String> adminTenant;

    /** The caller, when a superuser of the admin tenant; 403 otherwise. */
    public CallerView require() {
        CallerView caller = currentUser.get();
        Tenant tenant = em.find(Tenant.class, caller.tenantId());
        if (!caller.superuser() || tenant == null || !adminTenant.map(String::strip).orElse("").equals(tenant.slug())) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "Only a superuser of the tenant that administers this deployment (gatehouse.jwt.key-admin-tenant) may do this.");
        }
        return caller;
    }
}
