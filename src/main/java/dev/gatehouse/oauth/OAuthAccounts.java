package dev.gatehouse.oauth;

import dev.gatehouse.access.Role;
import dev.gatehouse.oauth.OAuthRecords.ExternalIdentity;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.AuthRecords.TokenResponse;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.TenantRegistration;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;

/**
 * The account of an identity a provider vouched for, found or made, and a new session for it, in one
 * transaction: the account linked to (provider, subject); else a new tenant (with its default roles) with
 * a new password-less account as its superuser and admin, as registration makes. Never an existing account
 * found by email: no local email is verified yet, so an email match may be an attacker's pre-registration of
 * the victim's address (linking would let the attacker's password into the victim's sign-in), and the answer
 * must not tell whether an account with that email exists. Every refusal happens before the first write.
 */
@ApplicationScoped
public class OAuthAccounts {

    private static final int MAX_NAME = 255;
    private static final String ACCOUNT = """
            select new dev.gatehouse.oauth.OAuthAccount(u.id, t.id, u.tokenVersion, %s, u.active, t.active)
            from User u join u.tenant t""".formatted(Role.NAMES_OF_USER_U);

    @Inject
    EntityManager em;

    @Inject
    TenantRegistration tenants;

    @Inject
    Sessions sessions;

    @Transactional
    public TokenResponse signIn(ExternalIdentity identity, ClientInfo client) {
        List<OAuthAccount> linked = em.createQuery(ACCOUNT + " where u.oauthProvider = :provider and u.oauthSubject = :subject",
                        OAuthAccount.class)
                .setParameter("provider", identity.provider()).setParameter("subject", identity.subject())
                .getResultList();
        if (!linked.isEmpty()) {
            return start(linked.getFirst(), client);
        }
        if (identity.email() == null || identity.email().isBlank()) {
            throw new ProblemException(Status.BAD_REQUEST, "oauth-email-missing",
                    "The identity provider did not share an email address; allow it to, then sign in again.");
        }
        return register(identity, Emails.normalize(identity.email()), client);
    }

    private TokenResponse register(ExternalIdentity identity, String email, ClientInfo client) {
        String fullName = truncate(identity.name() == null || identity.name().isBlank()
                ? email.substring(0, email.indexOf('@') > 0 ? email.indexOf('@') : email.length())
                : identity.name().strip());
        User user = tenants.createWithOwner(fullName, tenant ->
                User.fromOAuth(tenant, email, fullName, true, identity.provider(), identity.subject()));
        return sessions.start(user.id(), user.tenantId(), user.tokenVersion(), List.of(Role.ADMIN), client, null);
    }

    private TokenResponse start(OAuthAccount account, ClientInfo client) {
        requireActive(account);
        return sessions.start(account.userId(), account.tenantId(), account.tokenVersion(), account.roles(), client, null);
    }

    private static void requireActive(OAuthAccount account) {
        if (!account.active() || !account.tenantActive()) {
            throw new ProblemException(Status.FORBIDDEN, "account-inactive", "This account is deactivated.");
        }
    }

    private static String truncate(String name) {
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    }
}
