package dev.gatehouse.platform.shutdown;

import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The requests' side of {@link GracefulShutdown}: counts the requests in flight; while draining, closes each
 * connection after its response (a client's next request opens a new connection, which the load balancer
 * sends to another instance); once stopping, refuses new requests with 503 and Retry-After.
 */
@WebFilter(filterName = "DrainFilter", urlPatterns = "/*", asyncSupported = true)
public class DrainFilter extends HttpFilter {

    /** Seconds a refused client should wait: another instance can take the request at once. */
    private static final int RETRY_AFTER_SECONDS = 1;

    @Inject
    GracefulShutdown shutdown;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        GracefulShutdown.Phase phase = shutdown.phase();
        if (phase != GracefulShutdown.Phase.SERVING) {
            response.setHeader("Connection", "close");
        }
        if (phase == GracefulShutdown.Phase.STOPPING) {
            response.setStatus(ProblemType.SHUTTING_DOWN.status());
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            response.setContentType(Problem.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(new Problem(ProblemType.SHUTTING_DOWN.uri(), ProblemType.SHUTTING_DOWN.title(), ProblemType.SHUTTING_DOWN.status(),
                    "This instance is shutting down. Try again.", request.getRequestURI(), null, null).toJson());
            return;
        }
        shutdown.requestStarted();
        try {
            chain.doFilter(request, response);
        } finally {
            shutdown.requestEnded();
        }
    }
}
