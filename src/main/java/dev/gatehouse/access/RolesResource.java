package dev.gatehouse.access;

import dev.gatehouse.access.RoleRecords.NewRole;
import dev.gatehouse.access.RoleRecords.PermissionSet;
import dev.gatehouse.access.RoleRecords.RoleUpdate;
import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** /api/v1/roles: the roles of the caller's tenant and their permissions. */
@ApplicationScoped
@Path("/api/v1/roles")
@Produces(MediaType.APPLICATION_JSON)
public class RolesResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    RoleService roles;

    @GET
    @RequiresPermission(value = "roles:read", superuserBypass = true)
    public List<RoleResponse> list() {
        return roles.list(currentUser.tenantId()).stream().map(Role::toResponse).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "roles:manage", superuserBypass = true)
    public Response create(@Valid @NotNull NewRole request) {
        RoleResponse created = roles.create(currentUser.get(), request).toResponse();
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @Path("/{id}")
    @RequiresPermission(value = "roles:read", superuserBypass = true)
    public RoleResponse get(@PathParam("id") String id) {
        Role role = roles.get(currentUser.tenantId(), id);
        if (role == null) {
            throw ProblemException.notFound("Role");
        }
        return role.toResponse();
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "roles:manage", superuserBypass = true)
    public RoleResponse update(@PathParam("id") String id, @Valid @NotNull RoleUpdate update) {
        return roles.update(currentUser.get(), id, update).toResponse();
    }

    @DELETE
    @Path("/{id}")
    @RequiresPermission(value = "roles:manage", superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response delete(@PathParam("id") String id) {
        roles.delete(currentUser.get(), id);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id}/permissions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "roles:manage", superuserBypass = true)
    public RoleResponse replacePermissions(@PathParam("id") String id, @Valid @NotNull PermissionSet request) {
        return roles.replacePermissions(currentUser.get(), id, request.permissions()).toResponse();
    }
}
