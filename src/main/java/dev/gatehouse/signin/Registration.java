package dev.gatehouse.signin;

import dev.gatehouse.access.Role;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.sessions.VerifiedEmailRequirement;
import dev.gatehouse.signin.AuthRecords.RegisterRequest;
import dev.gatehouse.signin.AuthRecords.RegisterResponse;
import dev.gatehouse.tenantadmin.TenantRegistration.NewTenant;
import dev.gatehouse.tenantadmin.TenantRegistration;
import dev.gatehouse.users.AccountMails;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.PasswordHasher;
import dev.gatehouse.users.User;
import dev.gatehouse.users.UserQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * POST /auth/register: a new account, and a new tenant with its default roles in which the account is
 * superuser and admin. An email that has an account is 409, as in the v1 core: that person signs in and
 * creates another tenant with POST /tenants. The address gets a verification mail; when a verified email is
 * required ({@link VerifiedEmailRequirement}) the answer has no tokens, the person signs in once verified.
 */
@ApplicationScoped
public class Registration {

    @Inject
    EntityManager em;

    @Inject
    PasswordHasher hasher;

    @Inject
    UserQueries users;

    @Inject
    TenantRegistration tenants;

    @Inject
    Sessions sessions;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    AccountMails mails;

    @Inject
    VerifiedEmailRequirement verifiedEmail;

    @Transactional
    public RegisterResponse register(RegisterRequest request, ClientInfo client) {
        String passwordHash = hasher.hash(request.password()); // before the first statement: no connection held meanwhile
        String email = Emails.normalize(request.email());
        if (users.emailTaken(email, null)) {
            throw emailTaken();
        }
        User user = new User(email, passwordHash, request.fullName().strip());
        em.persist(user);
        NewTenant created = tenants.create(request.tenantName(), user.id());
        securityEvents.record(SecurityEvent.of(SecurityEventType.USER_CREATED, created.tenant().id()).actor(user.id())
                .subjectUser(user.id()).detail("email", email).detail("method", "registration"));
        mails.sendVerification(user, created.tenant().id());
        if (!verifiedEmail.allows(user.emailVerified())) {
            return new RegisterResponse(user.toResponse(created.owner()), null, created.tenant().summary());
        }
        TokenResponse tokens = sessions.start(user.id(), created.tenant().id(), user.tokenVersion(), List.of(Role.ADMIN),
                client, null, "pwd");
        return new RegisterResponse(user.toResponse(created.owner()), tokens, created.tenant().summary());
    }

    /** The v1 answer to an email that is taken; OAuth sign-in gives the same for the provider's email. */
    public static ProblemException emailTaken() {
        return new ProblemException(ProblemType.EMAIL_TAKEN, "An account with this email exists already. Sign in;"
                + " a signed-in person creates another tenant with POST /api/v1/tenants.");
    }
}
