package dev.gatehouse.platform.http;

import dev.gatehouse.platform.problems.ProblemException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses hostile input before any of it is parsed into a request object, let alone reaches the database:
 * <ul>
 *   <li>a body larger than gatehouse.request.max-body-bytes: 413, by its Content-Length before a byte is
 *       read, and for a chunked body as soon as the limit is passed while reading it;</li>
 *   <li>a body on GET, DELETE or OPTIONS: 400 (Grizzly refused these before the application saw them,
 *       with an empty 400; server-config/ now lets them through so that the answer is a problem).</li>
 * </ul>
 * Runs before authentication's database read (pre-matching, first priority) and as the only reader
 * interceptor, so JSON-B parses a body that has passed both.
 */
@Provider
@PreMatching
@Priority(0)
@ApplicationScoped
public class InputGuard implements ContainerRequestFilter, ReaderInterceptor {

    private static final Set<String> METHODS_WITHOUT_BODY = Set.of("GET", "DELETE", "OPTIONS");

    @Inject
    @ConfigProperty(name = "gatehouse.request.max-body-bytes", defaultValue = "65536")
    int maxBodyBytes;

    @Override
    public void filter(ContainerRequestContext request) {
        boolean hasBody = request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
        if (hasBody && METHODS_WITHOUT_BODY.contains(request.getMethod())) {
            throw ProblemException.badRequest("body-not-allowed", request.getMethod() + " requests have no body.");
        }
        if (request.getLength() > maxBodyBytes) {
            throw tooLarge();
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = readAtMost(context.getInputStream());
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /** The whole body, reading no more than one byte past the limit (then it answers 413). */
    private byte[] readAtMost(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBodyBytes);
        if (body.length == maxBodyBytes && in.read() != -1) {
            throw tooLarge();
        }
        return body;
    }

    private ProblemException tooLarge() {
        return new ProblemException(Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                "The request body is larger than " + maxBodyBytes + " bytes.");
    }
}
