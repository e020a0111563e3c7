package dev.gatehouse.tenants;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Whether a tenant requires single sign-on of an account: the tenant proved the domain of the account's email and
 * requires SSO of it (tenant_domains, written by sso/). The tenant's named break-glass admins (sso_break_glass)
 * may still sign in with a password, and must then pass a second factor. Read here, below every way in (password
 * login, tenant switch, password reset, the instance-wide OAuth providers), which each refuse what it requires.
 */
@ApplicationScoped
public class SsoRequirement {

    public enum Verdict {
        NOT_REQUIRED, REQUIRED, BREAK_GLASS
    }

    @Inject
    EntityManager em;

    /** One statement. */
    public Verdict of(UUID tenantId, UUID userId, String email) {
        List<Tuple> rows = em.createNativeQuery("""
                        select exists (select 1 from sso_break_glass b where b.tenant_id = d.tenant_id and b.user_id = ?2)
                               as break_glass
                        from tenant_domains d
                        where d.tenant_id = ?1 and d.domain = ?3 and d.verified_at is not null and d.require_sso""", Tuple.class)
                .setParameter(1, tenantId).setParameter(2, userId).setParameter(3, domainOf(email)).getResultList();
        if (rows.isEmpty()) {
            return Verdict.NOT_REQUIRED;
        }
        return rows.getFirst().get("break_glass", Boolean.class) ? Verdict.BREAK_GLASS : Verdict.REQUIRED;
    }

    /**
     * True when every active membership of the account is in a tenant that requires SSO of it (and the account is
     * no break-glass admin there): a password would open nothing. One statement.
     */
    public boolean ofEveryMembership(UUID userId, String email) {
        Tuple counts = (Tuple) em.createNativeQuery("""
                        select count(*) as memberships,
                               count(*) filter (where d.id is not null and b.user_id is null) as sso_only
                        from memberships m
                        left join tenant_domains d on d.tenant_id = m.tenant_id and d.domain = ?2
                             and d.verified_at is not null and d.require_sso
                        left join sso_break_glass b on b.tenant_id = m.tenant_id and b.user_id = m.user_id
                        where m.user_id = ?1 and m.is_active""", Tuple.class)
                .setParameter(1, userId).setParameter(2, domainOf(email)).getSingleResult();
        long memberships = counts.get("memberships", Number.class).longValue();
        return memberships > 0 && counts.get("sso_only", Number.class).longValue() == memberships;
    }

    private static String domainOf(String email) {
        return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
