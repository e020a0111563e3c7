package dev.gatehouse.mfa;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.mfa.MfaRecords.MfaPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Whom the caller's tenant requires to use a second factor. */
@ApplicationScoped
@Path("/api/v1/tenant/mfa-policy")
@Produces(MediaType.APPLICATION_JSON)
public class MfaPolicyResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    TenantMfaPolicies policies;

    @GET
    @RequiresPermission(value = "tenant:manage", superuserBypass = true)
    public MfaPolicy policy() {
        return policies.policy(currentUser.tenantId());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "tenant:manage", superuserBypass = true)
    public MfaPolicy changePolicy(@Valid @NotNull MfaPolicy body) {
        return policies.change(currentUser.get(), body);
    }
}
