package dev.gatehouse.tokens;

import dev.gatehouse.caller.VerificationKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The published signing keys (next, current, previous: {@link VerificationKeys}) as a JSON Web Key Set, for
 * services that verify Gatehouse tokens themselves. Built from the key set in memory on each request (no SQL).
 */
@ApplicationScoped
@Path("/.well-known/jwks.json")
public class JwksResource {

    /** An hour at most. */
    private static final long LONGEST_CACHE_SECONDS = 3600;

    @Inject
    VerificationKeys keys;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.signing-key.next-publish-hours")
    long nextPublishHours;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        JsonArrayBuilder published = Json.createArrayBuilder();
        keys.published().forEach(key -> published.add(SigningKeys.jwk(key)));
        return Response.ok(Json.createObjectBuilder().add("keys", published).build().toString())
                .header("Cache-Control", "public, max-age=" + cacheSeconds(nextPublishHours)).build();
    }

    /**
     * How long a verifier may keep the document: a quarter of the time a next key is published before it signs,
     * so that every verifier has fetched it several times over by then; an hour at most.
     */
    static long cacheSeconds(long nextPublishHours) {
        return Math.max(60, Math.min(LONGEST_CACHE_SECONDS, nextPublishHours * 3600 / 4));
    }
}
