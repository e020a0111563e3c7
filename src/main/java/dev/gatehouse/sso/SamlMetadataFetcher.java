package dev.gatehouse.sso;

import dev.gatehouse.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a SAML IdP's metadata from its URL when an admin gives one instead of the XML: once, when the connection
 * is written (a rollover is a PUT with the new metadata). https only (plain http to this machine, for a test IdP),
 * no redirects, at most {@value #MAX_BYTES} bytes in {@code TIMEOUT}: an admin's URL cannot make the server wait
 * long, wander off, or read much.
 */
@ApplicationScoped
public class SamlMetadataFetcher {

    static final int MAX_BYTES = 1_000_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The document, or 422 on saml.metadata_url saying why not. */
    public String fetch(String url) {
        URI uri = ConnectionRules.url("saml.metadata_url", url);
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Accept", "application/samlmetadata+xml, application/xml, text/xml").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw ProblemException.invalidField("saml.metadata_url", "answered " + response.statusCode());
                }
                byte[] document = in.readNBytes(MAX_BYTES + 1);
                if (document.length > MAX_BYTES) {
                    throw ProblemException.invalidField("saml.metadata_url", "more than " + MAX_BYTES + " bytes");
                }
                return new String(document, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw ProblemException.invalidField("saml.metadata_url", "cannot be read: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.invalidField("saml.metadata_url", "cannot be read now");
        }
    }
}
