package dev.gatehouse.provisioning;

import dev.gatehouse.platform.problems.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;

/**
 * Under /scim, the problems the platform answers before or around a SCIM resource (the input guard's 400, 413
 * and 422, JAX-RS's 404, 405 and 415, a concurrent write's 409, a 503) leave in SCIM's error format too, so
 * that a directory reads every error the same way. Elsewhere nothing changes: problem+json stays.
 */
@Provider
@Priority(Priorities.ENTITY_CODER)
public class ScimErrorFormat implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem) || !request.getUriInfo().getPath().startsWith("scim/")) {
            return;
        }
        String detail = problem.detail();
        if (problem.errors() != null && !problem.errors().isEmpty()) {
            detail = detail + " " + problem.errors().stream().map(e -> e.field() + ": " + e.message())
                    .collect(Collectors.joining("; "));
        }
        String scimType = switch (problem.status()) {
            case 400, 422 -> "invalidValue";
            case 409 -> "uniqueness";
            default -> null;
        };
        int status = problem.status() == 422 ? 400 : problem.status(); // SCIM has no 422: an invalid value is 400
        response.setStatus(status);
        response.setEntity(ScimException.body(status, scimType, detail), null, MediaType.valueOf(ScimJson.MEDIA_TYPE));
    }
}
