package dev.gatehouse.platform.problems;

import java.util.List;

/**
 * Thrown by application code to answer with a problem of the catalogue ({@link ProblemType}) and a detail for
 * the client. Nothing the client should not see goes in.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.FieldError> errors;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    private ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors;
    }

    /** 422 for one invalid field that Bean Validation cannot check (a query parameter that is not a number, say). */
    public static ProblemException invalidField(String field, String message) {
        return invalidFields(List.of(new Problem.FieldError(field, message)));
    }

    /** 422 for fields refused before Bean Validation runs (control characters, say). */
    public static ProblemException invalidFields(List<Problem.FieldError> errors) {
        return new ProblemException(ProblemType.VALIDATION, ProblemType.VALIDATION_DETAIL, List.copyOf(errors));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found.");
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
