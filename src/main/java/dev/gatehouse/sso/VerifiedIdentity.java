package dev.gatehouse.sso;

import java.util.List;
import java.util.UUID;

/**
 * Who a tenant's IdP says signed in, after every check of its answer: the subject (OIDC sub, SAML NameID), the
 * email and name by the connection's mapping, the groups, and whether the IdP says a second factor was used
 * (amr with mfa, otp, hwk, sms or swk; for SAML an AuthnContextClassRef naming one). {@code requestId}: the
 * hosted page's authorization request the sign-in is for.
 */
public record VerifiedIdentity(UUID connectionId, UUID requestId, String subject, String email, String name,
                               List<String> groups, boolean secondFactorAtIdp) {

    @Override
    public String toString() {
        return "VerifiedIdentity[" + connectionId + ":" + subject + "]";
    }
}
