package dev.gatehouse.platform.problems;

import dev.gatehouse.platform.persistence.DatabaseUnavailable;
import dev.gatehouse.platform.requestlog.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds problem responses with the current request's path and id; shared by the exception mappers. */
@ApplicationScoped
public class Problems {

    @Inject
    RequestContext context;

    @Inject
    HttpServletRequest request;

    public Response response(ProblemType type, String detail, List<Problem.FieldError> errors) {
        return response(type.status(), type.uri(), type.title(), detail, errors);
    }

    /** A problem whose type is the HTTP status itself. */
    public Response response(Response.StatusType status, String detail) {
        return response(status.getStatusCode(), "about:blank", status.getReasonPhrase(), detail, null);
    }

    private Response response(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        Problem problem = new Problem(type, title, status, detail, request.getRequestURI(), context.requestId(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** 503 with Retry-After: the database cannot be reached; the request may succeed when it is back. */
    public Response databaseUnavailable() {
        Response problem = response(ProblemType.DATABASE_UNAVAILABLE,
                "The database is unavailable. Try again in a few seconds.", null);
        return Response.fromResponse(problem).header("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS).build();
    }

    public Response unexpected() {
        return Response.status(500).type(Problem.MEDIA_TYPE)
                .entity(Problem.unexpected(request.getRequestURI(), context.requestId())).build();
    }
}
