package dev.gatehouse.openid;

import dev.gatehouse.mfa.MfaRecords.TotpEnrolment;
import dev.gatehouse.tenants.TenantSummary;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The hosted sign-in page's HTML: plain forms that post to this server, no script at all, and the account pages'
 * stylesheet; so the Content-Security-Policy can forbid every script and every other origin (images may be data:
 * URIs, for the enrolment's QR code). Every value from a
 * request or the database is escaped.
 */
@ApplicationScoped
public class SignInPages {

    static final String STYLESHEET = "/account/account.css";

    /** {@code providers}: the upstream providers configured, each a button. */
    String password(AuthorizationRequest request, String clientName, List<String> providers, String email, String error) {
        StringBuilder buttons = new StringBuilder();
        for (String provider : providers) {
            buttons.append("<p><a class=\"provider\" id=\"provider-").append(escape(provider))
                    .append("\" href=\"/api/v1/oauth/sign-in/upstream/").append(escape(provider)).append("?request=")
                    .append(request.id()).append("\">Continue with ").append(escape(displayName(provider))).append("</a></p>\n");
        }
        return page("Sign in", "Sign in to continue to " + escape(clientName) + ".", error, buttons + """
                <form method="post" action="/api/v1/oauth/sign-in">
                    %s
                    <label for="email">Email</label>
                    <input id="email" name="email" type="email" autocomplete="username" required maxlength="320" value="%s"%s>
                    <label for="password">Password</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"%s>
                    <button type="submit" id="submit">Sign in</button>
                </form>
                <p class="hint"><a href="/api/v1/oauth/sign-in/forgot?request=%s">Forgot your password?</a></p>
                <form method="post" action="/api/v1/oauth/sign-in/sso">
                    %s
                    <label for="sso-email">Or sign in through your organisation (single sign-on)</label>
                    <input id="sso-email" name="email" type="email" autocomplete="username" required maxlength="320">
                    <button type="submit" id="sso-submit">Continue with single sign-on</button>
                </form>"""
                .formatted(requestField(request), escape(email == null ? "" : email), email == null ? " autofocus" : "",
                        email == null ? "" : " autofocus", request.id(), requestField(request)));
    }

    /** The organisations through whose identity providers the address may sign in, each a button. */
    String ssoChoices(AuthorizationRequest request, String clientName, List<SsoChoice> choices) {
        StringBuilder buttons = new StringBuilder();
        for (SsoChoice choice : choices) {
            buttons.append("<p><a class=\"provider\" id=\"sso-").append(choice.connectionId())
                    .append("\" href=\"/api/v1/oauth/sign-in/sso/").append(choice.connectionId()).append("?request=")
                    .append(request.id()).append("\">").append(escape(choice.tenantName())).append(": ")
                    .append(escape(choice.connectionName())).append("</a></p>\n");
        }
        return page("Single sign-on", "Sign in to " + escape(clientName) + " through your organisation's sign-in.",
                null, buttons.toString());
    }

    record SsoChoice(String connectionId, String connectionName, String tenantName) {
    }

    String secondFactor(AuthorizationRequest request, String clientName, String error) {
        return page("Second factor", "Enter the code your authenticator app shows for " + escape(clientName)
                + ", or one of your recovery codes.", error, """
                <form method="post" action="/api/v1/oauth/sign-in/mfa">
                    %s
                    <label for="code">Code</label>
                    <input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="text" required
                           maxlength="40" autofocus>
                    <button type="submit" id="submit">Continue</button>
                </form>""".formatted(requestField(request)));
    }

    /** Enrolment: the QR code (a data: PNG) and the key to type instead, and the first code. */
    String enrolment(AuthorizationRequest request, String clientName, TotpEnrolment enrolment, String error) {
        return page("Set up a second factor", "Your organisation requires a second factor to sign in to "
                + escape(clientName) + ". Scan this code with an authenticator app, then enter the code it shows.", error, """
                <p><img src="%s" alt="QR code for your authenticator app" width="200" height="200"></p>
                <p class="hint">Or enter this key: <code id="secret">%s</code></p>
                <form method="post" action="/api/v1/oauth/sign-in/mfa/enrol">
                    %s
                    <label for="code">Code</label>
                    <input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric" required
                           maxlength="16" autofocus>
                    <button type="submit" id="submit">Turn it on</button>
                </form>""".formatted(escape(enrolment.qrCode()), escape(enrolment.secret()), requestField(request)));
    }

    /** The recovery codes, shown this once, then on to the application. */
    String recoveryCodes(AuthorizationRequest request, List<String> codes) {
        StringBuilder list = new StringBuilder();
        codes.forEach(code -> list.append("<li><code>").append(escape(code)).append("</code></li>"));
        return page("Your recovery codes", "Keep these somewhere safe: each signs you in once if you lose your "
                + "authenticator. They are not shown again.", null, """
                <ul id="recovery-codes">%s</ul>
                <form method="post" action="/api/v1/oauth/sign-in/continue">
                    %s
                    <button type="submit" id="submit">I have kept them, continue</button>
                </form>""".formatted(list, requestField(request)));
    }

    String tenants(AuthorizationRequest request, String clientName, List<TenantSummary> tenants) {
        StringBuilder buttons = new StringBuilder();
        for (TenantSummary tenant : tenants) {
            buttons.append("<button type=\"submit\" name=\"tenant\" value=\"").append(tenant.id()).append("\">")
                    .append(escape(tenant.name())).append("</button>\n");
        }
        return page("Choose an organisation", "Which organisation do you sign in to " + escape(clientName) + " for?", null, """
                <form method="post" action="/api/v1/oauth/sign-in/tenant" class="choices">
                    %s
                    %s</form>""".formatted(requestField(request), buttons));
    }

    String forgotPassword(AuthorizationRequest request) {
        return page("Forgot your password?", "We send a link to set a new password to this address, if an account has it.",
                null, """
                <form method="post" action="/api/v1/oauth/sign-in/forgot">
                    %s
                    <label for="email">Email</label>
                    <input id="email" name="email" type="email" autocomplete="username" required maxlength="320" autofocus>
                    <button type="submit" id="submit">Send me a link</button>
                </form>""".formatted(requestField(request)));
    }

    String notice(String title, String message) {
        return page(title, escape(message), null, "");
    }

    /** A logout no client vouched for (no id_token_hint): the person confirms it, by a same-site form post. */
    String confirmLogout(String clientName, String clientId, String redirectUri, String state) {
        StringBuilder fields = new StringBuilder("<input type=\"hidden\" name=\"confirm\" value=\"yes\">");
        hidden(fields, "client_id", clientId);
        hidden(fields, "post_logout_redirect_uri", redirectUri);
        hidden(fields, "state", state);
        return page("Sign out?", clientName == null ? "Sign out of Gatehouse in this browser?"
                : "Sign out of Gatehouse in this browser, as " + escape(clientName) + " asks?", null, """
                <form method="post" action="/api/v1/oauth/logout">
                    %s
                    <button type="submit" id="submit">Sign out</button>
                </form>""".formatted(fields));
    }

    /** Signed out; {@code back}: the client's registered page to return to, if it named one. */
    String signedOut(String back, String clientName) {
        String link = back == null ? "" : "<p><a id=\"back\" href=\"" + escape(back) + "\">Back to "
                + escape(clientName) + "</a></p>";
        return page("You are signed out", "You are signed out of Gatehouse in this browser. You can close this page.", null, link);
    }

    private static void hidden(StringBuilder fields, String name, String value) {
        if (value != null) {
            fields.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(escape(value)).append("\">");
        }
    }

    /** github: GitHub's name as people know it; any other: capitalised. */
    private static String displayName(String provider) {
        return switch (provider) {
            case "github" -> "GitHub";
            case "gitlab" -> "GitLab";
            default -> provider.isEmpty() ? provider : Character.toUpperCase(provider.charAt(0)) + provider.substring(1);
        };
    }

    private static String requestField(AuthorizationRequest request) {
        return "<input type=\"hidden\" name=\"request\" value=\"" + request.id() + "\">";
    }

    private static String page(String title, String lead, String error, String body) {
        String status = error == null ? "<div id=\"status\" role=\"status\"></div>"
                : "<div id=\"status\" class=\"error\" role=\"alert\">" + escape(error) + "</div>";
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                    <meta charset="utf-8">
                    <meta name="viewport" content="width=device-width, initial-scale=1">
                    <title>%s</title>
                    <link rel="stylesheet" href="%s">
                </head>
                <body>
                <main>
                    <h1>%s</h1>
                    <p>%s</p>
                    %s
                    %s
                </main>
                </body>
                </html>
                """.formatted(escape(title), STYLESHEET, escape(title), lead, status, body);
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
