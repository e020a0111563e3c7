package dev.gatehouse.caller;

import dev.gatehouse.platform.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Whom a verified access token speaks for, and whether it still may: the one decision behind every
 * authenticated request ({@link CurrentUser}) and every introspection ({@link TokenIntrospection}), so that a
 * token is active for a resource server exactly when the API would accept it. The account, its membership in
 * the token's tenant and that tenant must be active, the token's version current (logout-all, deactivation and
 * password change raise it) and its session live (logout, reuse detection and a user ending the session end
 * it; for a service account, its credential unrevoked). The state comes from the {@link CallerCache}, or from
 * one projection query when the cache does not hold it.
 */
@ApplicationScoped
public class TokenCallers {

    /** The caller and session of a token still good; otherwise {@code refusal} says why not. */
    public record Verdict(CallerView caller, UUID sessionId, String refusal) {

        static Verdict refused(String refusal) {
            return new Verdict(null, null, refusal);
        }

        public boolean accepted() {
            return caller != null;
        }
    }

    private static final String NOT_OURS = "The access token is not a Gatehouse access token.";

    @Inject
    CallerQuery callerQuery;

    @Inject
    CallerCache callers;

    /** The verdict on a token whose signature, issuer, audience and expiry have been checked already. */
    public Verdict verdict(JsonWebToken token) {
        UUID userId = Ids.parseOrNull(token.getSubject());
        UUID tenantId = tenantOf(token);
        Integer version = intClaim(token, TokenClaims.TOKEN_VERSION);
        UUID session = Ids.parseOrNull(stringClaim(token, TokenClaims.SESSION));
        if (userId == null || tenantId == null || version == null || session == null) {
            return Verdict.refused(NOT_OURS);
        }
        String clientId = stringClaim(token, TokenClaims.CLIENT_ID);
        if (clientId != null && !clientId.equals(userId.toString())) {
            return Verdict.refused(NOT_OURS);
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
            return Verdict.refused("The access token has been revoked.");
        }
        return new Verdict(user, session, null);
    }

    /** The tenant a token is for (claim tenant_id); null when it names none. */
    static UUID tenantOf(JsonWebToken token) {
        return Ids.parseOrNull(stringClaim(token, TokenClaims.TENANT));
    }

    /** A claim as text: the JSON string's value, not its quoted form. */
    public static String stringClaim(JsonWebToken token, String name) {
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
}
