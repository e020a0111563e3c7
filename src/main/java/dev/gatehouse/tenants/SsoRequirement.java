package dev.gatehouse.tenants;

/**
 * Whether a tenant requires single sign-on of an account: the tenant proved the domain of the account's email and
 * requires SSO of it (tenant_domains, written by sso/). The tenant's named break-glass admins (sso_break_glass)
 * may still sign in with a password, and must then pass a second factor. Written here as JPQL for the projections of
 * every way in (password login, tenant switch, the hosted page, password reset, the instance-wide OAuth providers),
 * which each refuse what it requires without a statement of its own.
 */
public final class SsoRequirement {

    /** In this order: the projections' codes 0, 1, 2. */
    public enum Verdict {
        NOT_REQUIRED, REQUIRED, BREAK_GLASS
    }

    /**
     * The verdict for account {@code u} in tenant {@code t} as a JPQL expression (0, 1, 2: {@link #verdict}), for
     * the sign-in projections: no statement of its own.
     */
    public static final String VERDICT_OF_USER_U_IN_T = """
            case when exists (select 1 from TenantDomain d where d.tenantId = t.id and d.verifiedAt is not null
                              and d.requireSso = true and d.domain = %s)
                 then case when exists (select 1 from SsoBreakGlass b where b.id.tenantId = t.id and b.id.userId = u.id)
                           then 2 else 1 end
                 else 0 end""".formatted(TenantDomain.DOMAIN_OF_USER_U);

    /**
     * Whether every active membership of account {@code u} is in a tenant that requires SSO of it (and the account
     * is no break-glass admin there), as a JPQL condition: a password would open nothing.
     */
    public static final String ONLY_SSO_FOR_USER_U = """
            exists (select 1 from Membership m where m.id.userId = u.id and m.active = true)
            and not exists (select 1 from Membership m where m.id.userId = u.id and m.active = true
                and (not exists (select 1 from TenantDomain d where d.tenantId = m.id.tenantId and d.verifiedAt is not null
                                 and d.requireSso = true and d.domain = %s)
                     or exists (select 1 from SsoBreakGlass b where b.id.tenantId = m.id.tenantId and b.id.userId = u.id)))"""
            .formatted(TenantDomain.DOMAIN_OF_USER_U);

    public static Verdict verdict(int code) {
        return Verdict.values()[code];
    }

    private SsoRequirement() {
    }
}
