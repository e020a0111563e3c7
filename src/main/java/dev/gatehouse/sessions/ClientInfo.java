package dev.gatehouse.sessions;

import dev.gatehouse.platform.http.ClientAddress;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.http.HttpServletRequest;

/** Who asked for a session, kept with its refresh tokens so a user can recognise their sessions. */
public record ClientInfo(String ip, String userAgent) {

    private static final int MAX_USER_AGENT = 512;

    /**
     * The client's address as {@link ClientAddress} resolves it (behind a trusted proxy, the forwarded one).
     * Looked up here rather than passed in, so the resources keep calling {@code ClientInfo.of(request)}.
     */
    public static ClientInfo of(HttpServletRequest request) {
        String agent = request.getHeader("User-Agent");
        if (agent != null && agent.length() > MAX_USER_AGENT) {
            agent = agent.substring(0, MAX_USER_AGENT);
        }
        return new ClientInfo(CDI.current().select(ClientAddress.class).get().of(request), agent);
    }
}
