package dev.gatehouse.invitations;

import dev.gatehouse.access.UserRole;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.invitations.InvitationRecords.Acceptance;
import dev.gatehouse.invitations.InvitationRecords.Accepted;
import dev.gatehouse.invitations.Invitations.InvitedAccount;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.signin.AccountMemberships;
import dev.gatehouse.signin.AuthRecords.MfaChallenge;
import dev.gatehouse.signin.LoginCandidate;
import dev.gatehouse.signin.MfaSignIn;
import dev.gatehouse.tenants.Membership;
import dev.gatehouse.tenants.TenantSummary;
import dev.gatehouse.users.AccountTokens;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.PasswordHasher;
import dev.gatehouse.users.PasswordPolicy;
import dev.gatehouse.users.User;
import dev.gatehouse.users.UserResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * Accepting an invitation: a new account with the password the person chooses, their existing account by its
 * password, or (package oauth, through {@link #join}) an identity whose provider verified the invited address.
 */
@ApplicationScoped
public class InvitationAcceptance {

    @Inject
    EntityManager em;

    @Inject
    Invitations invitations;

    @Inject
    PasswordHasher hasher;

    @Inject
    LoginAttempts attempts;

    @Inject
    Sessions sessions;

    @Inject
    AccountMemberships memberships;

    @Inject
    MfaSignIn mfaSignIn;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

    /**
     * What joining answers: the member as the tenant sees them, the tenant, the account's usable tenants, and
     * the session, or the second factor due first.
     */
    public record Joined(UserResponse user, TenantSummary tenant, List<TenantSummary> tenants, SignInResult signIn) {
    }

    /**
     * The first step of POST /invitations/accept, before its transaction: when the invited address has an
     * account, the password presented must be its own. Counted like a login's ({@link LoginAttempts}), so the
     * count survives the refusal that rolls the acceptance back, and checked with no connection held during
     * the hash. Answers the account whose password it is, or null when the address has no account (or the
     * token names no pending invitation, which {@link #accept} then refuses).
     */
    public UUID proveExistingAccount(Acceptance acceptance) {
        InvitedAccount account = invitations.invitedAccount(RandomTokens.sha256(acceptance.token())).orElse(null);
        if (account == null) {
            return null;
        }
        LoginAttempts.Attempt attempt = attempts.claim(Emails.normalize(account.email()));
        attempt.requireAllowed();
        boolean matches = attempts.check(attempt, () -> account.passwordHash() == null // made by an OAuth sign-in
                ? hasher.verifyDecoy(acceptance.password()) : hasher.verify(acceptance.password(), account.passwordHash()));
        if (!matches || !account.active()) {
            attempts.failed(attempt, SecurityEvent.of(SecurityEventType.LOGIN_FAILED, account.tenantId()).actor(null)
                    .subjectUser(account.userId()).failed().detail("reason", "invitation_password"));
            throw new ProblemException(ProblemType.INVALID_CREDENTIALS,
                    "This address has an account: accept with its password.");
        }
        attempts.succeeded(attempt);
        return account.userId();
    }

    /**
     * POST /invitations/accept: uses up the invitation and makes the person a member with its roles: a new
     * account (its email verified: the link proves it) or the existing account of the address, whose password
     * {@link #proveExistingAccount} checked ({@code provenAccount}). Any refusal after the token is used up
     * rolls the transaction back, so the invitation stays pending.
     */
    @Transactional
    public Accepted accept(Acceptance acceptance, UUID provenAccount, ClientInfo client) {
        Invitations.Invited invited = invitations.use(RandomTokens.sha256(acceptance.token()))
                .orElseThrow(AccountTokens::invalidToken);
        User user = em.createQuery("select u from User u where lower(u.email) = :email", User.class)
                .setParameter("email", invited.email()).getResultStream().findFirst().orElse(null);
        boolean created = user == null;
        if (created) {
            user = newAccount(invited.email(), acceptance);
        } else if (!user.id().equals(provenAccount)) { // the account appeared after the first step
            throw new ProblemException(ProblemType.INVALID_CREDENTIALS,
                    "This address has an account: accept with its password.");
        }
        Joined joined = join(invited, user, created, client, "pwd");
        return joined.signIn() instanceof MfaChallenge challenge
                ? Accepted.challenged(joined.user(), challenge, joined.tenant())
                : Accepted.signedIn(joined.user(), (TokenResponse) joined.signIn(), joined.tenant());
    }

    /**
     * Makes the account (the invited address proven, by the mail's link) a member with the invitation's
     * roles, then starts its session in the tenant, or answers the second factor due first: the account's
     * own, or the one the tenant requires of these roles. {@code amr}: how the person proved who they are.
     */
    public Joined join(Invitations.Invited invited, User user, boolean created, ClientInfo client, String amr) {
        if (!user.active()) {
            throw new ProblemException(ProblemType.ACCOUNT_INACTIVE, "This account is deactivated.");
        }
        if (!created && em.find(Membership.class, new Membership.Key(user.id(), invited.tenantId())) != null) {
            throw new ProblemException(ProblemType.ALREADY_MEMBER, "You are a member of this tenant already.");
        }
        if (!user.emailVerified() && user.email().equals(invited.email())) {
            user.changeEmailVerified(invited.email());
        }
        Membership membership = new Membership(user.id(), invited.tenantId(), false);
        em.persist(membership);
        for (UUID roleId : invitations.acceptedBy(invited.id(), user.id())) {
            em.persist(new UserRole(user.id(), roleId));
        }
        callerChanges.fire(CallerChanged.user(user.id()));
        if (created) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.USER_CREATED, invited.tenantId()).actor(user.id())
                    .subjectUser(user.id()).detail("via", "invitation"));
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.INVITATION_ACCEPTED, invited.tenantId()).actor(user.id())
                .subjectUser(user.id()).detail("invitation_id", invited.id().toString()));
        em.flush(); // the memberships query below reads the new membership and its roles
        List<LoginCandidate> all = memberships.ofAccount(user.id());
        LoginCandidate joined = all.stream().filter(m -> m.tenant().id().equals(invited.tenantId())).findFirst().orElseThrow();
        MfaChallenge challenge = mfaSignIn.challengeFor(joined, amr);
        SignInResult signIn = challenge != null ? challenge : sessions.start(user.id(), invited.tenantId(),
                user.tokenVersion(), joined.roles(), client, null, amr);
        return new Joined(user.toResponse(membership), joined.tenant(), AccountMemberships.usableTenants(all), signIn);
    }

    private User newAccount(String email, Acceptance acceptance) {
        if (acceptance.fullName() == null) {
            throw ProblemException.invalidField("full_name", "is needed for a new account");
        }
        int length = acceptance.password().length();
        if (length < PasswordPolicy.MIN_LENGTH || length > PasswordPolicy.MAX_LENGTH) {
            throw ProblemException.invalidField("password", "size must be between " + PasswordPolicy.MIN_LENGTH
                    + " and " + PasswordPolicy.MAX_LENGTH);
        }
        User user = new User(email, hasher.hash(acceptance.password()), acceptance.fullName().strip());
        user.changeEmailVerified(email);
        em.persist(user);
        em.flush(); // a concurrent sign-up with the same email fails here, as a 409
        return user;
    }
}
