package dev.gatehouse.access;

import dev.gatehouse.access.RoleRecords.RoleAssignment;
import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** /api/v1/users/{id}/roles: the roles a user of the caller's tenant holds. */
@ApplicationScoped
@Path("/api/v1/users/{id}/roles")
@Produces(MediaType.APPLICATION_JSON)
public class UserRolesResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    RoleAssignments roles;

    @GET
    @RequiresPermission(value = "roles:read", superuserBypass = true)
    public List<RoleResponse> rolesOf(@PathParam("id") String userId) {
        return roles.rolesOf(currentUser.tenantId(), userId).stream().map(Role::toResponse).toList();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "roles:manage", superuserBypass = true)
    public List<RoleResponse> replace(@PathParam("id") String userId, @Valid @NotNull RoleAssignment request) {
        return roles.replaceRolesOf(currentUser.get(), userId, request.roleIds()).stream().map(Role::toResponse).toList();
    }
}
