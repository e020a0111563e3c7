package dev.gatehouse.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The links in mails: gatehouse.public-base-url, then the page, then the token in the fragment: a browser
 * never sends a fragment to a server, so the token stays out of access logs and Referer headers.
 */
@ApplicationScoped
public class MailLinks {

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String baseUrl;

    /** For example {@code https://id.example.com/account/reset-password.html#token=...}. */
    public String to(String page, String token) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + "/account/" + page + "#token=" + token;
    }
}
