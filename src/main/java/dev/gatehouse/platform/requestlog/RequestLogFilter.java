package dev.gatehouse.platform.requestlog;

import dev.gatehouse.platform.problems.Problem;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * First in line for every request: takes or makes the request id, starts the clock and the SQL statement
 * count, and writes one JSON log line when the response leaves. Tenant and user come from
 * {@link RequestContext}, read at the end, so whatever later code sets there is in the line.
 */
@WebFilter(filterName = "RequestLogFilter", urlPatterns = "/*", asyncSupported = true)
@Priority(0)
public class RequestLogFilter extends HttpFilter {

    public static final String REQUEST_ID_HEADER = "X-Request-ID";
    /** A client's id is kept only when it is short and harmless in a log line and a header. */
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Logger LOG = Logger.getLogger("gatehouse.request");

    @Inject
    RequestContext context;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        String requestId = requestIdOf(request);
        context.requestId(requestId);
        response.setHeader(REQUEST_ID_HEADER, requestId);
        SqlStatementCounter.start();
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            // JAX-RS maps its own exceptions; this is the last net for whatever escapes it.
            LOG.log(Level.SEVERE, "Unhandled error in request " + requestId, e);
            if (!response.isCommitted()) {
                response.reset();
                response.setHeader(REQUEST_ID_HEADER, requestId);
                Problem problem = Problem.unexpected(request.getRequestURI(), requestId);
                response.setStatus(problem.status());
                response.setContentType(Problem.MEDIA_TYPE);
                response.getWriter().write(problem.toJson());
            }
        } finally {
            int statements = SqlStatementCounter.stop();
            long durationMicros = (System.nanoTime() - started) / 1_000;
            LOG.info(logLine(request, response, requestId, durationMicros, statements));
        }
    }

    private static String requestIdOf(HttpServletRequest request) {
        String given = request.getHeader(REQUEST_ID_HEADER);
        if (given != null && SANE_REQUEST_ID.matcher(given).matches()) {
            return given;
        }
        return UUID.randomUUID().toString();
    }

    private String logLine(HttpServletRequest request, HttpServletResponse response, String requestId,
                           long durationMicros, int statements) {
        JsonObjectBuilder line = Json.createObjectBuilder()
                .add("request_id", requestId)
                .add("method", request.getMethod())
                .add("path", request.getRequestURI())
                .add("status", response.getStatus())
                .add("duration_ms", durationMicros / 1000.0)
                .add("sql_statements", statements);
        // Null when nobody authenticated: written as JSON null so every line has the same fields.
        addOrNull(line, "tenant_id", context.tenantId());
        addOrNull(line, "user_id", context.userId());
        return line.build().toString();
    }

    private static void addOrNull(JsonObjectBuilder line, String name, UUID value) {
        if (value == null) {
            line.addNull(name);
        } else {
            line.add(name, value.toString());
        }
    }
}
