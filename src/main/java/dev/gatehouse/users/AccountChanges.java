package dev.gatehouse.users;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Who may change an account (docs/security.md, "Who may change an account"). An account is the person's and
 * may belong to several tenants. A tenant admin manages the membership (roles, deactivation, that tenant's
 * sessions); account-wide things (name, email, password, MFA, the lockout) change only by the person, or by an
 * admin of the tenant that manages the account: today, the tenant that is its only membership. Every
 * account-wide admin endpoint takes its target from {@link #accountToChange}; account-wide changes are
 * recorded in every tenant the account belongs to ({@link #recordInEveryTenant}).
 */
@ApplicationScoped
public class AccountChanges {

    @Inject
    EntityManager em;

    @Inject
    UserQueries queries;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

    /**
     * A member of the caller's tenant an admin may change: 404 when not a member, 403 when they hold a
     * permission the admin does not (or are a superuser and the admin is not). Announced, so that its cached
     * caller views go when the transaction commits.
     */
    public UserToChange memberToChange(CallerView caller, UUID userId) {
        UserToChange target = queries.findToChange(userId, caller.tenantId())
                .orElseThrow(() -> ProblemException.notFound("User"));
        caller.requireMayChange("a user", target.member().membership().superuser(), target.permissions());
        callerChanges.fire(CallerChanged.user(userId));
        return target;
    }

    /**
     * As {@link #memberToChange}, for a change to the account itself: refused (409 account-shared) when the
     * account belongs to another tenant too, whose admins and whose person would otherwise lose control of it;
     * unless this tenant proved the account's email domain ({@link #requireAccountChangeable}).
     */
    public Member accountToChange(CallerView caller, UUID userId) {
        UserToChange target = memberToChange(caller, userId);
        requireAccountChangeable(target, null);
        return target.member();
    }

    /**
     * The account-wide rule on its own, for a change that may set a new email ({@code newEmail}, or null). A tenant
     * that proved the account's email domain manages the account (enterprise SSO) even when it is shared, but
     * keeps it in that domain: moving it to another address would take it from the person's other tenants.
     */
    public void requireAccountChangeable(UserToChange target, String newEmail) {
        if (!target.sharedWithOtherTenants()) {
            return;
        }
        if (!target.managedByTenant()) {
            throw new ProblemException(ProblemType.ACCOUNT_SHARED, "This person's account belongs to other"
                    + " tenants too: only they can change its name, email, password, second factor or lockout.");
        }
        if (newEmail != null && !Emails.domainOf(newEmail).equals(Emails.domainOf(target.member().user().email()))) {
            throw new ProblemException(ProblemType.ACCOUNT_SHARED, "This account belongs to other tenants too: the"
                    + " tenant of its domain may change its address only within that domain.");
        }
    }

    /**
     * One event of an account-wide change in each tenant the account belongs to, so that each tenant's log
     * shows it (one without a tenant for an account that belongs to none).
     */
    public void recordInEveryTenant(UUID userId, Function<UUID, SecurityEvent> eventInTenant) {
        List<UUID> tenantIds = em.createQuery("""
                        select m.id.tenantId from Membership m where m.id.userId = :user order by m.id.tenantId""", UUID.class)
                .setParameter("user", userId).getResultList();
        if (tenantIds.isEmpty()) {
            securityEvents.record(eventInTenant.apply(null));
        }
        tenantIds.forEach(tenantId -> securityEvents.record(eventInTenant.apply(tenantId)));
    }
}
