package dev.gatehouse.platform.problems;

import java.util.Locale;

/**
 * The catalogue of problem types: every problem Gatehouse answers whose HTTP status does not say it all has one
 * of these types, {@code urn:gatehouse:problem:<slug>}, with its one status and title (RFC 9457: the title is the
 * type's, the detail the occurrence's). The same list is published as the {@code ProblemType} schema of the
 * OpenAPI document and in docs/api.md; ProblemCatalogueTest holds the three together and fails on a problem
 * URI written anywhere else. The slug is the constant's name in lower case with hyphens.
 */
public enum ProblemType {

    INVALID_TOKEN(400, "Invalid link token"),
    BODY_NOT_ALLOWED(400, "Body not allowed"),
    INVALID_CURRENT_PASSWORD(400, "Current password incorrect"),
    INVALID_MFA_TICKET(400, "Invalid sign-in ticket"),
    INVALID_MFA_CODE(400, "Invalid second-factor code"),
    INVALID_OAUTH_STATE(400, "Invalid OAuth state"),
    INVALID_REDIRECT_URI(400, "Redirect URI refused"),
    INVALID_AUTHORIZATION_REQUEST(400, "Authorization request refused"),
    INVALID_LOGOUT_REQUEST(400, "Logout request refused"),
    OAUTH_PROVIDER_ERROR(400, "Identity provider refused the sign-in"),
    OAUTH_CODE_MISSING(400, "Authorization code missing"),
    OAUTH_EMAIL_MISSING(400, "Identity provider gave no verified email"),
    OAUTH_NONCE_MISMATCH(400, "ID token of another sign-in"),
    SAML_RESPONSE_REFUSED(400, "SAML response refused"),

    UNAUTHORIZED(401, "Authentication required"),
    INVALID_CREDENTIALS(401, "Incorrect credentials"),
    INVALID_REFRESH_TOKEN(401, "Refresh token not live"),

    FORBIDDEN(403, "Permission missing"),
    PRIVILEGE_ESCALATION(403, "Privilege escalation refused"),
    EMAIL_NOT_VERIFIED(403, "Email not verified"),
    MFA_REQUIRED(403, "Second factor required"),
    ACCOUNT_INACTIVE(403, "Account deactivated"),
    INVITATION_EMAIL_MISMATCH(403, "Invitation is for another email"),
    REAUTHENTICATION_REQUIRED(403, "Recent sign-in required"),
    SUPERUSER_REQUIRED(403, "Superuser required"),
    PERSON_ONLY(403, "For people only"),
    SSO_REQUIRED(403, "Single sign-on required"),
    SSO_REFUSED(403, "Single sign-on refused"),

    NOT_FOUND(404, "Not found"),
    SIGNING_KEY_NOT_FOUND(404, "Signing key not found"),

    EMAIL_TAKEN(409, "Email address in use"),
    ACCOUNT_SHARED(409, "Account shared with other tenants"),
    ALREADY_MEMBER(409, "Already a member"),
    EMAIL_VERIFIED(409, "Email verified already"),
    LAST_ADMIN(409, "Last admin"),
    CANNOT_DEACTIVATE_SELF(409, "Cannot deactivate yourself"),
    SYSTEM_ROLE(409, "System role"),
    ROLE_NAME_TAKEN(409, "Role name in use"),
    SERVICE_ACCOUNT_NAME_TAKEN(409, "Service account name in use"),
    PASSWORD_NOT_SET(409, "No password set"),
    MFA_ALREADY_ENABLED(409, "Second factor on already"),
    MFA_NOT_ENABLED(409, "Second factor not on"),
    MFA_NOT_STARTED(409, "Second-factor enrolment not started"),
    DOMAIN_NOT_PROVED(409, "Domain not proved"),
    DOMAIN_TAKEN(409, "Domain proved by another tenant"),
    CONFLICT(409, "Concurrent change"),

    BODY_TOO_LARGE(413, "Body too large"),

    VALIDATION(422, "Invalid fields"),

    RATE_LIMITED(429, "Too many requests"),
    LOGIN_THROTTLED(429, "Too many failed logins"),
    INVITATION_LIMIT(429, "Invitation limit reached"),

    OAUTH_PROVIDER_UNREACHABLE(502, "Identity provider unreachable"),
    OAUTH_PROVIDER_FAILED(502, "Identity provider failed"),
    OAUTH_INVALID_ID_TOKEN(502, "Identity provider's ID token refused"),

    DATABASE_UNAVAILABLE(503, "Database unavailable"),
    BUSY(503, "Busy"),
    SHUTTING_DOWN(503, "Shutting down"),

    OAUTH_PROVIDER_TIMEOUT(504, "Identity provider timed out");

    public static final String URI_PREFIX = "urn:gatehouse:problem:";

    /** The detail of every {@link #VALIDATION} problem; its {@code errors} name the fields. */
    static final String VALIDATION_DETAIL = "The request has invalid fields.";

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String uri() {
        return URI_PREFIX + slug();
    }
}
