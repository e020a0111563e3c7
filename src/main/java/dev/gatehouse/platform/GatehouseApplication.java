package dev.gatehouse.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The JAX-RS application, mounted at the root so that /api/v1/... and /.well-known/... share one servlet.
 * It must be a CDI bean: MicroProfile JWT only sees {@link LoginConfig} on a bean.
 */
@ApplicationPath("/")
@ApplicationScoped
@LoginConfig(authMethod = "MP-JWT")
public class GatehouseApplication extends Application {

    /**
     * Jersey's WADL (GET /application.wadl, and its model built at boot) is off: the API description is /openapi,
     * and a second, generated one would describe every resource to anyone who asks.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
