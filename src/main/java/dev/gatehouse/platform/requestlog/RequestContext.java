package dev.gatehouse.platform.requestlog;

import dev.gatehouse.platform.http.ClientAddress;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;

/**
 * What is known about the current request, filled as the request goes on: the request id by the
 * request log filter, the tenant and user once the caller is authenticated. The filter reads it again
 * when the response leaves, so context set late still reaches the log line. The client's address and user
 * agent are read from the request only when asked for (security events).
 */
@RequestScoped
public class RequestContext {

    private static final int MAX_USER_AGENT = 512;

    @Inject
    ClientAddress clientAddress;

    private HttpServletRequest request;
    private String requestId;
    private UUID tenantId;
    private UUID userId;
    private boolean serviceAccount;

    public String requestId() {
        return requestId;
    }

    void start(HttpServletRequest request, String requestId) {
        this.request = request;
        this.requestId = requestId;
    }

    /** Null outside an HTTP request. */
    public String clientAddress() {
        return request == null ? null : clientAddress.of(request);
    }

    /** At most 512 characters; null when not sent or outside an HTTP request. */
    public String userAgent() {
        String agent = request == null ? null : request.getHeader("User-Agent");
        return agent != null && agent.length() > MAX_USER_AGENT ? agent.substring(0, MAX_USER_AGENT) : agent;
    }

    public UUID tenantId() {
        return tenantId;
    }

    /** The authenticated caller: a person's account, or a service account (the actor of security events either way). */
    public UUID userId() {
        return userId;
    }

    public boolean serviceAccount() {
        return serviceAccount;
    }

    public void caller(UUID tenantId, UUID userId, boolean serviceAccount) {
        this.tenantId = tenantId;
        this.userId = userId;
        this.serviceAccount = serviceAccount;
    }
}
