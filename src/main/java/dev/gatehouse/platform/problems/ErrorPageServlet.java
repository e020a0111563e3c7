package dev.gatehouse.platform.problems;

import dev.gatehouse.platform.requestlog.RequestContext;
import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container's error page (web.xml), for errors raised outside JAX-RS: chiefly the 401 that the
 * MicroProfile JWT mechanism sends for an invalid token. Answers problem+json instead of HTML.
 * <p>
 * A refused token is logged here, once, at FINE and without the token: MicroProfile JWT's own INFO line
 * with a stack trace for each one is switched off when the application starts (anyone could flood the log
 * with them).
 */
@WebServlet(urlPatterns = "/error-page", loadOnStartup = 1)
public class ErrorPageServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());

    /**
     * MicroProfile JWT's identity store logs every refused token at INFO with a stack trace. Its level is set
     * here rather than with asadmin set-log-levels, which on Payara Micro re-reads the logging configuration and
     * so loses the JSON format (server-config/logging-json.properties). A level the operator gave this logger
     * is kept. Held in a field: the log manager keeps loggers only weakly, and their levels with them.
     */
    private static final Logger MP_JWT_LOG = Logger.getLogger("fish.payara.microprofile.jwtauth.eesecurity.SignedJWTIdentityStore");

    @Override
    public void init() {
        if (MP_JWT_LOG.getLevel() == null) {
            MP_JWT_LOG.setLevel(Level.WARNING);
        }
    }

    @Inject
    RequestContext context;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri == null ? request.getRequestURI() : uri.toString();
        Problem problem = status >= 500
                ? Problem.unexpected(instance, context.requestId())
                : new Problem("about:blank", reasonPhrase(status), status, detailFor(status), instance, context.requestId(), null);
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8"); // the servlet default is ISO-8859-1; JSON is UTF-8
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
            LOG.fine(() -> "Access token refused (invalid or expired): " + request.getMethod() + " " + instance
                    + ", request " + context.requestId());
        }
        response.getWriter().write(problem.toJson());
    }

    private static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known == null ? "Error" : known.getReasonPhrase();
    }

    private static String detailFor(int status) {
        return status == 401 ? "The access token is missing, invalid or expired." : reasonPhrase(status);
    }
}
