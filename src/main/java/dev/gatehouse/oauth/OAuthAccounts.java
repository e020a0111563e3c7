package dev.gatehouse.oauth;

import dev.gatehouse.access.Role;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.invitations.InvitationAcceptance;
import dev.gatehouse.invitations.Invitations;
import dev.gatehouse.oauth.OAuthRecords.ExternalIdentity;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.sessions.VerifiedEmailRequirement;
import dev.gatehouse.signin.AuthRecords.LoginResponse;
import dev.gatehouse.signin.AuthRecords.MfaChallenge;
import dev.gatehouse.signin.MfaSignIn;
import dev.gatehouse.signin.Registration;
import dev.gatehouse.tenantadmin.TenantRegistration;
import dev.gatehouse.tenants.SsoRequirement;
import dev.gatehouse.users.AccountTokens;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * The account of an identity a provider vouched for, found or made, and a new session for it, in one
 * transaction: the account linked to (provider, subject), signed in to its last used active membership; else,
 * when no account has the provider's email, a new password-less account with a new tenant (with its default
 * roles) of which it is superuser and admin, as registration makes (its email verified when the provider
 * verified it). An existing account found by email is linked only when both sides verified the address: the
 * provider, and the account by a link mailed to it. Otherwise the match may be an attacker's pre-registration
 * of the victim's address (linking would let the attacker's password into the victim's sign-in), or an
 * attacker's provider account with an unproven address: such an email is refused with 409 email-taken, the
 * answer POST /auth/register gives, as is an account linked to another identity already. Every refusal
 * happens before the first write.
 */
@ApplicationScoped
public class OAuthAccounts {

    private static final int MAX_NAME = 255;
    /** The linked account's memberships, the one to sign in to first: active ones, last used first. */
    private static final String ACCOUNT = """
            select new dev.gatehouse.oauth.OAuthAccount(u.id, t.id, u.tokenVersion, %s, u.active, u.email, u.emailVerified,
                   case when m.active = true and t.active = true then true else false end,
                   case when totp.userId is null then false else true end, coalesce(policy.requireAll, false),
                   policy.requiredPermissions, %s)
            from User u join Membership m on m.id.userId = u.id join Tenant t on t.id = m.id.tenantId
            left join TotpSecret totp on totp.userId = u.id and totp.confirmedAt is not null
            left join TenantMfaPolicy policy on policy.tenantId = t.id
            where u.oauthProvider = :provider and u.oauthSubject = :subject
            order by case when m.active = true and t.active = true then 0 else 1 end, m.lastUsedAt desc nulls last, m.createdAt
            """.formatted(Role.NAMES_OF_USER_U_IN_T, SsoRequirement.VERDICT_OF_USER_U_IN_T);

    @Inject
    EntityManager em;

    @Inject
    TenantRegistration tenants;

    @Inject
    Sessions sessions;

    @Inject
    MfaSignIn mfaSignIn;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

    @Inject
    VerifiedEmailRequirement verifiedEmail;

    @Inject
    Invitations invitations;

    @Inject
    InvitationAcceptance invitationAcceptance;

    @Transactional
    public SignInResult signIn(ExternalIdentity identity, ClientInfo client) {
        List<OAuthAccount> linked = em.createQuery(ACCOUNT, OAuthAccount.class)
                .setParameter("provider", identity.provider()).setParameter("subject", identity.subject())
                .setMaxResults(1).getResultList();
        if (!linked.isEmpty()) {
            return start(provenBy(identity, linked.getFirst()), identity.provider(), client);
        }
        if (identity.email() == null || identity.email().isBlank()) {
            throw new ProblemException(ProblemType.OAUTH_EMAIL_MISSING,
                    "The identity provider did not share an email address; allow it to, then sign in again.");
        }
        String email = Emails.normalize(identity.email());
        User existing = em.createQuery("select u from User u where lower(u.email) = :email", User.class)
                .setParameter("email", email).getResultStream().findFirst().orElse(null);
        if (existing == null) {
            return register(identity, email, client);
        }
        if (!identity.emailVerified() || !existing.emailVerified() || existing.oauthProvider() != null) {
            throw Registration.emailTaken();
        }
        return link(existing, identity, client);
    }

    /**
     * An OAuth sign-in that accepts an invitation (its token came to authorize): the provider must have
     * verified the invited address, else 403 and the invitation stays pending. The account that joins is the
     * one linked to the identity, else the address's account when both sides verified it (linked now, as a
     * sign-in links), else a new password-less account with no tenant of its own. Answers as a sign-in: the
     * session in the invited tenant, or the second factor due first.
     */
    @Transactional
    public SignInResult acceptInvitation(ExternalIdentity identity, byte[] invitationHash, ClientInfo client) {
        Invitations.Invited invited = invitations.use(invitationHash).orElseThrow(AccountTokens::invalidToken);
        if (!identity.emailVerified() || identity.email() == null
                || !Emails.normalize(identity.email()).equals(invited.email())) {
            throw new ProblemException(ProblemType.INVITATION_EMAIL_MISMATCH, "The invitation is for another"
                    + " address, or the provider has not verified yours: accept with the provider account whose verified"
                    + " email is the invited address, or with a password.");
        }
        User user = em.createQuery("select u from User u where u.oauthProvider = :provider and u.oauthSubject = :subject",
                        User.class).setParameter("provider", identity.provider()).setParameter("subject", identity.subject())
                .getResultStream().findFirst().orElse(null);
        boolean created = false;
        if (user == null) {
            user = em.createQuery("select u from User u where lower(u.email) = :email", User.class)
                    .setParameter("email", invited.email()).getResultStream().findFirst().orElse(null);
            if (user == null) {
                user = User.fromOAuth(invited.email(), fullNameOf(identity, invited.email()), identity.provider(),
                        identity.subject(), true);
                em.persist(user);
                em.flush(); // a concurrent sign-up with the same email fails here, as a 409
                created = true;
            } else if (!user.emailVerified() || user.oauthProvider() != null) {
                throw Registration.emailTaken(); // the rule of signIn: both sides must have proved the address
            } else {
                user.linkOAuth(identity.provider(), identity.subject());
            }
            securityEvents.record(SecurityEvent.of(SecurityEventType.OAUTH_IDENTITY_LINKED, invited.tenantId())
                    .actor(user.id()).subjectUser(user.id()).detail("provider", identity.provider()));
        }
        // a linked account may hold another, unproven address: the invitation proves only the invited one
        verifiedEmail.check(user.emailVerified() || user.email().equals(invited.email()));
        InvitationAcceptance.Joined joined = invitationAcceptance.join(invited, user, created, client, "");
        return joined.signIn() instanceof TokenResponse tokens
                ? new LoginResponse(tokens.accessToken(), tokens.refreshToken(), tokens.tokenType(), tokens.expiresIn(),
                        joined.tenant(), joined.tenants())
                : joined.signIn();
    }

