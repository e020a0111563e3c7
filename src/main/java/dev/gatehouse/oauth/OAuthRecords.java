package dev.gatehouse.oauth;

import java.util.List;

/** The bodies of the OAuth endpoints and what flows between the OAuth services. */
public final class OAuthRecords {

    private OAuthRecords() {
    }

    public record ProvidersResponse(List<String> providers) {
    }

    /** Where to send the user's browser, and the state that will come back with the code. */
    public record AuthorizeResponse(String url, String state) {
    }

    /** Who the provider says the user is. {@code email} may be null; it is trusted only when verified. */
    public record ExternalIdentity(String provider, String subject, String email, boolean emailVerified, String name) {
        @Override
        public String toString() {
            return "ExternalIdentity[" + provider + ":" + subject + "]";
        }
    }
}
