package dev.gatehouse.openid;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.tokens.AccessTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OpenID Connect Back-Channel Logout 1.0: delivers the outbox's due notifications ({@link LogoutNotifications}),
 * each a POST of {@code logout_token=<JWT>} to the client's backchannel_logout_uri. A 2xx answer is delivered;
 * anything else (another status, a timeout, no connection) is retried with a doubling backoff, and given up after
 * gatehouse.backchannel-logout.max-attempts (logged, and a security event). Several instances share the outbox:
 * each claims its rows (FOR UPDATE SKIP LOCKED). Run by {@link BackChannelLogoutJob}.
 */
@ApplicationScoped
public class BackChannelLogout {

    private static final Logger LOG = Logger.getLogger(BackChannelLogout.class.getName());
    private static final int BATCH = 20;
    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    /** A logout token is acted on at once; a few minutes allow for clocks that differ. */
    private static final long LIFETIME_SECONDS = 120;

    @Inject
    LogoutNotifications notifications;

    @Inject
    AccessTokens tokens;

    @Inject
    SignInFlow flow;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    @ConfigProperty(name = "gatehouse.backchannel-logout.retry-seconds")
    long retrySeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.backchannel-logout.max-attempts")
    int maxAttempts;

    @Inject
    @ConfigProperty(name = "gatehouse.backchannel-logout.timeout-seconds")
    long timeoutSeconds;

    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile HttpClient http;

    /** Delivers every due notification; one drain at a time per instance. */
    void sendDue() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        try {
            List<LogoutNotifications.Claimed> claimed;
            do {
                claimed = notifications.claimDue(BATCH);
                claimed.forEach(this::deliver);
            } while (claimed.size() == BATCH);
        } catch (RuntimeException e) {
            LOG.warning("Sending logout notifications failed; the next run tries again: " + e);
        } finally {
            draining.set(false);
        }
    }

    private void deliver(LogoutNotifications.Claimed notification) {
        String error;
        try {
            HttpResponse<Void> answer = client().send(HttpRequest.newBuilder(URI.create(notification.uri()))
                    .timeout(Duration.ofSeconds(timeoutSeconds))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("logout_token="
                            + URLEncoder.encode(logoutToken(notification), StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 == 2) {
                notifications.delivered(notification.id());
                return;
            }
            error = "HTTP " + answer.statusCode();
        } catch (IOException | RuntimeException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean lastTry = notification.attempts() >= maxAttempts;
        String reason = error;
        LOG.log(lastTry ? Level.SEVERE : Level.WARNING, () -> "Logout notification " + notification.id() + " to client "
                + notification.clientId() + " not delivered (attempt " + notification.attempts() + " of " + maxAttempts
                + (lastTry ? ", giving up" : ", will retry") + "): " + reason);
        notifications.failed(notification.id(), notification.attempts(), retrySeconds, reason);
        if (lastTry) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.LOGOUT_NOTIFICATION_GIVEN_UP, notification.tenantId())
                    .subjectUser(notification.userId()).detail("client_id", notification.clientId().toString())
                    .detail("sid", notification.sid().toString()).detail("error", reason));
        }
    }

    /** Back-Channel Logout §2.4: typ logout+jwt, sub and sid, the event, and never a nonce. */
    String logoutToken(LogoutNotifications.Claimed notification) {
        long now = Instant.now().getEpochSecond();
        return tokens.sign("logout+jwt", Json.createObjectBuilder()
                .add("iss", flow.issuer())
                .add("aud", notification.clientId().toString())
                .add("iat", now)
                .add("exp", now + LIFETIME_SECONDS)
                .add("jti", UUID.randomUUID().toString())
                .add("sub", notification.userId().toString())
                .add("sid", notification.sid().toString())
                .add("events", Json.createObjectBuilder().add(EVENT, Json.createObjectBuilder())));
    }

    /** No redirects: a logout token goes to the registered URI only. */
    private HttpClient client() {
        HttpClient client = http;
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeoutSeconds))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            http = client;
        }
        return client;
    }
}
