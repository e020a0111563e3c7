package dev.gatehouse.platform.problems;

import jakarta.ws.rs.core.Response.Status;

/**
 * Thrown by application code to answer with a problem: the status, a short type name (the part after
 * {@code urn:gatehouse:problem:}) and a detail for the client. Nothing the client should not see goes in.
 */
public class ProblemException extends RuntimeException {

    private final Status status;
    private final String type;

    public ProblemException(Status status, String type, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
    }

    public Status status() {
        return status;
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
