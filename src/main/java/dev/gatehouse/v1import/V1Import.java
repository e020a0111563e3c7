package dev.gatehouse.v1import;

import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.platform.Ids;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Brings a running v1 deployment (the Python core's PostgreSQL schema) into a Gatehouse database, without the
 * server: docs/upgrading-from-v1.md, "The command". Reads v1 in one read-only, repeatable-read transaction (one
 * consistent snapshot) and writes Gatehouse in one transaction, under an advisory lock so two runs never
 * interleave; a dry run does all of it and rolls back, so its report is exactly what a real run would do.
 * A run again brings over what changed since (table v1_import_ids), never duplicating.
 */
public final class V1Import {

    private V1Import() {
    }

    /**
     * {@code --v1-url=jdbc:postgresql://...} {@code --gatehouse-url=jdbc:postgresql://...} (user and password as
     * URL parameters), {@code --operator=NAME} (default: the OS user), {@code --dry-run}, {@code --migrate}.
     */
    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                usage("not an option: " + arg);
            }
            String[] pair = arg.substring(2).split("=", 2);
            String value = pair.length == 2 ? pair[1] : "true";
            if (!value.startsWith("${")) { // a -D property Maven left unset
                options.put(pair[0], value);
            }
        }
        String v1Url = options.get("v1-url");
        String gatehouseUrl = options.get("gatehouse-url");
        if (v1Url == null || v1Url.isBlank() || gatehouseUrl == null || gatehouseUrl.isBlank()) {
            usage("--v1-url and --gatehouse-url are required");
        }
        String operator = options.getOrDefault("operator", "");
        try {
            run(v1Url, gatehouseUrl, operator.isBlank() ? System.getProperty("user.name") : operator,
                    Boolean.parseBoolean(options.getOrDefault("dry-run", "false")),
                    Boolean.parseBoolean(options.getOrDefault("migrate", "false")), System.out);
        } catch (SQLException | IllegalStateException e) {
            System.err.println("v1 import failed, nothing was written: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: ./mvnw -q -Pv1-import -Dv1.url=jdbc:postgresql://HOST/V1DB?user=U&password=P"
                + " -Dgatehouse.url=jdbc:postgresql://HOST/GATEHOUSEDB?user=U&password=P"
                + " [-Dv1.dry-run=true] [-Dv1.migrate=true] [-Dv1.operator=NAME]");
        System.exit(2);
    }

    /** One run; the report is printed to {@code out} and returned. */
    public static ImportReport run(String v1Url, String gatehouseUrl, String operator, boolean dryRun, boolean migrate,
                                   PrintStream out) throws SQLException {
        PGSimpleDataSource gatehouseSource = new PGSimpleDataSource();
        gatehouseSource.setURL(gatehouseUrl);
        requireCurrentSchema(gatehouseSource, dryRun, migrate, out);
        PGSimpleDataSource v1Source = new PGSimpleDataSource();
        v1Source.setURL(v1Url);
        try (Connection v1 = v1Source.getConnection(); Connection gatehouse = gatehouseSource.getConnection()) {
            v1.setReadOnly(true);
            v1.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            v1.setAutoCommit(false);
            gatehouse.setAutoCommit(false);
            try {
                Sql.value(gatehouse, "select pg_advisory_xact_lock(hashtext('gatehouse v1 import'))");
                ImportReport report = new ImportReport();
                ImportIds ids = new ImportIds(gatehouse);
                V1Accounts accounts = new V1Accounts(v1, gatehouse, ids, report);
                accounts.importTenants();
                accounts.importPeople();
                V1Access access = new V1Access(v1, gatehouse, ids, report);
                access.importRoles();
                access.importAssignments();
                new V1Sessions(v1, gatehouse, ids, report).importRefreshTokens();
                new V1AuditLog(v1, gatehouse, ids, report).importAuditLogs();
                recordRun(gatehouse, operator, report);
                if (dryRun) {
                    gatehouse.rollback();
                } else {
                    gatehouse.commit();
                }
                report.print(out, dryRun);
                return report;
            } catch (SQLException | RuntimeException e) {
                gatehouse.rollback();
                throw e;
            } finally {
                v1.rollback(); // read only: ends the snapshot
            }
        }
    }

    /**
     * The Gatehouse schema must be the one this version writes: with {@code migrate}, Flyway brings it there
     * first (not in a dry run, which writes nothing); otherwise the run refuses.
     */
    private static void requireCurrentSchema(PGSimpleDataSource gatehouse, boolean dryRun, boolean migrate,
                                             PrintStream out) {
        Flyway flyway = Flyway.configure(V1Import.class.getClassLoader()).dataSource(gatehouse)
                .locations("classpath:db/migration").load();
        int pending = flyway.info().pending().length;
        if (pending == 0) {
            return;
        }
        if (!migrate || dryRun) {
            throw new IllegalStateException("the Gatehouse database has " + pending + " migration(s) to apply: start"
                    + " this Gatehouse version against it once, or run again with -Dv1.migrate=true (not with a dry run)");
        }
        out.println("applied " + flyway.migrate().migrationsExecuted + " Gatehouse migration(s)");
    }

    /** The run's security event: who ran it and what it brought (no tenant: it spans them). */
    private static void recordRun(Connection gatehouse, String operator, ImportReport report) throws SQLException {
        Sql.update(gatehouse, """
                        insert into security_events (id, tenant_id, occurred_at, type, outcome, details)
                        values (?, null, now(), ?, 'success', jsonb_build_object('operator', ?::text, 'source', 'v1',
                                'conflicts', ?::int, 'counts', jsonb_object(?::text[], ?::text[])))""",
                Ids.newId(), SecurityEventType.V1_IMPORTED.wireName(), operator, report.conflicts.size(),
                gatehouse.createArrayOf("text", report.counts.keySet().toArray()),
                gatehouse.createArrayOf("text", report.counts.values().stream().map(String::valueOf).toArray()));
    }
}
