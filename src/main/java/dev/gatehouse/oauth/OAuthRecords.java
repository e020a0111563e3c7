package dev.gatehouse.oauth;

import java.util.List;

/** The bodies of the OAuth endpoints and what flows between the OAuth services. */
public final class OAuthRecords {

    private OAuthRecords() {
    }

    public record ProvidersResponse(List<String> providers) {
    }

    /**
     * Where to send the user's browser, the state that will come back with the code, and the binding the
     * client keeps for the callback (Gatehouse addition; also set as a cookie for browser apps).
     */
    public record AuthorizeResponse(String url, String state, String binding) {
        @Override
        public String toString() {
            return "AuthorizeResponse[" + url + "]"; // the binding is a secret: never in a log line
        }
    }

    /** Who the provider says the user is. {@code email} may be null; it is trusted only when verified. */
    public record ExternalIdentity(String provider, String subject, String email, boolean emailVerified, String name) {
        @Override
        public String toString() {
            return "ExternalIdentity[" + provider + ":" + subject + "]";
        }
    }
}
