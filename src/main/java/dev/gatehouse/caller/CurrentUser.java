package dev.gatehouse.caller;

import dev.gatehouse.platform.Ids;
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
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The authenticated caller of this request. MicroProfile JWT has verified the token (signature, iss, aud,
 * exp) before the request gets here; this adds the caller's live state, the first time a resource asks, and
 * keeps it for the rest of the request: the account, its membership in the token's tenant and that tenant
 * must be active, the token's version
 * current (logout-all, deactivation and password change raise it) and its session live (logout, reuse
 * detection and a user ending the session end it). The state comes from the
 * {@link CallerCache}, or from one projection query when the cache does not hold it.
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
    CallerQuery callerQuery;

    @Inject
    CallerCache callers;

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
        UUID userId = Ids.parseOrNull(token.getSubject());
        UUID tenantId = Ids.parseOrNull(stringClaim(token, TokenClaims.TENANT));
        Integer version = intClaim(token, TokenClaims.TOKEN_VERSION);
        UUID session = Ids.parseOrNull(stringClaim(token, TokenClaims.SESSION));
        if (userId == null || tenantId == null || version == null || session == null) {
            throw unauthorized("The access token is not a Gatehouse access token.");
        }
        String clientId = stringClaim(token, TokenClaims.CLIENT_ID);
        if (clientId != null && !clientId.equals(userId.toString())) {
            throw unauthorized("The access token is not a Gatehouse access token.");
        }
        BiFunction<UUID, UUID, Optional<CallerView>> query = clientId == null ? callerQuery::find : callerQuery::findServiceAccount;
        CallerView user = callers.get(userId, tenantId, query).orElse(null);
        if (user != null && !user.sessions().contains(session)) {
            // a session (or credential) newer than the cached view, or one that has ended: read the caller again
            user = callers.reload(userId, tenantId, query).orElse(null);
        }
        if (user != null && user.serviceAccount() != (clientId != null)) {
            user = null; // an id of the other kind: never, as ids are unique, but a token must not cross kinds
        }
        if (user == null || !user.usable() || version != user.tokenVersion() || !user.sessions().contains(session)) {
            throw unauthorized("The access token has been revoked.");
        }
        sessionId = session;
        return user;
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

    private static String stringClaim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        return value instanceof JsonString s ? s.getString() : value == null ? null : value.toString();
    }

    private static Integer intClaim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        if (value instanceof JsonNumber n) {
            return n.intValue();
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        return null;
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(ProblemType.UNAUTHORIZED, detail);
    }
}
