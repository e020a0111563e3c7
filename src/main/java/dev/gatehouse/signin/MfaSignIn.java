package dev.gatehouse.signin;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.mfa.MfaRecords.TotpEnrolment;
import dev.gatehouse.mfa.MfaTickets.Purpose;
import dev.gatehouse.mfa.MfaTickets.Ticket;
import dev.gatehouse.mfa.MfaTickets;
import dev.gatehouse.mfa.MultiFactor;
import dev.gatehouse.mfa.TenantMfaPolicies;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.signin.AuthRecords.LoginResponse;
import dev.gatehouse.signin.AuthRecords.MfaChallenge;
import dev.gatehouse.signin.AuthRecords.MfaEnrolledResponse;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.UserQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * The second step of a sign-in. After the first step (password or OAuth) passed, an account with MFA on gets
 * a ticket to exchange with a code; an account without it, whose tenant requires it, gets a ticket that only
 * enrols. Every other sign-in gets its tokens at once, as the v1 contract has it.
 */
@ApplicationScoped
public class MfaSignIn {

    @Inject
    MfaTickets tickets;

    @Inject
    MultiFactor multiFactor;

    @Inject
    TenantMfaPolicies mfaPolicies;

    @Inject
    AccountMemberships memberships;

    @Inject
    Sessions sessions;

    @Inject
    UserQueries users;

    @Inject
    LoginAttempts attempts;

    /** The challenge due after a first step with these methods ("pwd", or "" for OAuth), or null for none. */
    public MfaChallenge challengeFor(LoginCandidate membership, String amr) {
        return challengeFor(membership.userId(), membership.tenant().id(), membership.mfaEnrolled(),
                membership.mfaRequiredOfAll(), membership.mfaRequiredPermissions(), amr);
    }

    /** As above, from the fields of a sign-in's projection: enrolled, and the tenant's policy. */
    public MfaChallenge challengeFor(UUID userId, UUID tenantId, boolean enrolled, boolean requiredOfAll,
                                     List<String> requiredPermissions, String amr) {
        Purpose purpose = enrolled ? Purpose.verify
                : required(userId, tenantId, requiredOfAll, requiredPermissions) ? Purpose.enrol : null;
        if (purpose == null) {
            return null;
        }
        String ticket = tickets.issue(userId, tenantId, purpose, amr);
        return new MfaChallenge(true, ticket, purpose == Purpose.enrol, tickets.lifetimeSeconds());
    }

    /** Whether the tenant's policy requires a second factor of this member. */
    public boolean requiredOf(LoginCandidate membership) {
        return required(membership.userId(), membership.tenant().id(), membership.mfaRequiredOfAll(),
                membership.mfaRequiredPermissions());
    }

    private boolean required(UUID userId, UUID tenantId, boolean requiredOfAll, List<String> requiredPermissions) {
        return requiredOfAll || !requiredPermissions.isEmpty()
                && mfaPolicies.requiredByPermissions(userId, tenantId, requiredPermissions);
    }

    /**
     * The ticket and a TOTP or recovery code: the session. A wrong code uses up one of the ticket's attempts
     * and counts as a failed login of the account's email, so codes are guessed no faster than passwords
     * (429 while the email must wait, as at login).
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public LoginResponse verify(String ticketToken, String code, String recoveryCode, ClientInfo client) {
        Ticket ticket = tickets.open(ticketToken, Purpose.verify);
        LoginAttempts.Attempt attempt = attempts.claim(Emails.normalize(emailOf(ticket)));
        attempt.requireAllowed();
        if (!multiFactor.verify(ticket.userId(), ticket.tenantId(), code, recoveryCode)) {
            tickets.failed(ticket);
            attempts.failed(attempt, SecurityEvent.of(SecurityEventType.MFA_CODE_FAILED, ticket.tenantId())
                    .actor(ticket.userId()).subjectUser(ticket.userId()).failed());
            throw MultiFactor.invalidCode();
        }
        tickets.use(ticket);
        return start(ticket, client, attempt);
    }

    /** Enrolment with an enrol ticket: the secret to put in an authenticator app. */
    @Transactional
    public TotpEnrolment startEnrolment(String ticketToken) {
        Ticket ticket = tickets.open(ticketToken, Purpose.enrol);
        String email = emailOf(ticket);
        return multiFactor.start(ticket.userId(), email);
    }

    /** Confirms the enrolment with a code: MFA on, the recovery codes, and the session. */
    @Transactional(dontRollbackOn = ProblemException.class)
    public MfaEnrolledResponse confirmEnrolment(String ticketToken, String code, ClientInfo client) {
        Ticket ticket = tickets.open(ticketToken, Purpose.enrol);
        List<String> recoveryCodes;
        try {
            recoveryCodes = multiFactor.confirm(ticket.userId(), ticket.tenantId(), code);
        } catch (ProblemException e) {
            tickets.failed(ticket);
            throw e;
        }
        tickets.use(ticket);
        return new MfaEnrolledResponse(recoveryCodes, start(ticket, client, null)); // the code's check forgot the count
    }

    /** The email of the ticket's account: its brute-force count, and the label an authenticator app shows. */
    private String emailOf(Ticket ticket) {
        return users.findInTenant(ticket.userId(), ticket.tenantId()).orElseThrow().user().email();
    }

    /**
     * The session of a passed second factor, if the membership is still usable; {@code attempt}: the code's,
     * whose count the session forgets (null when the check forgot it already).
     */
    private LoginResponse start(Ticket ticket, ClientInfo client, LoginAttempts.Attempt attempt) {
        List<LoginCandidate> all = memberships.ofAccount(ticket.userId());
        LoginCandidate membership = all.stream().filter(m -> m.tenant().id().equals(ticket.tenantId()))
                .filter(LoginCandidate::usable).findFirst()
                .orElseThrow(() -> new ProblemException(ProblemType.INVALID_MFA_TICKET,
                        "The MFA ticket is invalid, expired or used up: sign in again."));
        String amr = (ticket.amr().isEmpty() ? "" : ticket.amr() + " ") + "otp mfa";
        TokenResponse tokens = attempts.succeeded(attempt,
                SecurityEvent.of(SecurityEventType.LOGIN_SUCCEEDED, ticket.tenantId()).actor(ticket.userId())
                        .subjectUser(ticket.userId()).detail("method", ticket.amr().isEmpty() ? "oauth" : "password")
                        .detail("second_factor", true),
                () -> sessions.start(membership.userId(), ticket.tenantId(), membership.tokenVersion(),
                        membership.roles(), client, null, amr));
        return new LoginResponse(tokens, membership.tenant(), AccountMemberships.usableTenants(all));
    }
}
