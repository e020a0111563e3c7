package dev.gatehouse.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * The {@code servers} of the API description served at /openapi (META-INF/openapi.yaml) come from
 * {@code gatehouse.openapi.servers} (GATEHOUSE_OPENAPI_SERVERS), comma separated; unset, the document's own
 * {@code /} stays: the host the document was fetched from. A filter rather than MicroProfile's
 * {@code mp.openapi.servers}: Payara Micro 7.2025.1 reads that key only under its exact name (a system
 * property or a properties file), not from the environment variable MP_OPENAPI_SERVERS, and an empty default
 * in the catalogue would make it fail; registered with {@code mp.openapi.filter}.
 * <p>
 * It also empties Payara's own {@code endpoints} map (a list of the application's paths that Payara adds to
 * its model and writes as a top-level {@code endpoints} attribute, which is not OpenAPI: openapi-generator's
 * validation fails on it). Payara omits an empty map. There is no setting for it, hence the reflection on
 * Payara's model class; without that method (another Payara), nothing happens and OpenApiChecks fails.
 */
public class OpenApiServers implements OASFilter {

    static final String KEY = "gatehouse.openapi.servers";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        try {
            openAPI.getClass().getMethod("setEndpoints", Map.class).invoke(openAPI, new LinkedHashMap<>());
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not Payara's model: nothing to remove
        }
        List<String> urls = urls(Settings.get(KEY));
        if (!urls.isEmpty()) {
            openAPI.setServers(new ArrayList<>());
            urls.forEach(url -> openAPI.addServer(OASFactory.createServer().url(url)));
        }
    }

    static List<String> urls(String value) {
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::strip).filter(url -> !url.isEmpty()).toList();
    }
}
