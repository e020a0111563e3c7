package dev.gatehouse.platform.requestlog;

import dev.gatehouse.platform.http.ResponseHeaders;
import dev.gatehouse.platform.problems.Problem;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * First in line for every request (the application's only servlet filter, so it wraps all of JAX-RS with
 * its filters and exception mappers): takes or makes the request id, starts the clock and the SQL
 * statement count, and writes one JSON log line when the response leaves. Tenant and user come from
 * {@link RequestContext}, read at the end, so whatever later code sets there is in the line.
 * <p>
 * It also sees error dispatches, for the one case where the container answers before any filter runs: an
 * access token the MicroProfile JWT mechanism refuses (authentication precedes the filter chain). An error
 * dispatch of a request the filter already saw passes straight through.
 */
@WebFilter(filterName = "RequestLogFilter", urlPatterns = "/*", asyncSupported = true,
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ERROR})
public class RequestLogFilter extends HttpFilter {

    public static final String REQUEST_ID_HEADER = "X-Request-ID";
    /** A client's id is kept only when it is short and harmless in a log line and a header. */
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Logger LOG = Logger.getLogger("gatehouse.request");
    /** Looked up once: every Json.createObjectBuilder() call would look the provider up again (docs/operations.md, "JSON-P provider"). */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    RequestContext context;

    @Inject
    RequestLogWriter log;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ERROR && context.requestId() != null) {
            chain.doFilter(request, response);
            return;
        }
        long started = System.nanoTime();
        String requestId = requestIdOf(request);
        context.start(request, requestId);
        response.setHeader(REQUEST_ID_HEADER, requestId);
        ResponseHeaders.addTo(response, originalPath(request));
        SqlStatementCounter.start();
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            // JAX-RS maps its own exceptions; this is the last net for whatever escapes it.
            LOG.log(Level.SEVERE, "Unhandled error in request " + requestId, e);
            if (!response.isCommitted()) {
                response.reset();
                response.setHeader(REQUEST_ID_HEADER, requestId);
                ResponseHeaders.addTo(response, originalPath(request));
                Problem problem = Problem.unexpected(originalPath(request), requestId);
                response.setStatus(problem.status());
                response.setContentType(Problem.MEDIA_TYPE);
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write(problem.toJson());
            }
        } finally {
            int statements = SqlStatementCounter.stop();
            long durationMicros = (System.nanoTime() - started) / 1_000;
            log.write(logLine(request, response, requestId, durationMicros, statements));
        }
    }

    private static String requestIdOf(HttpServletRequest request) {
        String given = request.getHeader(REQUEST_ID_HEADER);
        if (given != null && SANE_REQUEST_ID.matcher(given).matches()) {
            return given;
        }
        return newRequestId();
    }

    /**
     * A random (version 4) UUID from ThreadLocalRandom: a request id must be unique, not secret, and
     * UUID.randomUUID() makes every request take the lock of one shared SecureRandom.
     */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private String logLine(HttpServletRequest request, HttpServletResponse response, String requestId,
                           long durationMicros, int statements) {
        JsonObjectBuilder line = JSON.createObjectBuilder()
                .add("request_id", requestId)
                .add("method", request.getMethod())
                .add("path", originalPath(request))
                .add("status", response.getStatus())
                .add("duration_ms", durationMicros / 1000.0)
                .add("sql_statements", statements);
        // Null when nobody authenticated: written as JSON null so every line has the same fields.
        addOrNull(line, "tenant_id", context.tenantId());
        addOrNull(line, "user_id", context.serviceAccount() ? null : context.userId());
        addOrNull(line, "service_account_id", context.serviceAccount() ? context.userId() : null);
        return line.build().toString();
    }

    /** On an error dispatch the request URI is the error page's; the client asked for the original one. */
    private static String originalPath(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return request.getDispatcherType() == DispatcherType.ERROR && original != null
                ? original.toString() : request.getRequestURI();
    }

    private static void addOrNull(JsonObjectBuilder line, String name, UUID value) {
        if (value == null) {
            line.addNull(name);
        } else {
            line.add(name, value.toString());
        }
    }
}
