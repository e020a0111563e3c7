package dev.gatehouse.platform.problems;

import jakarta.ws.rs.core.Response.Status;
import java.util.List;

/**
 * Thrown by application code to answer with a problem: the status, a short type name (the part after
 * {@code urn:gatehouse:problem:}) and a detail for the client. Nothing the client should not see goes in.
 */
public class ProblemException extends RuntimeException {

    private final Status status;
    private final String type;
    private final List<Problem.FieldError> errors;

    public ProblemException(Status status, String type, String detail) {
        this(status, type, detail, null);
    }

    private ProblemException(Status status, String type, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.errors = errors;
    }

    /** 422 for one invalid field that Bean Validation cannot check (a query parameter that is not a number, say). */
    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(null, "validation", "The request has invalid fields.",
                List.of(new Problem.FieldError(field, message)));
    }

    /** 422 for fields refused before Bean Validation runs (control characters, say). */
    public static ProblemException invalidFields(List<Problem.FieldError> errors) {
        return new ProblemException(null, "validation", "The request has invalid fields.", List.copyOf(errors));
    }

    /** The HTTP status; 422 has no constant in JAX-RS's Status. */
    public int statusCode() {
        return errors == null ? status.getStatusCode() : 422;
    }

    public String title() {
        return errors == null ? status.getReasonPhrase() : "Unprocessable Content";
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public String type() {
        return type;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Status.NOT_FOUND, "not-found", what + " not found.");
    }

    public static ProblemException badRequest(String type, String detail) {
        return new ProblemException(Status.BAD_REQUEST, type, detail);
    }
}
