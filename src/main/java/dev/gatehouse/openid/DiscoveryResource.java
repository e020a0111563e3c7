package dev.gatehouse.openid;

import dev.gatehouse.caller.VerificationKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenID Provider discovery (OpenID Connect Discovery 1.0 §4), at the issuer's /.well-known/openid-configuration. */
@ApplicationScoped
@Path("/.well-known/openid-configuration")
public class DiscoveryResource {

    @Inject
    SignInFlow flow;

    @Inject
    VerificationKeys verificationKeys;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response configuration() {
        String issuer = flow.issuer();
        String oauth = issuer + "/api/v1/oauth";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", oauth + "/authorize");
        metadata.put("token_endpoint", oauth + "/token");
        metadata.put("userinfo_endpoint", oauth + "/userinfo");
        metadata.put("end_session_endpoint", oauth + "/logout");
        metadata.put("jwks_uri", issuer + "/.well-known/jwks.json");
        metadata.put("revocation_endpoint", oauth + "/revoke");
        metadata.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        // for resource servers, which authenticate as service accounts (docs/integrating.md)
        metadata.put("introspection_endpoint", oauth + "/introspect");
        metadata.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("response_modes_supported", List.of("query"));
        metadata.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", verificationKeys.published().stream()
                .map(VerificationKeys.PublishedKey::algorithm).distinct().toList());
        metadata.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none"));
        metadata.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256", "PS256", "ES256"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("prompt_values_supported", List.of("none", "login", "select_account", "consent"));
        metadata.put("acr_values_supported", List.of("pwd", "mfa", "federated"));
        metadata.put("claims_supported", List.of("iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "amr", "acr",
                "sid", "tenant_id", "tenant_slug", "email", "email_verified", "name"));
        metadata.put("claims_parameter_supported", false);
        metadata.put("request_parameter_supported", false);
        metadata.put("request_uri_parameter_supported", false);
        metadata.put("authorization_response_iss_parameter_supported", true);
        metadata.put("backchannel_logout_supported", true);
        metadata.put("backchannel_logout_session_supported", true);
        return Response.ok(metadata).header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600").build();
    }
}
