package dev.gatehouse.mfa;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.mfa.MfaRecords.CodeRequest;
import dev.gatehouse.mfa.MfaRecords.DisableRequest;
import dev.gatehouse.mfa.MfaRecords.RecoveryCodes;
import dev.gatehouse.mfa.MfaRecords.TotpEnrolment;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.users.PasswordConfirmation;
import dev.gatehouse.users.UserQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The signed-in caller's own second factor. Its own root path: under the class path /api/v1/users a JAX-RS
 * match would stop at the users resource.
 */
@ApplicationScoped
@Path("/api/v1/users/me/mfa")
@Produces(MediaType.APPLICATION_JSON)
public class MfaResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    MultiFactor multiFactor;

    @Inject
    UserQueries users;

    @Inject
    PasswordConfirmation passwordConfirmation;

    /** How recent a sign-in must be to enrol a factor or get new recovery codes with an access token. */
    @Inject
    @ConfigProperty(name = "gatehouse.reauthentication-minutes")
    int reauthenticationMinutes;

    private Duration reauthentication() {
        return Duration.ofMinutes(reauthenticationMinutes);
    }

    @POST
    @Path("/totp")
    public TotpEnrolment startEnrolment() {
        currentUser.requireRecentSignIn(reauthentication());
        String email = users.findInTenant(currentUser.id(), currentUser.tenantId()).orElseThrow().user().email();
        return multiFactor.start(currentUser.id(), email);
    }

    @POST
    @Path("/totp/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    public RecoveryCodes confirmEnrolment(@Valid @NotNull CodeRequest body) {
        return new RecoveryCodes(multiFactor.confirm(currentUser.id(), currentUser.tenantId(), body.code()));
    }

    /** A POST: the proof rides in a body, and DELETE requests carry none here (platform/http/InputGuard). */
    @POST
    @Path("/totp/disable")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response disable(@Valid @NotNull DisableRequest body) {
        passwordConfirmation.require(currentUser.get(), body.password());
        multiFactor.disable(currentUser.get(), body.code());
        return Response.noContent().build();
    }

    @POST
    @Path("/recovery-codes")
    @Consumes(MediaType.APPLICATION_JSON)
    public RecoveryCodes regenerateRecoveryCodes(@Valid @NotNull CodeRequest body) {
        currentUser.requireRecentSignIn(reauthentication());
        return new RecoveryCodes(multiFactor.regenerateRecoveryCodes(currentUser.get(), body.code()));
    }
}
