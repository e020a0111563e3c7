package dev.gatehouse.users;

import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.PageRequest;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.users.UserRecords.NewUser;
import dev.gatehouse.users.UserRecords.OwnUserUpdate;
import dev.gatehouse.users.UserRecords.PasswordChange;
import dev.gatehouse.users.UserRecords.UserUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** /api/v1/users: the caller's own account (/me) and, with the users permissions, the members of their tenant. */
@ApplicationScoped
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    UserQueries queries;

    @Inject
    UserService users;

    @Inject
    AccountImport accountImport;

    @Inject
    PasswordReset passwordReset;

    @Inject
    PasswordConfirmation passwordConfirmation;

    @GET
    @Path("/me")
    public UserResponse me() {
        return UserResponse.of(currentUser.get());
    }

    @PATCH
    @Path("/me")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserResponse updateMe(@Valid @NotNull OwnUserUpdate update) {
        CallerView caller = currentUser.get();
        if (UserService.changesEmail(caller, update.email())) {
            if (update.currentPassword() == null) {
                throw ProblemException.invalidField("current_password", "is needed to change the email");
            }
            passwordConfirmation.require(caller, update.currentPassword());
        }
        return users.updateOwn(caller, update);
    }

    @POST
    @Path("/me/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response changeMyPassword(@Valid @NotNull PasswordChange change) {
        CallerView caller = currentUser.get();
        passwordConfirmation.require(caller, change.currentPassword());
        users.changeOwnPassword(caller, change);
        return Response.noContent().build();
    }

    @GET
    @RequiresPermission(value = "users:read", superuserBypass = true)
    public UserListResponse list(@QueryParam("page") @DefaultValue("1") String page,
                                 @QueryParam("page_size") @DefaultValue("20") String pageSize) {
        return queries.page(currentUser.tenantId(), PageRequest.of(page, pageSize));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public Response create(@Valid @NotNull NewUser request) {
        UserResponse created = users.create(currentUser.get(), request);
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public Response importAccounts(@Valid @NotNull UserRecords.AccountImportRequest request) {
        List<UserRecords.ImportedAccountResult> imported = accountImport.importAccounts(currentUser.get(), request.accounts());
        return Response.status(Response.Status.CREATED).entity(new UserRecords.AccountImportResponse(imported)).build();
    }

    @GET
    @Path("/{id}")
    @RequiresPermission(value = "users:read", superuserBypass = true)
    public UserResponse get(@PathParam("id") String id) {
        UUID tenantId = currentUser.tenantId();
        return queries.findInTenant(userId(id), tenantId).map(Member::toResponse)
                .orElseThrow(() -> ProblemException.notFound("User"));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public UserResponse update(@PathParam("id") String id, @Valid @NotNull UserUpdate update) {
        return users.update(currentUser.get(), userId(id), update);
    }

    @POST
    @Path("/{id}/deactivate")
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public UserResponse deactivate(@PathParam("id") String id) {
        return users.setActive(currentUser.get(), userId(id), false);
    }

    @POST
    @Path("/{id}/activate")
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public UserResponse activate(@PathParam("id") String id) {
        return users.setActive(currentUser.get(), userId(id), true);
    }

    @POST
    @Path("/{id}/send-password-reset")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    @RequiresPermission(value = "users:write", superuserBypass = true)
    public Response sendPasswordReset(@PathParam("id") String id) {
        passwordReset.sendByAdmin(currentUser.get(), userId(id));
        return Response.accepted().build();
    }

    /** An id that is not a UUID names no user: 404, like another tenant's user. */
    private static UUID userId(String id) {
        UUID userId = Ids.parseOrNull(id);
        if (userId == null) {
            throw ProblemException.notFound("User");
        }
        return userId;
    }
}
