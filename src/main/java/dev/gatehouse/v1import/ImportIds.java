package dev.gatehouse.v1import;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Table v1_import_ids: which Gatehouse row each v1 row became, read once and kept as the run adds to it. */
final class ImportIds {

    private final Connection gatehouse;
    private final Map<String, UUID> known = new HashMap<>();

    ImportIds(Connection gatehouse) throws SQLException {
        this.gatehouse = gatehouse;
        for (Sql.Row row : Sql.rows(gatehouse, "select kind, v1_id, gatehouse_id from v1_import_ids")) {
            known.put(row.text("kind") + " " + row.text("v1_id"), row.uuid("gatehouse_id"));
        }
    }

    /** The Gatehouse id a v1 row of this kind became, or null when it was not imported yet. */
    UUID find(String kind, Object v1Id) {
        return known.get(kind + " " + v1Id);
    }

    void remember(String kind, Object v1Id, UUID gatehouseId) throws SQLException {
        Sql.update(gatehouse, "insert into v1_import_ids (kind, v1_id, gatehouse_id) values (?, ?, ?)",
                kind, v1Id.toString(), gatehouseId);
        known.put(kind + " " + v1Id, gatehouseId);
    }

    void forget(String kind, Object v1Id) throws SQLException {
        Sql.update(gatehouse, "delete from v1_import_ids where kind = ? and v1_id = ?", kind, v1Id.toString());
        known.remove(kind + " " + v1Id);
    }

    /** The v1 ids of one kind imported so far. */
    Iterable<String> v1IdsOf(String kind) {
        return known.keySet().stream().filter(key -> key.startsWith(kind + " "))
                .map(key -> key.substring(kind.length() + 1)).toList();
    }

    /** Whether a Gatehouse table has a row with this id already (a v1 id is kept only where it is free). */
    boolean taken(String table, UUID id) throws SQLException {
        return Sql.value(gatehouse, "select 1 from " + table + " where id = ?", id) != null;
    }
}
