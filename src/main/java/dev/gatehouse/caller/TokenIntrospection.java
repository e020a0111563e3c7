package dev.gatehouse.caller;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * The answer of token introspection (RFC 7662 §2.2) about a token, for a client of one tenant. A token is active
 * exactly when an API request with it would be accepted: it verifies as a request's bearer token does
 * ({@link VerifiedTokenCache}: an accepted key, issuer, audience, expiry) and {@link TokenCallers} accepts its
 * caller, from the caller cache, so that introspecting a token of a cached caller reads no database. Anything
 * else (not a token of ours, expired, signed with a revoked key, revoked, a refresh token, a token of another
 * tenant) is {@code {"active":false}} and nothing more: the answer must not tell a resource server why, nor
 * anything about another tenant.
 */
@ApplicationScoped
public class TokenIntrospection {

    public static final JsonObject INACTIVE = Json.createObjectBuilder().add("active", false).build();

    @Inject
    VerifiedTokenCache tokens;

    @Inject
    TokenCallers tokenCallers;

    /** What a client of {@code clientTenantId} may learn about {@code token}. */
    public JsonObject introspect(String token, UUID clientTenantId) {
        VerifiedToken verified = tokens.verified(token);
        // the tenant before the caller: another tenant's token costs no caller lookup and fills no cache entry
        if (verified == null || !clientTenantId.equals(TokenCallers.tenantOf(verified))) {
            return INACTIVE;
        }
        TokenCallers.Verdict verdict = tokenCallers.verdict(verified);
        if (!verdict.accepted()) {
            return INACTIVE;
        }
        CallerView caller = verdict.caller();
        JsonObjectBuilder answer = Json.createObjectBuilder()
                .add("active", true)
                .add("sub", caller.id().toString());
        if (caller.serviceAccount()) {
            answer.add("client_id", caller.id().toString());
        }
        answer.add("token_type", "Bearer");
        for (String time : new String[] {"exp", "iat", "nbf"}) {
            addTime(answer, verified, time);
        }
        answer.add("iss", verified.getIssuer());
        Set<String> audience = verified.getAudience();
        if (audience.size() == 1) {
            answer.add("aud", audience.iterator().next());
        } else {
            answer.add("aud", sorted(audience));
        }
        answer.add("jti", verified.getTokenID())
                .add(TokenClaims.SESSION, verdict.sessionId().toString())
                .add(TokenClaims.TENANT, caller.tenantId().toString());
        if (verified.getClaim("scope") instanceof JsonValue scope) {
            answer.add("scope", scope);
        }
        if (!caller.serviceAccount() && caller.email() != null) {
            answer.add("username", caller.email());
        }
        Set<String> groups = verified.getGroups();
        answer.add("groups", sorted(groups == null ? Set.of() : groups));
        addTime(answer, verified, TokenClaims.AUTH_TIME);
        if (verified.getClaim(TokenClaims.AMR) instanceof JsonValue amr) {
            answer.add(TokenClaims.AMR, amr);
        }
        return answer.add("service_account", caller.serviceAccount()).build();
    }

    private static void addTime(JsonObjectBuilder answer, VerifiedToken token, String claim) {
        if (token.getClaim(claim) instanceof Long seconds) {
            answer.add(claim, seconds);
        }
    }

    private static JsonArrayBuilder sorted(Collection<String> values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.stream().sorted().forEach(array::add);
        return array;
    }
}
