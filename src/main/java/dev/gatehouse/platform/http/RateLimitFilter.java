package dev.gatehouse.platform.http;

import dev.gatehouse.platform.problems.ProblemType;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/**
 * Enforces {@link RateLimited}: takes a token from the client address's bucket before anything else runs
 * (authentication, the body's parsing), and tells the client where it stands in the RateLimit and
 * RateLimit-Policy headers (draft-ietf-httpapi-ratelimit-headers) of every answer.
 */
@Provider
@RateLimited("") // name binding matches on the annotation's type; the limit is the resource method's
@Priority(Priorities.AUTHENTICATION - 100)
public class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String STATE = RateLimitFilter.class.getName();

    @Context
    ResourceInfo resourceInfo;

    @Context
    HttpServletRequest servletRequest;

    @Inject
    RateLimits rateLimits;

    @Inject
    ClientAddress clientAddress;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!rateLimits.enabled()) {
            return;
        }
        RateLimited limited = resourceInfo.getResourceMethod().getAnnotation(RateLimited.class);
        if (limited == null) {
            limited = resourceInfo.getResourceClass().getAnnotation(RateLimited.class);
        }
        RateLimits.Outcome outcome = rateLimits.take(limited.value(), clientAddress.of(servletRequest));
        if (!outcome.allowed()) {
            throw new RetryLater(ProblemType.RATE_LIMITED,
                    "Too many requests from this address. Try again later.", outcome.resetSeconds(), headers(outcome));
        }
        request.setProperty(STATE, outcome);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(STATE) instanceof RateLimits.Outcome outcome) {
            headers(outcome).forEach(response.getHeaders()::putSingle);
        }
    }

    private static Map<String, String> headers(RateLimits.Outcome outcome) {
        String name = "\"" + outcome.limit() + "\"";
        return Map.of(
                "RateLimit-Policy", name + ";q=" + outcome.capacity() + ";w=60",
                "RateLimit", name + ";r=" + outcome.remaining() + ";t=" + outcome.resetSeconds());
    }
}
