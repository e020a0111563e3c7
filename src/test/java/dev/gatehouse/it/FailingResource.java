package dev.gatehouse.it;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only resource added to the deployed WAR: a bug on purpose, to see how a 500 leaves the server. */
@Path("/test-only/failure")
public class FailingResource {

    @GET
    public String fail() {
        throw new IllegalStateException("deliberate failure with a secret detail: s3cr3t");
    }
}
