package dev.gatehouse.openid;

import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An authorization request (OAuth 2.1 §4.1.1, OpenID Connect Core §3.1.2.1) as /authorize accepted it: the code
 * flow with PKCE S256 only. {@code id}: its row while the hosted sign-in page works on it, else null.
 */
record AuthorizationRequest(UUID id, UUID clientId, String redirectUri, String scope, String state, String nonce,
                            String codeChallenge, Integer maxAge, String loginHint, String tenantHint, boolean requireMfa,
                            String mfaTicket) {

    static final Set<String> SCOPES = Set.of("openid", "profile", "email", "offline_access");
    static final String MFA = "mfa";
    private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** The prompt values this server knows (OpenID Connect Core §3.1.2.1); none excludes the others. */
    enum Prompt { NONE, LOGIN, SELECT_ACCOUNT }

    /** A refusal to send back to the client's redirect URI (RFC 6749 §4.1.2.1). */
    static final class Refused extends RuntimeException {
        final String error;

        Refused(String error, String description) {
            super(description, null, false, false);
            this.error = error;
        }
    }

    /**
     * The client and redirect URI first: while they are not known to be the client's, nothing may be sent to
     * the redirect URI (RFC 6749 §4.1.2.1), so their faults are problems shown to the person.
     */
    static String redirectUriOf(OAuthClients.Client client, MultivaluedMap<String, String> parameters) {
        String redirectUri = single(parameters, "redirect_uri");
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            throw new ProblemException(ProblemType.INVALID_AUTHORIZATION_REQUEST,
                    "redirect_uri must be one of the client's registered redirect URIs, exactly.");
        }
        return redirectUri;
    }

    /** The rest, checked once the redirect URI is known good: a fault is {@link Refused}. */
    static AuthorizationRequest of(OAuthClients.Client client, String redirectUri, MultivaluedMap<String, String> parameters) {
        String responseType = single(parameters, "response_type");
        if (!"code".equals(responseType)) {
            throw new Refused("unsupported_response_type", "response_type must be code.");
        }
        String challenge = single(parameters, "code_challenge");
        if (challenge == null || !"S256".equals(single(parameters, "code_challenge_method"))
                || !CODE_CHALLENGE.matcher(challenge).matches()) {
            throw new Refused("invalid_request", "PKCE is required: code_challenge (43 base64url characters) with code_challenge_method S256.");
        }
        String scope = single(parameters, "scope");
        scope = scope == null ? "" : scope.strip();
        for (String one : scope.isEmpty() ? new String[0] : scope.split(" +")) {
            if (!SCOPES.contains(one)) {
                throw new Refused("invalid_scope", "Scopes known here: openid, profile, email, offline_access.");
            }
        }
        Integer maxAge = null;
        String maxAgeText = single(parameters, "max_age");
        if (maxAgeText != null) {
            try {
                maxAge = Integer.parseInt(maxAgeText);
            } catch (NumberFormatException e) {
                maxAge = -1;
            }
            if (maxAge < 0) {
                throw new Refused("invalid_request", "max_age must be a whole number of seconds.");
            }
        }
        String acrValues = single(parameters, "acr_values");
        boolean requireMfa = acrValues != null && List.of(acrValues.strip().split(" +")).contains(MFA);
        prompt(parameters); // checked here, used by the flow
        return new AuthorizationRequest(null, client.id(), redirectUri, scope, bounded(parameters, "state", 1000),
                bounded(parameters, "nonce", 1000), challenge, maxAge, bounded(parameters, "login_hint", 320),
                bounded(parameters, "tenant", 100), requireMfa, null);
    }

    static Set<Prompt> prompt(MultivaluedMap<String, String> parameters) {
        String prompt = single(parameters, "prompt");
        if (prompt == null || prompt.isBlank()) {
            return Set.of();
        }
        java.util.EnumSet<Prompt> prompts = java.util.EnumSet.noneOf(Prompt.class);
        for (String one : prompt.strip().split(" +")) {
            switch (one) {
                case "none" -> prompts.add(Prompt.NONE);
                case "login" -> prompts.add(Prompt.LOGIN);
                case "select_account" -> prompts.add(Prompt.SELECT_ACCOUNT);
                case "consent" -> { } // first-party clients: no consent screen to show
                default -> throw new Refused("invalid_request", "prompt may hold none, login, select_account and consent.");
            }
        }
        if (prompts.contains(Prompt.NONE) && prompts.size() > 1) {
            throw new Refused("invalid_request", "prompt=none cannot go with another prompt.");
        }
        return prompts;
    }

    /** Whether a space-separated list (a scope, a session's amr) holds this word. */
    static boolean holds(String words, String word) {
        return List.of(words.split(" ")).contains(word);
    }

    AuthorizationRequest withTenantHint(String tenant) {
        return new AuthorizationRequest(id, clientId, redirectUri, scope, state, nonce, codeChallenge, maxAge, loginHint,
                tenant, requireMfa, mfaTicket);
    }

    AuthorizationRequest withId(UUID requestId) {
        return new AuthorizationRequest(requestId, clientId, redirectUri, scope, state, nonce, codeChallenge, maxAge,
                loginHint, tenantHint, requireMfa, mfaTicket);
    }

    private static String bounded(MultivaluedMap<String, String> parameters, String name, int max) {
        String value = single(parameters, name);
        if (value != null && value.length() > max) {
            throw new Refused("invalid_request", name + " is longer than " + max + " characters.");
        }
        return value == null || value.isEmpty() ? null : value;
    }

    /** A parameter's one value; null when absent; repeated is invalid (RFC 6749 §3.1). */
    static String single(MultivaluedMap<String, String> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ProblemException(ProblemType.INVALID_AUTHORIZATION_REQUEST, name + " is given more than once.");
        }
        return values.getFirst();
    }
}
