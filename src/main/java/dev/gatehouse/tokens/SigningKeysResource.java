package dev.gatehouse.tokens;

import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.VerificationKeys;
import dev.gatehouse.platform.problems.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * /api/v1/admin/signing-keys: the deployment's signing keys, listed, rotated and revoked on demand. The keys
 * sign every tenant's tokens, so only a {@link DeploymentAdmins deployment admin} may; when none is configured,
 * rotation runs on schedule only.
 */
@ApplicationScoped
@Path("/api/v1/admin/signing-keys")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class SigningKeysResource {

    @Inject
    DeploymentAdmins deploymentAdmins;

    @Inject
    SigningKeyStore store;

    @Inject
    VerificationKeys verificationKeys;

    @GET
    public Map<String, List<SigningKeyStore.KeyInfo>> list() {
        deploymentAdmins.require();
        return Map.of("keys", store.list());
    }

    /** The instance that rotates switches as its transaction commits; the others on the notification. */
    @POST
    @Path("/rotate")
    public Map<String, List<SigningKeyStore.KeyInfo>> rotate() {
        CallerView admin = deploymentAdmins.require();
        store.rotate(admin.tenantId());
        verificationKeys.reload();
        return Map.of("keys", store.list());
    }

    @POST
    @Path("/{kid}/revoke")
    public SigningKeyStore.KeyInfo revoke(@PathParam("kid") String kid) {
        CallerView admin = deploymentAdmins.require();
        SigningKeyStore.KeyInfo revoked = store.revoke(kid, admin.tenantId());
        verificationKeys.reload();
        return revoked;
    }
}
