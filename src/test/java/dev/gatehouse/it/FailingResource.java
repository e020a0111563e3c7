package dev.gatehouse.it;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** Test-only resource added to the deployed WAR: failures on purpose, to see how they leave the server. */
@Path("/test-only")
@RequestScoped
public class FailingResource {

    @Inject
    EntityManager em;

    @Inject
    SecurityEvents securityEvents;

    /** A bug. */
    @GET
    @Path("/failure")
    public String fail() {
        throw new IllegalStateException("deliberate failure with a secret detail: s3cr3t");
    }

    /** What the loser of a race on a unique value meets: a unique violation inside the transaction, after a write. */
    @POST
    @Path("/unique-violation")
    @Transactional
    public String violateUniqueConstraint(@QueryParam("marker") String marker) {
        insertPermission(marker);
        em.createNativeQuery("insert into permissions (name, resource, action, description)"
                + " values ('users:read', 'users', 'read', 'a duplicate')").executeUpdate();
        return "not reached";
    }

    /** A bug after a write: the write must not stay. */
    @POST
    @Path("/write-then-fail")
    @Transactional
    public String writeThenFail(@QueryParam("marker") String marker) {
        insertPermission(marker);
        em.flush();
        throw new IllegalStateException("deliberate failure after a write");
    }

    /** A security event recorded, then a failure: the event must go with the transaction, row and log line. */
    @POST
    @Path("/event-then-fail")
    @Transactional
    public String recordEventThenFail(@QueryParam("marker") String marker) {
        securityEvents.record(SecurityEvent.of(SecurityEventType.ROLE_CREATED, null).detail("marker", marker));
        em.flush();
        throw new IllegalStateException("deliberate failure after a security event");
    }

    private void insertPermission(String marker) {
        em.createNativeQuery("insert into permissions (name, resource, action, description) values ('it:' || ?1, 'it', ?1, 'test')")
                .setParameter(1, marker).executeUpdate();
    }
}
