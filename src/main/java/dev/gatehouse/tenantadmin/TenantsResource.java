package dev.gatehouse.tenantadmin;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.tenants.TenantSummary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * /api/v1/tenants: a signed-in person creates another tenant and becomes its superuser and admin; they sign
 * in to it with POST /auth/switch-tenant. Here rather than in tenants/, because a tenant starts with roles
 * (access/).
 */
@ApplicationScoped
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantsResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    TenantRegistration tenants;

    public record NewTenantRequest(@NotBlank @Size(max = 255) String name) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull NewTenantRequest body) {
        TenantSummary created = tenants.create(body.name(), currentUser.id()).tenant().summary();
        return Response.status(Response.Status.CREATED).entity(created).build();
    }
}
