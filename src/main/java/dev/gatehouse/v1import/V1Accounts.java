package dev.gatehouse.v1import;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.PasswordHasher;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Tenants, and people: v1 users grouped by email (unique per tenant in v1, across Gatehouse here) into one
 * account each, with a membership per v1 user, the password hashes of all of them and the OAuth link.
 */
final class V1Accounts {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final Connection v1;
    private final Connection gatehouse;
    private final ImportIds ids;
    private final ImportReport report;

    V1Accounts(Connection v1, Connection gatehouse, ImportIds ids, ImportReport report) {
        this.v1 = v1;
        this.gatehouse = gatehouse;
        this.ids = ids;
        this.report = report;
    }

    void importTenants() throws SQLException {
        for (Sql.Row tenant : Sql.rows(v1, "select * from tenants order by created_at, id")) {
            UUID v1Id = tenant.uuid("id");
            UUID mapped = ids.find("tenant", v1Id);
            if (mapped != null) {
                report.count("tenants updated", Sql.update(gatehouse, """
                                update tenants set name = ?, is_active = ?, updated_at = now()
                                where id = ? and (name, is_active) is distinct from (?, ?)""",
                        tenant.text("name"), tenant.flag("is_active"), mapped, tenant.text("name"), tenant.flag("is_active")));
                continue;
            }
            String slug = tenant.text("slug");
            if (slug == null || slug.length() > 80 || !SLUG.matcher(slug).matches()) {
                report.conflict("tenant " + v1Id + ": slug '" + slug + "' is no Gatehouse slug (a-z, 0-9, single"
                        + " hyphens, at most 80): skipped with its users and roles");
                continue;
            }
            if (Sql.value(gatehouse, "select 1 from tenants where slug = ?", slug) != null) {
                report.conflict("tenant " + v1Id + ": slug '" + slug + "' is a Gatehouse tenant's already: skipped"
                        + " with its users and roles");
                continue;
            }
            UUID id = ids.taken("tenants", v1Id) ? Ids.newId() : v1Id;
            Sql.update(gatehouse, """
                            insert into tenants (id, name, slug, is_active, created_at, updated_at)
                            values (?, ?, ?, ?, ?, ?)""",
                    id, tenant.text("name"), slug, tenant.flag("is_active"), tenant.time("created_at"),
                    Objects.requireNonNullElse(tenant.time("updated_at"), tenant.time("created_at")));
            ids.remember("tenant", v1Id, id);
            report.count("tenants created");
        }
    }

    /** Every v1 user of an imported tenant, by person (normalised email), oldest user first. */
    void importPeople() throws SQLException {
        Map<String, List<Sql.Row>> people = new LinkedHashMap<>();
        for (Sql.Row user : Sql.rows(v1, "select * from users order by created_at, id")) {
            if (ids.find("tenant", user.uuid("tenant_id")) == null) {
                report.count("v1 users skipped with their tenant");
                continue;
            }
            people.computeIfAbsent(Emails.normalize(user.text("email")), email -> new ArrayList<>()).add(user);
        }
        for (Map.Entry<String, List<Sql.Row>> person : people.entrySet()) {
            importPerson(person.getKey(), person.getValue());
        }
    }

    private void importPerson(String email, List<Sql.Row> users) throws SQLException {
        if (users.size() > 1) {
            report.severalTenants.add(email + ": " + users.size() + " tenants, "
                    + users.stream().map(u -> u.text("password_hash")).filter(Objects::nonNull).distinct().count()
                    + " distinct passwords");
        }
        UUID account = users.stream().map(u -> ids.find("user", u.uuid("id"))).filter(Objects::nonNull)
                .findFirst().orElse(null);
        if (account == null) {
            UUID owner = (UUID) Sql.value(gatehouse, "select id from users where lower(email) = ?", email);
            if (owner != null) {
                report.conflict("email " + email + ": a Gatehouse account not from this import has it: its "
                        + users.size() + " v1 user(s) skipped (merge by hand, or change one email, and run again)");
                return;
            }
            account = createAccount(email, users);
        }
        importPasswords(account, users);
        for (Sql.Row user : users) {
            UUID tenant = ids.find("tenant", user.uuid("tenant_id"));
            int inserted = Sql.update(gatehouse, """
                            insert into memberships (user_id, tenant_id, is_active, is_superuser, created_at, updated_at)
                            values (?, ?, ?, ?, ?, ?) on conflict (user_id, tenant_id) do nothing""",
                    account, tenant, user.flag("is_active"), user.flag("is_superuser"), user.time("created_at"),
                    Objects.requireNonNullElse(user.time("updated_at"), user.time("created_at")));
            report.count("memberships created", inserted);
            if (inserted == 0) {
                report.count("memberships updated", Sql.update(gatehouse, """
                                update memberships set is_active = ?, is_superuser = ?, updated_at = now()
                                where user_id = ? and tenant_id = ? and (is_active, is_superuser) is distinct from (?, ?)""",
                        user.flag("is_active"), user.flag("is_superuser"), account, tenant,
                        user.flag("is_active"), user.flag("is_superuser")));
            }
            if (ids.find("user", user.uuid("id")) == null) {
                ids.remember("user", user.uuid("id"), account);
            }
        }
    }

