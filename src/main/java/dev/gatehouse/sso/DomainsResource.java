package dev.gatehouse.sso;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.sso.DomainRecords.DomainList;
import dev.gatehouse.sso.DomainRecords.DomainResponse;
import dev.gatehouse.sso.DomainRecords.DomainSettings;
import dev.gatehouse.sso.DomainRecords.NewDomain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * /api/v1/sso/domains: the email domains of the caller's tenant. Claim one, publish its TXT record, then ask
 * for the look-up (verify); a proved domain routes its addresses to the tenant's identity providers, makes its
 * accounts the tenant's to manage, and may require SSO of them.
 */
@ApplicationScoped
@Path("/api/v1/sso/domains")
@Produces(MediaType.APPLICATION_JSON)
public class DomainsResource {

    static final String MANAGE = "sso:manage";

    @Inject
    CurrentUser currentUser;

    @Inject
    TenantDomains domains;

    @Inject
    DomainProofs proofs;

    @GET
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public DomainList list() {
        return new DomainList(domains.list(currentUser.tenantId()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public Response claim(@Valid @NotNull NewDomain request) {
        return Response.status(Response.Status.CREATED).entity(domains.claim(currentUser.tenantId(), request.domain())).build();
    }

    @GET
    @Path("/{id}")
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public DomainResponse get(@PathParam("id") String id) {
        return domains.get(currentUser.tenantId(), id);
    }

    /** Looks the TXT record up now (outside the transaction: DNS may be slow), then records what it found. */
    @POST
    @Path("/{id}/verify")
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public DomainResponse verify(@PathParam("id") String id) {
        DomainResponse domain = domains.get(currentUser.tenantId(), id);
        String proof = domain.recordValue().substring(DomainProofs.VALUE_PREFIX.length());
        boolean found = proofs.look(domain.domain(), proof) == DomainProofs.Outcome.FOUND;
        return domains.recordLook(currentUser.tenantId(), id, found);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    public DomainResponse change(@PathParam("id") String id, @Valid @NotNull DomainSettings settings) {
        return domains.requireSso(currentUser.tenantId(), id, settings.requireSso());
    }

    @DELETE
    @Path("/{id}")
    @RequiresPermission(value = MANAGE, superuserBypass = true)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response remove(@PathParam("id") String id) {
        domains.remove(currentUser.tenantId(), id);
        return Response.noContent().build();
    }
}
