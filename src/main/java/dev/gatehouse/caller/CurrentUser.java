package dev.gatehouse.caller;

import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.platform.requestlog.RequestContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The authenticated caller of this request. MicroProfile JWT has verified the token (signature, iss, aud,
 * exp) before the request gets here ({@link VerifiedTokenCache}); this adds the caller's live state, the first
 * time a resource asks, and keeps it for the rest of the request: {@link TokenCallers} decides whether the token
 * still speaks for its caller (account, membership and tenant active, token version current, session live),
 * from the {@link CallerCache} or one projection query.
 */
@RequestScoped
public class CurrentUser {

    /**
     * MicroProfile JWT's verified token is the request's user principal. Read from the request rather than
     * through MP-JWT's JsonWebToken producer, which looks the BeanManager up in JNDI on every request (about
     * a measurable share of an authenticated request's CPU: bench/journal/2026-11-28-authenticated-request-profile.md).
     */
    @Inject
    HttpServletRequest request;

    @Inject
    TokenCallers tokenCallers;

    @Inject
    RequestContext requestContext;

    private CallerView caller;
    private UUID sessionId;
    private boolean serviceAccountAllowed;

    /**
     * The caller; 403 person-only for a service account, unless this request's endpoint admits one: an endpoint
     * guarded by a permission ({@link PermissionFilter} says so) acts on the tenant and is the same for both
     * kinds; any other acts on the caller's own person (profile, sessions, second factor) and is a person's.
     */
    public CallerView get() {
        if (caller == null) {
            caller = authenticate();
            requestContext.caller(caller.tenantId(), caller.id(), caller.serviceAccount());
        }
        if (caller.serviceAccount() && !serviceAccountAllowed) {
            throw new ProblemException(ProblemType.PERSON_ONLY, "This endpoint acts on a person's own account;"
                    + " a service account cannot use it.");
        }
        return caller;
    }

    /** The endpoint of this request acts on the tenant under a permission: a service account may call it. */
    public void admitServiceAccount() {
        serviceAccountAllowed = true;
    }

    public UUID id() {
        return get().id();
    }

    public UUID tenantId() {
        return get().tenantId();
    }

    /** The session (refresh-token family) the caller's access token belongs to. */
    public UUID sessionId() {
        get();
        return sessionId;
    }

    /** Refuses with 403 unless the caller holds the permission (or is the superuser, where that is allowed). */
    public void requirePermission(String permission, boolean superuserBypass) {
        CallerView user = get();
        if (!(superuserBypass && user.superuser()) && !Permissions.implies(user.permissions(), permission)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This needs the permission " + permission + ".");
        }
    }

    private CallerView authenticate() {
        if (!(request.getUserPrincipal() instanceof JsonWebToken token) || token.getRawToken() == null) {
            throw unauthorized("Authentication is required: send an access token as a Bearer token.");
        }
        TokenCallers.Verdict verdict = tokenCallers.verdict(token);
        if (!verdict.accepted()) {
            throw unauthorized(verdict.refusal());
        }
        sessionId = verdict.sessionId();
        return verdict.caller();
    }

    /** The access token's authentication methods (claim amr), space separated; empty when it has none. */
    public String authenticationMethods() {
        get();
        JsonWebToken token = (JsonWebToken) request.getUserPrincipal();
        return token.getClaim(TokenClaims.AMR) instanceof JsonArray methods
                ? String.join(" ", methods.getValuesAs(JsonString::getString)) : "";
    }

    /** When the person signed in (claim auth_time); null for a token issued before the claim existed. */
    public Instant authenticatedAt() {
        get();
        Object value = ((JsonWebToken) request.getUserPrincipal()).getClaim(TokenClaims.AUTH_TIME);
        return value instanceof JsonNumber n ? Instant.ofEpochSecond(n.longValue())
                : value instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
    }

    /**
     * A sensitive change of a session that may be stolen (turning MFA on, new recovery codes): 403
     * reauthentication-required unless the person signed in within the last {@code freshness}.
     */
    public void requireRecentSignIn(Duration freshness) {
        Instant authenticatedAt = authenticatedAt();
        if (authenticatedAt == null || authenticatedAt.isBefore(Instant.now().minus(freshness))) {
            throw new ProblemException(ProblemType.REAUTHENTICATION_REQUIRED, "This change needs a recent"
                    + " sign-in: sign in again (POST /api/v1/auth/login) and retry within " + freshness.toMinutes()
                    + " minutes.");
        }
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail);
    }
}
