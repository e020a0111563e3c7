package dev.gatehouse.tenants;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.UUID;

/** A tenant as login and switch-tenant name it: {id, slug, name}. */
@JsonbPropertyOrder({"id", "slug", "name"})
public record TenantSummary(UUID id, String slug, String name) {
}
