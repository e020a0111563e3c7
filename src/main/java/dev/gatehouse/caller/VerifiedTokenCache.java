package dev.gatehouse.caller;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Verifies access tokens ({@link VerifiedToken}, against the {@link VerificationKeys}) and keeps the ones it has
 * verified, so that a client's later requests with the same token skip the parse and the signature check, a
 * large share of an authenticated request's CPU (docs/decisions/caches.md); introspection verifies through it
 * too ({@link #verified}), so a token is active there exactly when a request with it would pass here. It is the application's
 * {@link IdentityStoreHandler}, the Jakarta Security extension point that MP-JWT's authentication mechanism
 * hands each request's bearer token to, chosen over Soteria's default as a CDI alternative.
 * <p>
 * Reusing a verdict is safe because verification depends only on the token's exact text, the issuer and the
 * audience, which are fixed for the life of the process, on the key that signed it, which is looked up again on
 * every use (a map in memory: a revoked key's tokens are refused at once, cached or not), and on the time: an
 * entry is used only before the token's {@code exp}. Only successful verdicts are kept. Revocation of a token
 * is not decided here: {@link CurrentUser} checks the account, its tenant, the token version and the session on
 * every request, cached or not ({@link TokenCallers}).
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class VerifiedTokenCache implements IdentityStoreHandler {

    private static final String BEARER = "Bearer "; // MP-JWT reads the token from this header the same way
    /**
     * Under this path the bearer token is a SCIM directory's opaque token, not a JWT: provisioning/ checks it
     * (ScimAuthentication) for every request there. MP-JWT's mechanism refuses any request whose bearer token is
     * not VALID, so it is let through here as a caller with no groups; it is never a JsonWebToken, so
     * {@link CurrentUser} never takes it for a person or service account.
     */
    private static final String SCIM_PATH = "/scim/";
    private static final CredentialValidationResult SCIM_DIRECTORY =
            new CredentialValidationResult(new CallerPrincipal("scim-directory"), Set.of());

    private record Entry(CredentialValidationResult verdict, VerifiedToken token) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    @ConfigProperty(name = "gatehouse.token-cache.enabled")
    boolean enabled;

    /** Each entry holds the token and its parsed claims, a few KB: docs/configuration.md says how much. */
    @Inject
    @ConfigProperty(name = "gatehouse.token-cache.max-entries")
    int maxEntries;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.issuer")
    String issuer;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.audience")
    String audience;

    @Inject
    VerificationKeys keys;

    @Inject
    HttpServletRequest request;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        String token = bearerToken();
        if (token == null) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        // the path as the container resolved it (decoded, dot segments gone), not the raw URI a client wrote
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.startsWith(SCIM_PATH)) {
            return SCIM_DIRECTORY;
        }
        Entry entry = verifiedEntry(token);
        return entry == null ? CredentialValidationResult.INVALID_RESULT : entry.verdict();
    }

    /**
     * The token verified as a request's bearer token is, from this cache when it holds it; null when it does not
     * verify. For introspection, where the token comes in a form rather than the Authorization header.
     */
    public VerifiedToken verified(String token) {
        Entry entry = verifiedEntry(token);
        return entry == null ? null : entry.token();
    }

    private Entry verifiedEntry(String token) {
        Entry entry = enabled ? entries.get(token) : null;
        if (entry != null && Instant.now().getEpochSecond() < entry.token().getExpirationTime()
                && keys.accepted(entry.token().kid()) != null) {
            return entry;
        }
        VerifiedToken verified = VerifiedToken.verify(token, keys, issuer, audience);
        if (verified == null) {
            return null;
        }
        Set<String> groups = verified.getGroups();
        Entry fresh = new Entry(new CredentialValidationResult(verified, groups == null ? Set.of() : groups), verified);
        if (enabled) {
            keep(token, fresh);
        }
        return fresh;
    }

    private void keep(String token, Entry entry) {
        if (entries.size() >= maxEntries) {
            long now = Instant.now().getEpochSecond();
            entries.values().removeIf(old -> old.token().getExpirationTime() <= now);
            if (entries.size() >= maxEntries) {
                entries.clear(); // more tokens in use than configured: start over rather than grow
            }
        }
        entries.put(token, entry);
    }

    private String bearerToken() {
        String header = request.getHeader("Authorization");
        return header != null && header.startsWith(BEARER) && header.length() > BEARER.length()
                ? header.substring(BEARER.length()) : null;
    }
}
