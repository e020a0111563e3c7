package dev.gatehouse.tokens;

import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.VerificationKeys;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.tenants.Tenant;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * /api/v1/admin/signing-keys: the deployment's signing keys, listed, rotated and revoked on demand. The keys
 * sign every tenant's tokens, so no tenant's superuser may touch them by being one: only a superuser of the
 * tenant named by gatehouse.jwt.key-admin-tenant (its slug) may; unset, nobody may (403) and rotation runs on
 * schedule only.
 */
@ApplicationScoped
@Path("/api/v1/admin/signing-keys")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class SigningKeysResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    SigningKeyStore store;

    @Inject
    VerificationKeys verificationKeys;

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.key-admin-tenant")
    Optional<String> adminTenant;

    @GET
    public Map<String, List<SigningKeyStore.KeyInfo>> list() {
        requireKeyAdmin();
        return Map.of("keys", store.list());
    }

    /** The instance that rotates switches as its transaction commits; the others on the notification. */
    @POST
    @Path("/rotate")
    public Map<String, List<SigningKeyStore.KeyInfo>> rotate() {
        CallerView admin = requireKeyAdmin();
        store.rotate(admin.tenantId());
        verificationKeys.reload();
        return Map.of("keys", store.list());
    }

    @POST
    @Path("/{kid}/revoke")
    public SigningKeyStore.KeyInfo revoke(@PathParam("kid") String kid) {
        CallerView admin = requireKeyAdmin();
        SigningKeyStore.KeyInfo revoked = store.revoke(kid, admin.tenantId());
        verificationKeys.reload();
        return revoked;
    }

    private CallerView requireKeyAdmin() {
        CallerView caller = currentUser.get();
        Tenant tenant = em.find(Tenant.class, caller.tenantId());
        if (!caller.superuser() || tenant == null || !adminTenant.map(String::strip).orElse("").equals(tenant.slug())) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "Only a superuser of the tenant that administers signing keys (gatehouse.jwt.key-admin-tenant) may do this.");
        }
        return caller;
    }
}
