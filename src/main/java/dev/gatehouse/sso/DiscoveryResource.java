package dev.gatehouse.sso;

import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.sso.HomeRealmDiscovery.Answer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** POST /api/v1/auth/discover: how an address signs in (home-realm discovery, {@link HomeRealmDiscovery}). */
@ApplicationScoped
@Path("/api/v1/auth/discover")
@Produces(MediaType.APPLICATION_JSON)
public class DiscoveryResource {

    @Inject
    HomeRealmDiscovery discovery;

    public record DiscoveryRequest(@NotBlank @Email @Size(max = 320) String email) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RateLimited("login")
    public Answer discover(@Valid @NotNull DiscoveryRequest request) {
        return discovery.discover(request.email());
    }
}
