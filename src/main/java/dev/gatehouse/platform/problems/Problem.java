package dev.gatehouse.platform.problems;

import dev.gatehouse.platform.JsonbConfiguration;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response. {@code type} is {@code about:blank} when
 * the HTTP status says it all, otherwise one of the {@link ProblemType} catalogue, which clients can switch on.
 */
@JsonbPropertyOrder({"type", "title", "status", "detail", "instance", "requestId", "errors"})
public record Problem(String type, String title, int status, String detail, String instance, String requestId,
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field of a request body or query, for 422 responses. */
    public record FieldError(String field, String message) {
    }

    public static Problem unexpected(String instance, String requestId) {
        return new Problem("about:blank", "Internal Server Error", 500,
                "An unexpected error occurred. Quote the request id when reporting it.", instance, requestId, null);
    }

    public String toJson() {
        return JsonbConfiguration.jsonb().toJson(this);
    }
}
