package dev.gatehouse.access;

import dev.gatehouse.access.Permission.PermissionResponse;
import dev.gatehouse.caller.CurrentUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** /api/v1/permissions: the catalogue, for any signed-in user (it is the same for every tenant). */
@ApplicationScoped
@Path("/api/v1/permissions")
@Produces(MediaType.APPLICATION_JSON)
public class PermissionsResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    RoleService roles;

    @GET
    public List<PermissionResponse> catalogue() {
        currentUser.get();
        return roles.catalogue().stream().map(Permission::toResponse).toList();
    }
}
