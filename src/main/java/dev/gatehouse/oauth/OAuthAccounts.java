package dev.gatehouse.oauth;

import dev.gatehouse.access.Role;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.oauth.OAuthRecords.ExternalIdentity;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.AuthRecords.TokenResponse;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.TenantRegistration;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;

/**
 * The account of an identity a provider vouched for, found or made, and a new session for it, in one
 * transaction: (provider, subject) first; else the one account with the provider's email, linked only when
 * the provider says the email is verified; else a new tenant (with its default roles) with this user as its
 * superuser and admin, as registration makes. Every refusal happens before the first write.
 */
@ApplicationScoped
public class OAuthAccounts {

    private static final int MAX_NAME = 255;
    private static final String ACCOUNT = """
            select new dev.gatehouse.oauth.OAuthAccount(u.id, t.id, u.tokenVersion, %s,
                   u.active, t.active, u.oauthProvider)
            from User u join u.tenant t""".formatted(Role.NAMES_OF_USER_U);

    @Inject
    EntityManager em;

    @Inject
    TenantRegistration tenants;

    @Inject
    Sessions sessions;

    @Inject
    Event<CallerChanged> callerChanges;

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
        String email = Emails.normalize(identity.email());
        List<OAuthAccount> sameEmail = em.createQuery(ACCOUNT + " where lower(u.email) = :email", OAuthAccount.class)
                .setParameter("email", email).setMaxResults(2).getResultList();
        if (sameEmail.isEmpty()) {
            return register(identity, email, client);
        }
        // Linking on an unverified email would hand the account to whoever typed that address at the provider.
        if (!identity.emailVerified()) {
            throw new ProblemException(Status.CONFLICT, "oauth-email-not-verified",
                    "An account with this email exists, but the identity provider has not verified the email, "
                            + "so it is not linked. Sign in with your password.");
        }
        if (sameEmail.size() > 1) {
            throw new ProblemException(Status.CONFLICT, "oauth-email-ambiguous",
                    "Accounts with this email exist in several tenants; sign in with your password.");
        }
        OAuthAccount account = sameEmail.getFirst();
        if (account.oauthProvider() != null) {
            throw new ProblemException(Status.CONFLICT, "oauth-account-linked",
                    "The account with this email is linked to another sign-in; use that one or your password.");
        }
        requireActive(account);
        em.find(User.class, account.userId()).linkOAuth(identity.provider(), identity.subject());
        callerChanges.fire(CallerChanged.user(account.userId()));
        return start(account, client);
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
