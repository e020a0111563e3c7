package dev.gatehouse.caller;

/**
 * The claims Gatehouse adds to its access tokens beyond the standard ones. Named here, where the caller is
 * read from a verified token; tokens/AccessTokens writes them.
 */
public final class TokenClaims {

    /** The tenant the token is for. */
    public static final String TENANT = "tenant_id";
    /** The session (refresh-token family) the token was issued from; it must still be live. */
    public static final String SESSION = "sid";
    /** RFC 8176 authentication methods of the session: pwd, otp, mfa. */
    public static final String AMR = "amr";
    /** When the person signed in (seconds since the epoch); a session's rotations and tenant switches keep it. */
    public static final String AUTH_TIME = "auth_time";
    /**
     * RFC 9068's client_id: present only in a service account's token, where it equals sub. The token's sid then
     * names the credential it was issued for.
     */
    public static final String CLIENT_ID = "client_id";
    /** The account's token version at issue; raising it refuses every older token on its next use. */
    public static final String TOKEN_VERSION = "token_version";

    private TokenClaims() {
    }
}
