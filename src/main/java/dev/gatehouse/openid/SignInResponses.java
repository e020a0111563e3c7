package dev.gatehouse.openid;

import dev.gatehouse.openid.SignInFlow.AskFirst;
import dev.gatehouse.openid.SignInFlow.Page;
import dev.gatehouse.openid.SignInFlow.Redirect;
import dev.gatehouse.openid.SignInFlow.SignedIn;
import dev.gatehouse.openid.SignInFlow.Step;
import dev.gatehouse.openid.SignInFlow.ToProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The hosted sign-in's answers to the browser ({@link SignInPageResource}, {@link SsoSignInResource}): a page with
 * its security headers, a redirect, and the cookies, all HttpOnly, Secure, SameSite=Lax and scoped to
 * /api/v1/oauth: the sign-in session, the per-request binding, and the upstream sign-in's (an instance-wide
 * provider's or a tenant's connection's).
 */
@ApplicationScoped
public class SignInResponses {

    static final String SESSION_COOKIE = "gatehouse_session";
    static final String UPSTREAM_COOKIE = "gatehouse_upstream";
    private static final String BINDING_COOKIE_PREFIX = "gatehouse_request_";
    private static final String COOKIE_PATH = "/api/v1/oauth";
    private static final String HTML = "text/html;charset=utf-8";

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.refresh-token-days")
    int sessionDays;

    /**
     * What the upstream cookie holds while the browser is at an upstream provider or a tenant's IdP: the request it
     * signs in for, that request's binding (its own cookie), and the upstream sign-in's binding; nulls without one.
     */
    record Upstream(String requestId, String requestBinding, String upstreamBinding) {

        static Upstream of(HttpHeaders headers) {
            String upstream = cookie(headers, UPSTREAM_COOKIE);
            int dot = upstream == null ? -1 : upstream.indexOf('.');
            String request = dot < 0 ? null : upstream.substring(0, dot);
            return new Upstream(request, binding(headers, request), dot < 0 ? null : upstream.substring(dot + 1));
        }
    }

    /** The answer to the browser's return from upstream: its upstream cookie goes, whatever the outcome. */
    Response answerFromUpstream(Step step) {
        return Response.fromResponse(answer(step)).header("Set-Cookie", cookieHeader(UPSTREAM_COOKIE, "", 0)).build();
    }

    Response answer(Step step) {
        return switch (step) {
            case Redirect redirect -> Response.seeOther(redirect.location()).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
            case ToProvider provider -> Response.seeOther(provider.location()).header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .header("Set-Cookie", cookieHeader(UPSTREAM_COOKIE, provider.requestId() + "." + provider.binding(),
                            PendingAuthorizations.LIFETIME_SECONDS))
                    .build();
            case AskFirst question -> answer(question.page());
            case SignedIn signedIn -> Response.fromResponse(answer(signedIn.next()))
                    .header("Set-Cookie", cookieHeader(SESSION_COOKIE, signedIn.sessionCookie(), sessionDays * 86_400L))
                    .build();
            case Page page -> {
                Response.ResponseBuilder response = Response.status(page.status()).type(HTML).entity(page.html())
                        .header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                                + "form-action 'self'" + formTarget(page) + "; frame-ancestors 'none'; base-uri 'none'")
                        .header("X-Frame-Options", "DENY")
                        .header("Referrer-Policy", "no-referrer")
                        .header(HttpHeaders.CACHE_CONTROL, "no-store");
                if (page.binding() != null) {
                    response.header("Set-Cookie", cookieHeader(BINDING_COOKIE_PREFIX + page.request().id(), page.binding(),
                            PendingAuthorizations.LIFETIME_SECONDS));
                }
                yield response.build();
            }
        };
    }

    /**
     * Where the page's form may lead: this server, and the client's redirect URI, since a form post answered by
     * a redirect to the client is held to form-action too.
     */
    private static String formTarget(Page page) {
        if (page.request() == null) {
            return "";
        }
        URI redirect = URI.create(page.request().redirectUri());
        String scheme = redirect.getScheme().toLowerCase(Locale.ROOT);
        return " " + (redirect.getRawAuthority() == null ? scheme + ":" : scheme + "://" + redirect.getRawAuthority());
    }

    static String cookieHeader(String name, String value, long maxAgeSeconds) {
        return name + "=" + value + "; Path=" + COOKIE_PATH + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; Secure; SameSite=Lax";
    }

    static String binding(HttpHeaders headers, String requestId) {
        return requestId == null || requestId.length() > 36 ? null : cookie(headers, BINDING_COOKIE_PREFIX + requestId);
    }

    static String cookie(HttpHeaders headers, String name) {
        Cookie cookie = headers.getCookies().get(name);
        return cookie == null ? null : cookie.getValue();
    }
}
