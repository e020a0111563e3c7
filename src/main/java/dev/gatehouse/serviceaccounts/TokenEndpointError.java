package dev.gatehouse.serviceaccounts;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * An error of the token endpoint, answered as RFC 6749 §5.2 prescribes (application/json with {@code error} and
 * {@code error_description}) rather than as a problem: OAuth client libraries read this shape and no other.
 * invalid_client is 401 with a Basic challenge, whichever way the client tried (RFC 6749 §5.2 requires it after
 * a try with HTTP Basic, and allows it otherwise); the others are 400.
 */
public class TokenEndpointError extends RuntimeException {

    private final String error;

    private TokenEndpointError(String error, String description) {
        super(description, null, false, false);
        this.error = error;
    }

    public static TokenEndpointError invalidRequest(String description) {
        return new TokenEndpointError("invalid_request", description);
    }

    public static TokenEndpointError invalidClient() {
        return new TokenEndpointError("invalid_client", "Client authentication failed.");
    }

    public static TokenEndpointError unsupportedGrantType() {
        return new TokenEndpointError("unsupported_grant_type",
                "This endpoint grants authorization_code, refresh_token and client_credentials.");
    }

    /** The code or refresh token is not live, or not this client's, or its PKCE verifier or redirect URI is wrong. */
    public static TokenEndpointError invalidGrant(String description) {
        return new TokenEndpointError("invalid_grant", description);
    }

    /** The client is not registered for this grant type. */
    public static TokenEndpointError unauthorizedClient(String description) {
        return new TokenEndpointError("unauthorized_client", description);
    }

    @Provider
    public static class Mapper implements ExceptionMapper<TokenEndpointError> {
        @Override
        public Response toResponse(TokenEndpointError e) {
            JsonObjectBuilder body = Json.createObjectBuilder().add("error", e.error).add("error_description", e.getMessage());
            Response.ResponseBuilder answer = Response.status("invalid_client".equals(e.error) ? 401 : 400)
                    .type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store");
            if ("invalid_client".equals(e.error)) {
                answer.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"gatehouse\"");
            }
            return answer.build();
        }
    }
}