    private UUID createAccount(String email, List<Sql.Row> users) throws SQLException {
        Sql.Row oldest = users.getFirst();
        UUID id = ids.taken("users", oldest.uuid("id")) ? Ids.newId() : oldest.uuid("id");
        String name = users.stream().map(u -> u.text("full_name")).filter(n -> n != null && !n.isBlank())
                .findFirst().orElse("");
        Sql.Row linked = users.stream().filter(u -> u.text("oauth_provider") != null && u.text("oauth_id") != null)
                .findFirst().orElse(null);
        String provider = linked == null ? null : linked.text("oauth_provider");
        String subject = linked == null ? null : linked.text("oauth_id");
        long links = users.stream().filter(u -> u.text("oauth_provider") != null)
                .map(u -> u.text("oauth_provider") + " " + u.text("oauth_id")).distinct().count();
        if (links > 1) {
            report.conflict("email " + email + ": its v1 users have different OAuth links; the oldest ("
                    + provider + ") is kept, link the others again by signing in");
        }
        if (linked != null && Sql.value(gatehouse, "select 1 from users where oauth_provider = ? and oauth_subject = ?",
                provider, subject) != null) {
            report.conflict("email " + email + ": its OAuth link (" + provider + ") is another Gatehouse account's:"
                    + " not linked");
            provider = null;
            subject = null;
        }
        Sql.update(gatehouse, """
                        insert into users (id, email, password_hash, full_name, is_active, oauth_provider, oauth_subject,
                                           token_version, email_verified, created_at, updated_at)
                        values (?, ?, null, ?, true, ?, ?, 0, ?, ?, ?)""",
                id, email, name, provider, subject, users.stream().anyMatch(u -> u.flag("is_verified")),
                oldest.time("created_at"), Objects.requireNonNullElse(oldest.time("updated_at"), oldest.time("created_at")));
        report.count("accounts created");
        report.count("oauth links", provider == null ? 0 : 1);
        return id;
    }

    /**
     * The account's password hashes, while it has no native one (once it has, the person has settled on one
     * password and v1's are history): the oldest v1 user's usable hash is the account's, the others wait in
     * legacy_password_hashes. A hash in no known format is reported and left out (that person resets).
     */
    private void importPasswords(UUID account, List<Sql.Row> users) throws SQLException {
        String current = (String) Sql.value(gatehouse, "select password_hash from users where id = ?", account);
        if (PasswordHasher.isNative(current)) {
            return;
        }
        Set<String> hashes = new LinkedHashSet<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (Sql.Row user : users) {
            String hash = user.text("password_hash");
            if (hash == null) {
                continue;
            }
            if (PasswordHasher.scheme(hash) == null) {
                report.conflict("v1 user " + user.uuid("id") + ": password hash in no known format; that person"
                        + " signs in with another of their passwords, OAuth, or a reset");
                continue;
            }
            hashes.add(hash);
            sources.putIfAbsent(hash, "v1 user " + user.uuid("id") + " in tenant " + user.uuid("tenant_id"));
        }
        String primary = hashes.isEmpty() ? null : hashes.iterator().next();
        if (!Objects.equals(primary, current)) {
            // the trigger of V17 drops the account's legacy hashes with the change
            Sql.update(gatehouse, "update users set password_hash = ?, updated_at = now() where id = ?", primary, account);
            report.count(current == null ? "passwords imported" : "passwords updated");
        }
        hashes.remove(primary);
        for (String other : hashes) {
            report.count("extra passwords (several tenants)", Sql.update(gatehouse, """
                            insert into legacy_password_hashes (user_id, hash, source) values (?, ?, ?)
                            on conflict (user_id, hash) do nothing""", account, other, sources.get(other)));
        }
        if (primary != null) {
            report.count("extra passwords removed", Sql.update(gatehouse,
                    "delete from legacy_password_hashes where user_id = ? and not (hash = any (?))",
                    account, gatehouse.createArrayOf("text", hashes.toArray())));
        }
    }
}
