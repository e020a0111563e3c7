package dev.gatehouse.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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
