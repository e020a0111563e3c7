package dev.gatehouse.sessions;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** /api/v1/users/me/sessions: the caller's own sessions (devices signed in), to see and to end. */
@ApplicationScoped
@Path("/api/v1/users/me/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    @Inject
    CurrentUser currentUser;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    Sessions sessions;

    @JsonbPropertyOrder({"id", "current", "userAgent", "clientAddress", "createdAt", "lastUsedAt", "expiresAt"})
    public record SessionResponse(UUID id, boolean current, @JsonbNillable String userAgent,
                                  @JsonbNillable String clientAddress, Instant createdAt, Instant lastUsedAt,
                                  Instant expiresAt) {
    }

    @GET
    public List<SessionResponse> list() {
        UUID current = currentUser.sessionId();
        return refreshTokens.liveSessionsOf(currentUser.id()).stream()
                .map(s -> new SessionResponse(s.id(), s.id().equals(current), s.userAgent(), s.clientAddress(),
                        s.createdAt(), s.lastUsedAt(), s.expiresAt()))
                .toList();
    }

    /** Ends the session and its access tokens at once; another user's session, or none, is 404. */
    @DELETE
    @Path("/{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response end(@PathParam("id") String id) {
        sessions.end(currentUser.id(), currentUser.tenantId(), Ids.parseOrNull(id));
        return Response.noContent().build();
    }
}