    /** Both sides proved the address: the identity becomes a way into the account, signed in as it would be. */
    private SignInResult link(User user, ExternalIdentity identity, ClientInfo client) {
        user.linkOAuth(identity.provider(), identity.subject());
        callerChanges.fire(CallerChanged.user(user.id()));
        em.flush(); // the linked-account query below reads the link
        List<OAuthAccount> linked = em.createQuery(ACCOUNT, OAuthAccount.class)
                .setParameter("provider", identity.provider()).setParameter("subject", identity.subject())
                .setMaxResults(1).getResultList();
        if (linked.isEmpty()) { // an account without a membership: nothing to sign in to
            throw new ProblemException(ProblemType.ACCOUNT_INACTIVE, "This account is deactivated.");
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.OAUTH_IDENTITY_LINKED, linked.getFirst().tenantId())
                .actor(user.id()).subjectUser(user.id()).detail("provider", identity.provider()));
        return start(linked.getFirst(), identity.provider(), client);
    }

    private TokenResponse register(ExternalIdentity identity, String email, ClientInfo client) {
        verifiedEmail.check(identity.emailVerified()); // before the first write: no account the person cannot use
        String fullName = fullNameOf(identity, email);
        User user = User.fromOAuth(email, fullName, identity.provider(), identity.subject(), identity.emailVerified());
        em.persist(user);
        UUID tenantId = tenants.create(fullName, user.id()).tenant().id();
        securityEvents.record(SecurityEvent.of(SecurityEventType.USER_CREATED, tenantId).actor(user.id())
                .subjectUser(user.id()).detail("email", email).detail("method", "oauth"));
        securityEvents.record(SecurityEvent.of(SecurityEventType.OAUTH_IDENTITY_LINKED, tenantId).actor(user.id())
                .subjectUser(user.id()).detail("provider", identity.provider()));
        return sessions.start(user.id(), tenantId, user.tokenVersion(), List.of(Role.ADMIN), client, null, "");
    }

    /**
     * The linked account, its email marked verified when the provider now vouches for that very address (the
     * account was made when the provider had not verified it yet, or the address was unproven since).
     */
    private OAuthAccount provenBy(ExternalIdentity identity, OAuthAccount account) {
        if (account.emailVerified() || !identity.emailVerified() || identity.email() == null
                || !Emails.normalize(identity.email()).equals(account.email())) {
            return account;
        }
        em.find(User.class, account.userId()).changeEmailVerified(account.email());
        callerChanges.fire(CallerChanged.user(account.userId()));
        return new OAuthAccount(account.userId(), account.tenantId(), account.tokenVersion(), account.roles(),
                account.active(), account.email(), true, account.membershipActive(), account.mfaEnrolled(),
                account.mfaRequiredOfAll(), account.mfaRequiredPermissions(), account.sso());
    }

    /** The session, or the second factor the account or its tenant requires first (as a password login). */
    private SignInResult start(OAuthAccount account, String provider, ClientInfo client) {
        requireActive(account);
        if (account.sso() != SsoRequirement.Verdict.NOT_REQUIRED) { // break-glass admins use a password and a second factor
            throw new ProblemException(ProblemType.SSO_REQUIRED, "This organisation signs its people in through its"
                    + " identity provider: use single sign-on.");
        }
        verifiedEmail.check(account.emailVerified());
        MfaChallenge challenge = mfaSignIn.challengeFor(account.userId(), account.tenantId(), account.mfaEnrolled(),
                account.mfaRequiredOfAll(), account.mfaRequiredPermissions(), "");
        if (challenge != null) {
            return challenge;
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.LOGIN_SUCCEEDED, account.tenantId()).actor(account.userId())
                .subjectUser(account.userId()).detail("method", "oauth").detail("provider", provider));
        return sessions.start(account.userId(), account.tenantId(), account.tokenVersion(), account.roles(), client, null, "");
    }

    private static void requireActive(OAuthAccount account) {
        if (!account.active() || !account.membershipActive()) {
            throw new ProblemException(ProblemType.ACCOUNT_INACTIVE, "This account is deactivated.");
        }
    }

    /** The provider's name for the person, else the email's local part; at most what the column holds. */
    private static String fullNameOf(ExternalIdentity identity, String email) {
        String name = identity.name() == null || identity.name().isBlank()
                ? email.substring(0, email.indexOf('@') > 0 ? email.indexOf('@') : email.length())
                : identity.name().strip();
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    }
}
