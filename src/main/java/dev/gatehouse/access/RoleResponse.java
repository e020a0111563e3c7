package dev.gatehouse.access;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@JsonbPropertyOrder({"id", "tenantId", "name", "description", "system", "permissions", "createdAt", "updatedAt"})
public record RoleResponse(UUID id, UUID tenantId, String name, @JsonbNillable String description,
                           @JsonbProperty("is_system") boolean system, List<String> permissions,
                           Instant createdAt, Instant updatedAt) {
}
