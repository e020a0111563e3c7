package dev.gatehouse.audit;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What happened. The wire name is what the table, the API and the log carry. */
public enum SecurityEventType {
    LOGIN_SUCCEEDED("login.succeeded"),
    LOGIN_FAILED("login.failed"),
    LOGIN_THROTTLED("login.throttled"),
    LOCKOUT_CLEARED("lockout.cleared"),
    REFRESH_REUSE_DETECTED("refresh.reuse_detected"),
    LOGOUT("logout"),
    LOGOUT_ALL("logout.all"),
    SESSION_REVOKED("session.revoked"),
    PASSWORD_CHANGED("password.changed"),
    USER_CREATED("user.created"),
    USER_CHANGED("user.changed"),
    USER_ACTIVATED("user.activated"),
    USER_DEACTIVATED("user.deactivated"),
    SUPERUSER_GRANTED("superuser.granted"),
    ROLE_CREATED("role.created"),
    ROLE_CHANGED("role.changed"),
    ROLE_DELETED("role.deleted"),
    ROLES_ASSIGNED("roles.assigned"),
    TENANT_CREATED("tenant.created"),
    OAUTH_IDENTITY_LINKED("oauth.identity_linked"),
    EMAIL_VERIFICATION_SENT("email.verification_sent"),
    EMAIL_VERIFIED("email.verified"),
    EMAIL_CHANGE_REQUESTED("email.change_requested"),
    EMAIL_CHANGED("email.changed"),
    PASSWORD_RESET_REQUESTED("password.reset_requested"),
    PASSWORD_RESET("password.reset"),
    PASSWORD_CHECK_FAILED("password.check_failed"),
    PASSWORD_UPGRADED("password.upgraded"),
    INVITATION_CREATED("invitation.created"),
    INVITATION_REVOKED("invitation.revoked"),
    INVITATION_ACCEPTED("invitation.accepted"),
    MFA_ENROLLED("mfa.enrolled"),
    MFA_DISABLED("mfa.disabled"),
    MFA_RESET("mfa.reset"),
    MFA_CODE_FAILED("mfa.code_failed"),
    MFA_RECOVERY_CODE_USED("mfa.recovery_code_used"),
    MFA_RECOVERY_CODES_REGENERATED("mfa.recovery_codes_regenerated"),
    MFA_POLICY_CHANGED("mfa.policy_changed"),
    MAIL_SUPPRESSED("mail.suppressed"),
    V1_IMPORTED("v1.imported"),
    SIGNING_KEY_ROTATED("signing_key.rotated"),
    SIGNING_KEY_REVOKED("signing_key.revoked"),
    SERVICE_ACCOUNT_CREATED("service_account.created"),
    SERVICE_ACCOUNT_CHANGED("service_account.changed"),
    SERVICE_ACCOUNT_DELETED("service_account.deleted"),
    SERVICE_ACCOUNT_ROLES_ASSIGNED("service_account.roles_assigned"),
    SERVICE_ACCOUNT_CREDENTIAL_ADDED("service_account.credential_added"),
    SERVICE_ACCOUNT_CREDENTIAL_REVOKED("service_account.credential_revoked"),
    SERVICE_ACCOUNT_TOKEN_ISSUED("service_account.token_issued"),
    SERVICE_ACCOUNT_AUTHENTICATION_FAILED("service_account.authentication_failed"),
    OAUTH_CLIENT_REGISTERED("oauth_client.registered"),
    OAUTH_CLIENT_CHANGED("oauth_client.changed"),
    OAUTH_CLIENT_SECRET_ROTATED("oauth_client.secret_rotated"),
    OAUTH_CLIENT_DELETED("oauth_client.deleted"),
    OAUTH_CLIENT_AUTHENTICATION_FAILED("oauth_client.authentication_failed"),
    AUTHORIZATION_CODE_ISSUED("authorization.code_issued"),
    AUTHORIZATION_REFUSED("authorization.refused"),
    AUTHORIZATION_CODE_REPLAYED("authorization.code_replayed"),
    OAUTH_LOGOUT("oauth.logout"),
    LOGOUT_NOTIFICATION_GIVEN_UP("logout_notification.given_up"),
    SCIM_TOKEN_CREATED("scim_token.created"),
    SCIM_TOKEN_REVOKED("scim_token.revoked"),
    USER_LINKED("user.linked"),
    DOMAIN_CLAIMED("domain.claimed"),
    DOMAIN_VERIFIED("domain.verified"),
    DOMAIN_VERIFICATION_LOST("domain.verification_lost"),
    DOMAIN_REMOVED("domain.removed"),
    SSO_ENFORCEMENT_CHANGED("sso.enforcement_changed"),
    SSO_CONNECTION_CREATED("sso_connection.created"),
    SSO_CONNECTION_CHANGED("sso_connection.changed"),
    SSO_CONNECTION_DELETED("sso_connection.deleted"),
    SSO_SIGN_IN_SUCCEEDED("sso.sign_in_succeeded"),
    SSO_SIGN_IN_REFUSED("sso.sign_in_refused"),
    SSO_MEMBERSHIP_CREATED("sso.membership_created");

    private static final Map<String, SecurityEventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(SecurityEventType::wireName, Function.identity()));

    private final String wireName;

    SecurityEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type of a wire name, or null when there is none. */
    public static SecurityEventType ofWireName(String wireName) {
        return BY_WIRE_NAME.get(wireName);
    }
}
