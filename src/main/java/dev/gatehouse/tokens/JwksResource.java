package dev.gatehouse.tokens;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.interfaces.RSAPublicKey;

/** The public signing key as a JSON Web Key Set, for services that verify Gatehouse tokens themselves. */
@ApplicationScoped
@Path("/.well-known/jwks.json")
public class JwksResource {

    /** The document is fixed for the life of the process: written once, sent as it is. */
    private static final String JWKS = jwks(SigningKeys.get()).toString();
    private static final CacheControl CACHE_AN_HOUR = cacheFor(3600);

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        return Response.ok(JWKS).cacheControl(CACHE_AN_HOUR).build();
    }

    /** As built before, "no-transform, max-age=N": a parsed "max-age=N" would drop no-transform. */
    private static CacheControl cacheFor(int seconds) {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(seconds);
        return cache;
    }

    private static JsonObject jwks(SigningKeys keys) {
        RSAPublicKey key = keys.publicKey();
        return Json.createObjectBuilder().add("keys", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("kty", "RSA")
                .add("use", "sig")
                .add("alg", "RS256")
                .add("kid", keys.keyId())
                .add("n", SigningKeys.base64Url(key.getModulus().toByteArray()))
                .add("e", SigningKeys.base64Url(key.getPublicExponent().toByteArray())))).build();
    }
}
