package dev.gatehouse.platform.problems;

import dev.gatehouse.platform.persistence.DatabaseUnavailable;
import jakarta.inject.Inject;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.persistence.PersistenceException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every exception that reaches JAX-RS leaves as application/problem+json. */
public final class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class.getName());

    private ProblemExceptionMappers() {
    }

    @Provider
    public static class ApplicationProblems implements ExceptionMapper<ProblemException> {
        @Inject
        Problems problems;

        @Override
        public Response toResponse(ProblemException e) {
            Response response = problems.response(e.type(), e.getMessage(), e.errors());
            if (e.type().status() == 401) {
                return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
            }
            return response;
        }
    }

    /** JAX-RS's own errors: unknown path 404, wrong method 405, wrong media type 415, and the like. */
    @Provider
    public static class HttpErrors implements ExceptionMapper<WebApplicationException> {
        @Inject
        Problems problems;

        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            Response.StatusType status = original.getStatusInfo();
            if (status.getStatusCode() >= 500) {
                LOG.log(Level.SEVERE, "Server error", e);
                return problems.unexpected();
            }
            Response.ResponseBuilder answer = Response.fromResponse(problems.response(status, detailFor(e)));
            if (e instanceof NotAllowedException) {
                answer.header(HttpHeaders.ALLOW, original.getHeaderString(HttpHeaders.ALLOW));
            }
            if (e instanceof NotAuthorizedException) {
                answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            }
            return answer.build();
        }

        private static String detailFor(WebApplicationException e) {
            return switch (e.getResponse().getStatus()) {
                case 400 -> "The request could not be read.";
                case 401 -> "Authentication is required.";
                case 403 -> "You are not allowed to do this.";
                case 404 -> "No resource at this path.";
                case 405 -> "This method is not allowed on this resource.";
                case 406 -> "No acceptable representation; this API serves application/json.";
                case 415 -> "Unsupported media type; send application/json.";
                default -> e.getResponse().getStatusInfo().getReasonPhrase();
            };
        }
    }

    /** Bean Validation of request bodies and parameters: 422 with one entry per invalid field. */
    @Provider
    public static class ValidationErrors implements ExceptionMapper<ConstraintViolationException> {
        @Inject
        Problems problems;

        @Override
        public Response toResponse(ConstraintViolationException e) {
            List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                    .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                    .sorted(Comparator.comparing(Problem.FieldError::field))
                    .toList();
            return problems.response(ProblemType.VALIDATION, ProblemType.VALIDATION_DETAIL, errors);
        }

        /** The last node of the path, in the API's snake_case ("register.arg0.fullName" becomes "full_name"). */
        private static String fieldName(ConstraintViolation<?> violation) {
            String name = null;
            for (Path.Node node : violation.getPropertyPath()) {
                name = node.getName();
            }
            if (name == null || name.startsWith("arg")) {
                return "body";
            }
            return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
        }
    }

    /** One line without a stack trace: an outage is not a bug, and would log one trace per request. */
    private static Response databaseUnavailable(Problems problems, Throwable e) {
        LOG.warning(() -> "Database unavailable, answered 503: " + DatabaseUnavailable.rootMessage(e));
        return problems.databaseUnavailable();
    }

    /** A body that is not JSON, or JSON of the wrong shape, is the client's error: 400. */
    @Provider
    public static class MalformedJson implements ExceptionMapper<ProcessingException> {
        @Inject
        Problems problems;

        @Override
        public Response toResponse(ProcessingException e) {
            if (isJsonError(e)) {
                return problems.response(Response.Status.BAD_REQUEST, "The request body is not valid JSON for this resource.");
            }
            LOG.log(Level.SEVERE, "Processing error", e);
            return problems.unexpected();
        }

        private static boolean isJsonError(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof JsonbException || t instanceof JsonParsingException) {
                    return true;
                }
            }
            return false;
        }
    }

    @Provider
    public static class MalformedJsonb implements ExceptionMapper<JsonbException> {
        @Inject
        Problems problems;

        @Override
        public Response toResponse(JsonbException e) {
            return problems.response(Response.Status.BAD_REQUEST, "The request body is not valid JSON for this resource.");
        }
    }

    /**
     * A unique constraint that a concurrent request won first (two sign-ups with one email, say): the
     * services check before they write, so only a race gets here; the loser's transaction is rolled back
     * and it gets 409, not 500. Services flush where such a race is possible, so the violation surfaces
     * inside the request rather than at commit.
     * <p>
     * A database that cannot be reached is 503 with Retry-After, here and wherever else it surfaces.
     */
    @Provider
    public static class ConcurrentConflicts implements ExceptionMapper<PersistenceException> {
        private static final String UNIQUE_VIOLATION = "23505";

        @Inject
        Problems problems;

        @Override
        public Response toResponse(PersistenceException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    return problems.response(ProblemType.CONFLICT,
                            "A concurrent request changed the same data first; nothing was written. Try again.", null);
                }
            }
            if (DatabaseUnavailable.isCauseOf(e)) {
                return databaseUnavailable(problems, e);
            }
            LOG.log(Level.SEVERE, "Persistence error", e);
            return problems.unexpected();
        }
    }

    /**
     * Anything else is a bug: logged with its stack trace, answered with a generic 500 and the request id.
     * Except an unreachable database that arrives wrapped otherwise (a JTA rollback, a CDI interceptor's
     * exception): 503.
     */
    @Provider
    public static class Unexpected implements ExceptionMapper<Throwable> {
        @Inject
        Problems problems;

        @Override
        public Response toResponse(Throwable e) {
            if (DatabaseUnavailable.isCauseOf(e)) {
                return databaseUnavailable(problems, e);
            }
            LOG.log(Level.SEVERE, "Unexpected error", e);
            return problems.unexpected();
        }
    }
}
