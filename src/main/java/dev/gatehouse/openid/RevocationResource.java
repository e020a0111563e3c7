package dev.gatehouse.openid;

import dev.gatehouse.caller.TokenCallers;
import dev.gatehouse.caller.TokenClaims;
import dev.gatehouse.caller.VerifiedToken;
import dev.gatehouse.caller.VerifiedTokenCache;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.serviceaccounts.OAuthForm;
import dev.gatehouse.serviceaccounts.TokenEndpointError;
import dev.gatehouse.sessions.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * POST /api/v1/oauth/revoke: token revocation (RFC 7009) for the OpenID Provider's clients, authenticated as at
 * the token endpoint. A refresh token, or an access token, of a session the client holds ends that session: its
 * refresh tokens and every access token issued from it (RFC 7009 §2.1 lets revoking either end the grant). Any
 * other token (unknown, expired, another client's) changes nothing and gets the same 200, so the endpoint tells
 * nobody whether a token is good.
 */
@ApplicationScoped
@Path("/api/v1/oauth/revoke")
public class RevocationResource {

    @Inject
    OAuthClientAuthentication clientAuthentication;

    @Inject
    VerifiedTokenCache verifiedTokens;

    @Inject
    Sessions sessions;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @RateLimited("token")
    @Transactional(dontRollbackOn = TokenEndpointError.class)
    public Response revoke(MultivaluedMap<String, String> parameters, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        OAuthForm form = new OAuthForm(parameters);
        OAuthClients.Client client = clientAuthentication.authenticate(form.clientAuthenticationOrPublic(authorization));
        String token = form.single("token");
        if (token == null || token.isEmpty() || token.length() > 4096) {
            throw TokenEndpointError.invalidRequest("token is missing.");
        }
        form.single("token_type_hint"); // a hint only: both kinds are tried whatever it says (§2.1)
        VerifiedToken accessToken = token.length() > 200 ? verifiedTokens.verified(token) : null;
        UUID sessionId = accessToken == null ? null : Ids.parseOrNull(TokenCallers.stringClaim(accessToken, TokenClaims.SESSION));
        sessions.revokeForClient(accessToken == null ? token : null, sessionId, client.id());
        return Response.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
