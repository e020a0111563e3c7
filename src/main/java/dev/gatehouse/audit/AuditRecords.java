package dev.gatehouse.audit;

import jakarta.json.JsonObject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public final class AuditRecords {

    private AuditRecords() {
    }

    /** Events of one type, of one user (as actor or subject), in [from, to); each part optional. */
    public record SecurityEventFilter(String type, UUID userId, Instant from, Instant to) {
    }

    /** A page of events, each the object the log line carries too. */
    @JsonbPropertyOrder({"items", "total", "page", "pageSize"})
    public record AuditEventPage(List<JsonObject> items, long total, int page, int pageSize) {
    }
}
