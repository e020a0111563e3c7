package dev.gatehouse.openid;

import dev.gatehouse.openid.OAuthClientRecords.ClientList;
import dev.gatehouse.openid.OAuthClientRecords.ClientResponse;
import dev.gatehouse.openid.OAuthClientRecords.ClientUpdate;
import dev.gatehouse.openid.OAuthClientRecords.ClientWithSecret;
import dev.gatehouse.openid.OAuthClientRecords.NewClient;
import dev.gatehouse.openid.OAuthClientRecords.SecretRotation;
import dev.gatehouse.tokens.DeploymentAdmins;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * /api/v1/admin/oauth-clients: the applications that sign people in through Gatehouse. They serve every tenant,
 * so only a {@link DeploymentAdmins deployment admin} registers them.
 */
@ApplicationScoped
@Path("/api/v1/admin/oauth-clients")
@Produces(MediaType.APPLICATION_JSON)
public class OAuthClientsResource {

    @Inject
    DeploymentAdmins deploymentAdmins;

    @Inject
    OAuthClients clients;

    @GET
    public ClientList list() {
        deploymentAdmins.require();
        return new ClientList(clients.list());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull NewClient request) {
        ClientWithSecret registered = clients.register(deploymentAdmins.require(), request);
        return Response.status(Response.Status.CREATED).entity(registered).build();
    }

    @GET
    @Path("/{clientId}")
    public ClientResponse get(@PathParam("clientId") String clientId) {
        deploymentAdmins.require();
        return clients.get(clientId);
    }

    @PUT
    @Path("/{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ClientResponse update(@PathParam("clientId") String clientId, @Valid @NotNull ClientUpdate update) {
        return clients.update(deploymentAdmins.require(), clientId, update);
    }

    @POST
    @Path("/{clientId}/secret")
    @Consumes(MediaType.APPLICATION_JSON)
    public ClientWithSecret rotateSecret(@PathParam("clientId") String clientId, @Valid SecretRotation rotation) {
        int overlap = rotation == null || rotation.previousValidSeconds() == null ? 0 : rotation.previousValidSeconds();
        return clients.rotateSecret(deploymentAdmins.require(), clientId, overlap);
    }

    @DELETE
    @Path("/{clientId}")
    public Response delete(@PathParam("clientId") String clientId) {
        clients.delete(deploymentAdmins.require(), clientId);
        return Response.noContent().build();
    }
}
