package dev.gatehouse.sso;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.sso.ConnectionRecords.CertificateView;
import dev.gatehouse.sso.ConnectionRecords.ConnectionList;
import dev.gatehouse.sso.ConnectionRecords.ConnectionRequest;
import dev.gatehouse.sso.ConnectionRecords.ConnectionResponse;
import dev.gatehouse.sso.ConnectionRecords.OidcView;
import dev.gatehouse.sso.ConnectionRecords.SamlIdp;
import dev.gatehouse.sso.ConnectionRecords.SamlIdpView;
import dev.gatehouse.sso.ConnectionRecords.ServiceProvider;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * /api/v1/sso/connections: the identity providers of the caller's tenant. Each answer carries what the IdP's
 * administrator enters on their side (redirect URI, or SAML entity id, ACS URL and metadata URL).
 */
@ApplicationScoped
@Path("/api/v1/sso/connections")
@Produces(MediaType.APPLICATION_JSON)
public class SsoConnectionsResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    SsoConnections connections;

    @Inject
    SamlMetadataFetcher metadataFetcher;

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String publicBaseUrl;

    @GET
    @RequiresPermission(value = DomainsResource.MANAGE, superuserBypass = true)
    public ConnectionList list() {
        return new ConnectionList(connections.list(currentUser.tenantId()).stream().map(this::response).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = DomainsResource.MANAGE, superuserBypass = true)
    public Response create(@Valid @NotNull ConnectionRequest request) {
        ConnectionRules.Checked checked = ConnectionRules.check(withFetchedMetadata(request), true);
        return Response.status(Response.Status.CREATED)
                .entity(response(connections.create(currentUser.get(), request, checked))).build();
    }

    @GET
    @Path("/{id}")
    @RequiresPermission(value = DomainsResource.MANAGE, superuserBypass = true)
    public ConnectionResponse get(@PathParam("id") String id) {
        return response(connections.get(currentUser.tenantId(), id));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = DomainsResource.MANAGE, superuserBypass = true)
    public ConnectionResponse replace(@PathParam("id") String id, @Valid @NotNull ConnectionRequest request) {
        ConnectionRules.Checked checked = ConnectionRules.check(withFetchedMetadata(request), false);
        return response(connections.replace(currentUser.get(), id, request, checked));
    }

    @DELETE
    @Path("/{id}")
    @RequiresPermission(value = DomainsResource.MANAGE, superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response delete(@PathParam("id") String id) {
        connections.delete(currentUser.get(), id);
        return Response.noContent().build();
    }

    /** A SAML IdP given by its metadata URL: the document read now, before anything is written. */
    private ConnectionRequest withFetchedMetadata(ConnectionRequest request) {
        SamlIdp saml = request.saml();
        if (saml == null || saml.metadataUrl() == null || saml.metadataUrl().isBlank()
                || saml.metadataXml() != null && !saml.metadataXml().isBlank()) {
            return request;
        }
        SamlIdp fetched = new SamlIdp(metadataFetcher.fetch(saml.metadataUrl()), null, null, null, null);
        return new ConnectionRequest(request.name(), request.protocol(), request.enabled(), request.oidc(), fetched,
                request.attributes(), request.defaultRoleIds(), request.groupRoles(), request.trustIdpMfa());
    }

    private ConnectionResponse response(SsoConnections.Stored stored) {
        SsoConnection c = stored.connection();
        ServiceProvider sp = SsoUrls.serviceProvider(publicBaseUrl, c);
        return new ConnectionResponse(c.id(), c.name(), c.protocol(), c.enabled(),
                c.oidc() ? new OidcView(c.oidcIssuer(), c.oidcClientId(), c.oidcClientSecret() != null, c.oidcScopes()) : null,
                c.oidc() ? null : new SamlIdpView(c.samlIdpEntityId(), c.samlIdpSsoUrl(),
                        c.samlIdpCertificates().stream().map(SsoConnectionsResource::view).toList()),
                new ConnectionRecords.AttributeNames(c.emailAttribute(), c.nameAttribute(), c.groupsAttribute()),
                c.defaultRoleIds(), c.groupRoles(), c.trustIdpMfa(), sp, stored.createdAt(), c.updatedAt());
    }

    private static CertificateView view(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new CertificateView(certificate.getSubjectX500Principal().getName(),
                    certificate.getNotAfter().toInstant(), HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
