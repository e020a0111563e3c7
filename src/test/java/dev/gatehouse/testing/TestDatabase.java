package dev.gatehouse.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.ds.PGSimpleDataSource;

/** The integration tests' PostgreSQL (on the port Maven reserved, it.db.port): connections and one-line SQL. */
public final class TestDatabase {

    public static final int PORT = Integer.getInteger("it.db.port");

    private TestDatabase() {
    }

    /** The JDBC URL of a database on the test server; the tests' own is "postgres". */
    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + PORT + "/" + database;
    }

    public static Connection connection() throws SQLException {
        return DriverManager.getConnection(url("postgres"), "postgres", "postgres");
    }

    /** The first column of the first row of a query, with its ? parameters. */
    public static Object queryValue(String sql, Object... parameters) {
        try (Connection db = connection(); PreparedStatement query = prepare(db, sql, parameters);
             ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                throw new AssertionError("no row for " + sql);
            }
            return rs.getObject(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long queryLong(String sql, Object... parameters) {
        return ((Number) queryValue(sql, parameters)).longValue();
    }

    /** Runs an insert, update or delete with its ? parameters; returns the rows it changed. */
    public static int update(String sql, Object... parameters) {
        try (Connection db = connection(); PreparedStatement update = prepare(db, sql, parameters)) {
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a locking statement (a {@code select ... for update} that must find a row, or a {@code lock table}) in
     * a transaction of its own that keeps the locks until closed: to hold concurrent requests in one critical
     * section until all of them are inside.
     */
    public static HeldLock hold(String sql, Object... parameters) {
        try {
            Connection db = connection();
            try {
                db.setAutoCommit(false);
                try (PreparedStatement statement = prepare(db, sql, parameters)) {
                    if (statement.execute()) {
                        try (ResultSet rs = statement.getResultSet()) {
                            if (!rs.next()) {
                                throw new AssertionError("nothing locked by " + sql);
                            }
                        }
                    }
                }
                return new HeldLock(db);
            } catch (SQLException | RuntimeException | Error e) {
                db.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Locks held by the test; closing rolls back and so releases them ({@link #commit} keeps the writes). */
    public static final class HeldLock implements AutoCloseable {

        private final Connection db;

        private HeldLock(Connection db) {
            this.db = db;
        }

        /** Waits until this many of the server's connections wait for a lock (ours, or one taken by a waiting peer). */
        public void awaitServerWaiters(int count) {
            Polling.awaitTrue(java.time.Duration.ofSeconds(20), count + " server connections waiting for a lock",
                    () -> queryLong("select count(*) from pg_stat_activity where application_name = 'gatehouse'"
                            + " and wait_event_type = 'Lock'") >= count);
        }

        /** Waits until this many of the server's connections wait for a lock in a statement holding this text. */
        public void awaitServerWaiters(int count, String statement) {
            Polling.awaitTrue(java.time.Duration.ofSeconds(20), count + " server connections waiting for a lock in " + statement,
                    () -> queryLong("select count(*) from pg_stat_activity where application_name = 'gatehouse'"
                            + " and wait_event_type = 'Lock' and position(? in query) > 0", statement) >= count);
        }

        /** Commits what the locking transaction wrote, which releases its locks too. */
        public void commit() {
            try {
                db.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try (db) {
                db.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A test run on a scratch database of the embedded server, dropped when the test ends. */
    public interface ScratchTest {
        void run(PGSimpleDataSource db) throws Exception;
    }

    /** Creates an empty database named {@code prefix_<nanos>}, runs the test on it and drops it. */
    public static void withScratchDatabase(String prefix, ScratchTest test) throws Exception {
        String name = prefix + "_" + System.nanoTime();
        try (Connection db = connection(); Statement sql = db.createStatement()) {
            sql.execute("create database " + name);
        }
        try {
            PGSimpleDataSource scratch = new PGSimpleDataSource();
            scratch.setURL(url(name));
            scratch.setUser("postgres");
            test.run(scratch);
        } finally {
            try (Connection db = connection(); Statement sql = db.createStatement()) {
                sql.execute("drop database " + name + " with (force)");
            }
        }
    }

    private static PreparedStatement prepare(Connection db, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
