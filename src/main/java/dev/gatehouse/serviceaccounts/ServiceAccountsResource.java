package dev.gatehouse.serviceaccounts;

import dev.gatehouse.access.RoleRecords.RoleAssignment;
import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.CredentialList;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.NewPublicKey;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.NewSecret;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.NewServiceAccount;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.ServiceAccountList;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.ServiceAccountResponse;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.ServiceAccountUpdate;
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

/** /api/v1/service-accounts: the machines of the caller's tenant, their roles and their credentials. */
@ApplicationScoped
@Path("/api/v1/service-accounts")
@Produces(MediaType.APPLICATION_JSON)
public class ServiceAccountsResource {

    private static final String READ = "service_accounts:read";
    private static final String MANAGE = "service_accounts:manage";

    @Inject
    CurrentUser currentUser;

    @Inject
    ServiceAccounts accounts;

    @GET
    @RequiresPermission(value = READ, superuserBypass = true)
    public ServiceAccountList list() {
        return new ServiceAccountList(accounts.list(currentUser.tenantId()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public Response create(@Valid @NotNull NewServiceAccount request) {
        return Response.status(Response.Status.CREATED).entity(accounts.create(currentUser.get(), request)).build();
    }

    @GET
    @Path("/{id}")
    @RequiresPermission(value = READ, superuserBypass = true)
    public ServiceAccountResponse get(@PathParam("id") String id) {
        return accounts.get(currentUser.tenantId(), id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public ServiceAccountResponse update(@PathParam("id") String id, @Valid @NotNull ServiceAccountUpdate update) {
        return accounts.update(currentUser.get(), id, update);
    }

    @DELETE
    @Path("/{id}")
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response delete(@PathParam("id") String id) {
        accounts.delete(currentUser.get(), id);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public ServiceAccountResponse replaceRoles(@PathParam("id") String id, @Valid @NotNull RoleAssignment request) {
        return accounts.replaceRoles(currentUser.get(), id, request.roleIds());
    }

    @GET
    @Path("/{id}/credentials")
    @RequiresPermission(value = READ, superuserBypass = true)
    public CredentialList credentials(@PathParam("id") String id) {
        return new CredentialList(accounts.credentials(currentUser.tenantId(), id));
    }

    /** A new client secret, shown in this answer only. */
    @POST
    @Path("/{id}/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public Response issueSecret(@PathParam("id") String id, @Valid @NotNull NewSecret request) {
        return Response.status(Response.Status.CREATED).entity(accounts.issueSecret(currentUser.get(), id, request)).build();
    }

    @POST
    @Path("/{id}/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public Response addPublicKey(@PathParam("id") String id, @Valid @NotNull NewPublicKey request) {
        return Response.status(Response.Status.CREATED).entity(accounts.addPublicKey(currentUser.get(), id, request)).build();
    }

    @DELETE
    @Path("/{id}/credentials/{credentialId}")
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response revokeCredential(@PathParam("id") String id, @PathParam("credentialId") String credentialId) {
        accounts.revokeCredential(currentUser.get(), id, credentialId);
        return Response.noContent().build();
    }
}
