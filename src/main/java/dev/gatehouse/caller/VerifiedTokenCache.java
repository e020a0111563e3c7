package dev.gatehouse.caller;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The access tokens this instance has already verified, so that a client's later requests with the same
 * token skip MicroProfile JWT's parse and RS256 check, a large share of an authenticated request's CPU
 * (docs/decisions/caches.md). It is the application's {@link IdentityStoreHandler}, the Jakarta Security extension
 * point that MP-JWT's authentication mechanism hands each request's bearer token to, chosen over Soteria's
 * default as a CDI alternative. A token it has not seen goes to MP-JWT's identity store as before.
 * <p>
 * Reusing a verdict is safe because verification depends only on the token's exact text, the signing key,
 * the issuer and the audience, which are fixed for the life of the process, and on the time: an entry is used
 * only before the token's {@code exp}, the same instant at which MP-JWT starts refusing it. Only successful
 * verdicts are kept, under the raw token MP-JWT verified. Revocation is not decided here: {@link CurrentUser}
 * checks the account, its tenant, the token version and the session on every request, cached or not.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class VerifiedTokenCache implements IdentityStoreHandler {

    private static final String BEARER = "Bearer "; // MP-JWT reads the token from this header the same way

    private record Entry(CredentialValidationResult verdict, long expiresAtMillis) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    @ConfigProperty(name = "gatehouse.token-cache.enabled")
    boolean enabled;

    /** Each entry holds the token and its parsed claims, a few KB: docs/configuration.md says how much. */
    @Inject
    @ConfigProperty(name = "gatehouse.token-cache.max-entries")
    int maxEntries;

    /** MP-JWT's SignedJWTIdentityStore; Gatehouse defines no identity store of its own. */
    @Inject
    @Any
    Instance<IdentityStore> stores;

    @Inject
    HttpServletRequest request;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        String token = enabled ? bearerToken() : null;
        if (token != null) {
            Entry entry = entries.get(token);
            if (entry != null && System.currentTimeMillis() < entry.expiresAtMillis()) {
                return entry.verdict();
            }
        }
        CredentialValidationResult verdict = verify(credential);
        if (token != null && verdict.getStatus() == CredentialValidationResult.Status.VALID
                && verdict.getCallerPrincipal() instanceof JsonWebToken jwt && token.equals(jwt.getRawToken())) {
            keep(jwt.getRawToken(), new Entry(verdict, jwt.getExpirationTime() * 1000));
        }
        return verdict;
    }

    /** What Soteria's default handler does with the stores that validate: the first VALID verdict wins. */
    private CredentialValidationResult verify(Credential credential) {
        CredentialValidationResult outcome = CredentialValidationResult.NOT_VALIDATED_RESULT;
        for (IdentityStore store : stores) {
            if (!store.validationTypes().contains(IdentityStore.ValidationType.VALIDATE)) {
                continue;
            }
            CredentialValidationResult verdict = store.validate(credential);
            if (verdict.getStatus() == CredentialValidationResult.Status.VALID) {
                return verdict;
            }
            if (verdict.getStatus() == CredentialValidationResult.Status.INVALID) {
                outcome = CredentialValidationResult.INVALID_RESULT;
            }
        }
        return outcome;
    }

    private void keep(String token, Entry entry) {
        if (entries.size() >= maxEntries) {
            long now = System.currentTimeMillis();
            entries.values().removeIf(old -> old.expiresAtMillis() <= now);
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
