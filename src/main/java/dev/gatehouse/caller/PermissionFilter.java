package dev.gatehouse.caller;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Enforces {@link RequiresPermission}. The caller's permissions come with the caller's state (CurrentUser,
 * cached or one statement), so a check costs no query of its own. An endpoint guarded by a permission admits a
 * service account as well as a person.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class PermissionFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resourceInfo;

    @Inject
    CurrentUser currentUser;

    @Override
    public void filter(ContainerRequestContext request) {
        RequiresPermission required = resourceInfo.getResourceMethod() == null
                ? null : resourceInfo.getResourceMethod().getAnnotation(RequiresPermission.class);
        if (required != null) {
            currentUser.admitServiceAccount();
            currentUser.requirePermission(required.value(), required.superuserBypass());
        }
    }
}
