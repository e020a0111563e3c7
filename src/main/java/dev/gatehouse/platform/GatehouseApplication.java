package dev.gatehouse.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * The JAX-RS application, mounted at the root so that /api/v1/... and /.well-known/... share one servlet.
 * It must be a CDI bean: MicroProfile JWT only sees {@link LoginConfig} on a bean.
 */
@ApplicationPath("/")
@ApplicationScoped
@LoginConfig(authMethod = "MP-JWT")
@OpenAPIDefinition(info = @Info(title = "Gatehouse", version = "v1",
        description = "Multi-tenant identity and user management: tenants, users, tokens, roles."))
public class GatehouseApplication extends Application {
}
