package dev.gatehouse.platform.http;

import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.platform.problems.Problems;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/**
 * A problem the client may retry after a wait: 429 (too many attempts) or 503 (no capacity now), answered with
 * Retry-After in whole seconds and any further headers (the RateLimit ones).
 */
public class RetryLater extends ProblemException {

    private final long retryAfterSeconds;
    private final Map<String, String> headers;

    public RetryLater(ProblemType type, String detail, long retryAfterSeconds, Map<String, String> headers) {
        super(type, detail);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
        this.headers = Map.copyOf(headers);
    }

    public RetryLater(ProblemType type, String detail, long retryAfterSeconds) {
        this(type, detail, retryAfterSeconds, Map.of());
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Provider
    public static class Mapper implements ExceptionMapper<RetryLater> {
        @Inject
        Problems problems;

        @Override
        public Response toResponse(RetryLater e) {
            Response.ResponseBuilder answer = Response.fromResponse(problems.response(e.type(), e.getMessage(), null));
            answer.header("Retry-After", e.retryAfterSeconds);
            e.headers.forEach(answer::header);
            return answer.build();
        }
    }
}
