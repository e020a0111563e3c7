package dev.gatehouse.audit;

import dev.gatehouse.audit.AuditRecords.AuditEventPage;
import dev.gatehouse.audit.AuditRecords.SecurityEventFilter;
import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.caller.RequiresPermission;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.PageRequest;
import dev.gatehouse.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** /api/v1/audit-events: the security event log of the caller's tenant, newest first. */
@ApplicationScoped
@Path("/api/v1/audit-events")
@Produces(MediaType.APPLICATION_JSON)
public class AuditEventsResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    SecurityEventQueries events;

    @GET
    @RequiresPermission("audit:read")
    public AuditEventPage list(@QueryParam("page") @DefaultValue("1") String page,
                               @QueryParam("page_size") @DefaultValue("20") String pageSize,
                               @QueryParam("type") String type,
                               @QueryParam("user_id") String userId,
                               @QueryParam("from") String from,
                               @QueryParam("to") String to) {
        SecurityEventFilter filter = new SecurityEventFilter(typeOf(type), userOf(userId),
                instantOf("from", from), instantOf("to", to));
        return events.page(currentUser.tenantId(), filter, PageRequest.of(page, pageSize));
    }

    private static String typeOf(String type) {
        if (type == null || type.isEmpty()) {
            return null;
        }
        if (SecurityEventType.ofWireName(type) == null) {
            throw ProblemException.invalidField("type", "is not an event type");
        }
        return type;
    }

    private static UUID userOf(String userId) {
        if (userId == null || userId.isEmpty()) {
            return null;
        }
        UUID id = Ids.parseOrNull(userId);
        if (id == null) {
            throw ProblemException.invalidField("user_id", "must be a user id");
        }
        return id;
    }

    private static Instant instantOf(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be a time in ISO 8601 UTC, e.g. 2026-01-31T12:00:00Z");
        }
    }
}
