package dev.gatehouse.platform.requestlog;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/**
 * What is known about the current request, filled as the request goes on: the request id by the
 * request log filter, the tenant and user once the caller is authenticated. The filter reads it again
 * when the response leaves, so context set late still reaches the log line.
 */
@RequestScoped
public class RequestContext {

    private String requestId;
    private UUID tenantId;
    private UUID userId;

    public String requestId() {
        return requestId;
    }

    void requestId(String requestId) {
        this.requestId = requestId;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public UUID userId() {
        return userId;
    }

    public void caller(UUID tenantId, UUID userId) {
        this.tenantId = tenantId;
        this.userId = userId;
    }
}
