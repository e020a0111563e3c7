package dev.gatehouse.users;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.tenants.Membership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * POST /users/import: a batch of accounts from another system (an export of another identity store) into the
 * caller's tenant, each with its password hash in one of the formats a login checks (docs/security.md,
 * "Imported password hashes"), its active and superuser flags and roles of the tenant. For a superuser of the
 * tenant only: a superuser may already add anyone with any role, so the batch escalates nothing. The whole
 * batch is checked before anything is written: one invalid row and nothing is (422, every row's errors).
 * No mail is sent; the accounts' emails are unverified, so no OAuth sign-in links to them by email.
 */
@ApplicationScoped
public class AccountImport {

    @Inject
    EntityManager em;

    @Inject
    SecurityEvents securityEvents;

    @Transactional
    public List<UserRecords.ImportedAccountResult> importAccounts(CallerView caller, List<UserRecords.ImportedAccount> rows) {
        if (!caller.superuser()) {
            throw new ProblemException(ProblemType.SUPERUSER_REQUIRED,
                    "Only a superuser of the tenant can import accounts.");
        }
        Map<String, UUID> roles = new HashMap<>();
        for (Tuple role : rolesOf(caller.tenantId())) {
            roles.put(role.get("name", String.class).toLowerCase(Locale.ROOT), role.get("id", UUID.class));
        }
        List<String> emails = rows.stream().map(row -> Emails.normalize(row.email())).toList();
        Set<String> taken = new HashSet<>(em.createQuery(
                        "select lower(u.email) from User u where lower(u.email) in :emails", String.class)
                .setParameter("emails", emails).getResultList());
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            UserRecords.ImportedAccount row = rows.get(i);
            String field = "accounts[" + i + "].";
            if (!seen.add(emails.get(i))) {
                errors.add(new Problem.FieldError(field + "email", "appears earlier in the batch"));
            } else if (taken.contains(emails.get(i))) {
                errors.add(new Problem.FieldError(field + "email", "has a Gatehouse account already"));
            }
            if (row.passwordHash() != null && PasswordHasher.scheme(row.passwordHash()) == null) {
                errors.add(new Problem.FieldError(field + "password_hash",
                        "is no supported hash (bcrypt, pbkdf2-sha256, scrypt, argon2: docs/security.md)"));
            }
            for (String role : row.roles() == null ? List.<String>of() : row.roles()) {
                if (!roles.containsKey(role.strip().toLowerCase(Locale.ROOT))) {
                    errors.add(new Problem.FieldError(field + "roles", "the tenant has no role '" + role + "'"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        List<UserRecords.ImportedAccountResult> results = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            results.add(write(caller.tenantId(), i, emails.get(i), rows.get(i), roles));
        }
        em.flush(); // a concurrent insert of the same email fails here, as a 409 (ProblemExceptionMappers)
        return results;
    }

    private UserRecords.ImportedAccountResult write(UUID tenantId, int index, String email, UserRecords.ImportedAccount row,
                                                    Map<String, UUID> roles) {
        boolean superuser = Boolean.TRUE.equals(row.isSuperuser());
        User user = new User(email, row.passwordHash(), row.fullName().strip());
        em.persist(user);
        Membership membership = new Membership(user.id(), tenantId, superuser);
        if (Boolean.FALSE.equals(row.isActive())) {
            membership.deactivate();
        }
        em.persist(membership);
        em.flush(); // the account and membership exist before their role rows, which the database checks
        List<String> granted = new ArrayList<>();
        for (String role : row.roles() == null ? List.<String>of() : row.roles()) {
            UUID roleId = roles.get(role.strip().toLowerCase(Locale.ROOT));
            granted.add(role.strip());
            em.createNativeQuery("insert into user_roles (user_id, role_id) values (?1, ?2) on conflict do nothing")
                    .setParameter(1, user.id()).setParameter(2, roleId).executeUpdate();
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.USER_CREATED, tenantId).subjectUser(user.id())
                .detail("email", email).detail("method", "import"));
        if (superuser) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.SUPERUSER_GRANTED, tenantId).subjectUser(user.id()));
        }
        if (!granted.isEmpty()) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.ROLES_ASSIGNED, tenantId).subjectUser(user.id())
                    .detail("roles", granted));
        }
        return new UserRecords.ImportedAccountResult(index, email, user.id(),
                row.passwordHash() == null ? null : PasswordHasher.scheme(row.passwordHash()));
    }

    @SuppressWarnings("unchecked")
    private List<Tuple> rolesOf(UUID tenantId) {
        return em.createNativeQuery("select id, name from roles where tenant_id = ?1", Tuple.class)
                .setParameter(1, tenantId).getResultList();
    }
}
