package dev.gatehouse.platform.http;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Headers every response of the application carries, set by the request log filter (first in line) before
 * anything else writes: {@code X-Content-Type-Options: nosniff}, and {@code Cache-Control: no-store} on the
 * API. The API's responses hold tokens (register, login, refresh, the OAuth callback) or personal data,
 * which no cache may keep; marking the whole API also covers endpoints added later. A resource that sets
 * its own Cache-Control replaces it. The Server and X-Powered-By headers are switched off in server-config/.
 */
public final class ResponseHeaders {

    private ResponseHeaders() {
    }

    /** {@code path}: the path the client asked for (on an error dispatch, not the error page's). */
    public static void addTo(HttpServletResponse response, String path) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (path.startsWith("/api/")) {
            response.setHeader("Cache-Control", "no-store");
        }
    }
}
