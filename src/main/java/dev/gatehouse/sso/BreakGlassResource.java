package dev.gatehouse.sso;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/** /api/v1/sso/break-glass: who may still sign in with a password (and a second factor) where SSO is required. */
@ApplicationScoped
@Path("/api/v1/sso/break-glass")
@Produces(MediaType.APPLICATION_JSON)
public class BreakGlassResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    BreakGlassAdmins admins;

    public record BreakGlassList(@NotNull @Size(max = BreakGlassAdmins.MAX) List<@NotBlank String> userIds) {
    }

    public record BreakGlassResponse(List<UUID> userIds) {
    }

    @GET
    @RequiresPermission(value = DomainsResource.MANAGE, superuserBypass = true)
    public BreakGlassResponse list() {
        return new BreakGlassResponse(admins.list(currentUser.tenantId()));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = DomainsResource.MANAGE, superuserBypass = true)
    public BreakGlassResponse replace(@Valid @NotNull BreakGlassList request) {
        return new BreakGlassResponse(admins.replace(currentUser.tenantId(), request.userIds()));
    }
}
