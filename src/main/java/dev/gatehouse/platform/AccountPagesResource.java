package dev.gatehouse.platform;

import dev.gatehouse.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * /account/{file}: the pages the links in mails open (src/main/webapp/account/: verify email, set a new
 * password, accept an invitation, and their script and stylesheet). Served by a resource because the JAX-RS
 * application is mounted at the root and so answers every path. The pages load nothing from elsewhere and
 * must not be framed; they send no Referer (their URL held a token until their script removed it).
 */
@ApplicationScoped
@Path("/account/{file}")
public class AccountPagesResource {

    private static final Pattern FILE = Pattern.compile("[a-z-]+\\.(html|js|css)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8", "css", "text/css;charset=utf-8");

    @Context
    ServletContext servlet;

    @GET
    public Response file(@PathParam("file") String file) {
        Matcher name = FILE.matcher(file);
        if (!name.matches()) {
            throw ProblemException.notFound("Page");
        }
        try (InputStream in = servlet.getResourceAsStream("/account/" + file)) {
            if (in == null) {
                throw ProblemException.notFound("Page");
            }
            return Response.ok(in.readAllBytes(), TYPES.get(name.group(1)))
                    .header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-cache")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
