package dev.gatehouse.v1import;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Plain JDBC for the import, which runs without the server (no JPA, no CDI): rows by column name. */
final class Sql {

    private Sql() {
    }

    /** One row, its columns by name. */
    record Row(Map<String, Object> columns) {

        String text(String column) {
            Object value = columns.get(column);
            return value == null ? null : value.toString();
        }

        boolean flag(String column) {
            return Boolean.TRUE.equals(columns.get(column));
        }

        Instant time(String column) {
            Object value = columns.get(column);
            return value == null ? null : ((Timestamp) value).toInstant();
        }

        UUID uuid(String column) {
            Object value = columns.get(column);
            return value == null ? null : value instanceof UUID id ? id : UUID.fromString(value.toString());
        }
    }

    static List<Row> rows(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(db, sql, parameters); ResultSet result = statement.executeQuery()) {
            ResultSetMetaData meta = result.getMetaData();
            List<Row> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, Object> columns = new HashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.put(meta.getColumnLabel(i), result.getObject(i));
                }
                rows.add(new Row(columns));
            }
            return rows;
        }
    }

    /** The first column of the first row, or null when there is none. */
    static Object value(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(db, sql, parameters); ResultSet result = statement.executeQuery()) {
            return result.next() ? result.getObject(1) : null;
        }
    }

    static int update(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(db, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection db, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            statement.setObject(i + 1, parameter instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : parameter);
        }
        return statement;
    }
}
