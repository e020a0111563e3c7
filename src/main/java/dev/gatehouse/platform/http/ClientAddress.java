package dev.gatehouse.platform.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The address of the client of a request: the peer of the connection.
 */
@ApplicationScoped
public class ClientAddress {

    public String of(HttpServletRequest request) {
        return request.getRemoteAddr();
    }
}
