package dev.gatehouse.openid;

import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.CurrentUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The UserInfo endpoint (OpenID Connect Core §5.3): the signed-in person's claims, for the access token of a code
 * flow or any person's access token. A root resource of its own: JAX-RS matches the root resource first, and
 * SignInPageResource's /api/v1/oauth would take the path otherwise.
 */
@ApplicationScoped
@Path("/api/v1/oauth/userinfo")
@Produces(MediaType.APPLICATION_JSON)
public class UserInfoResource {

    @Inject
    CurrentUser currentUser;

    @GET
    public Map<String, Object> userInfo() {
        CallerView caller = currentUser.get();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", caller.id().toString());
        claims.put("email", caller.email());
        claims.put("email_verified", caller.emailVerified());
        if (caller.fullName() != null) {
            claims.put("name", caller.fullName());
        }
        claims.put("tenant_id", caller.tenantId().toString());
        return claims;
    }

    /** OpenID Connect Core §5.3.1: the same by POST. */
    @POST
    public Map<String, Object> userInfoByPost() {
        return userInfo();
    }
}
