package dev.gatehouse.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * /api/reference: a page for people that renders the API description served at /openapi (it loads the
 * document in the browser; nothing external). A resource rather than a file in src/main/webapp because the
 * JAX-RS application is mounted at the root and so answers every path.
 */
@ApplicationScoped
@Path("/api/reference")
public class ApiReferenceResource {

    private static final String PAGE = load();

    @GET
    @Produces(MediaType.TEXT_HTML + ";charset=utf-8")
    public String page() {
        return PAGE;
    }

    private static String load() {
        try (InputStream in = ApiReferenceResource.class.getResourceAsStream("/META-INF/api-reference.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
