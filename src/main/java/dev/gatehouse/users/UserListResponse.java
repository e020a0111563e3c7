package dev.gatehouse.users;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

@JsonbPropertyOrder({"items", "total", "page", "pageSize"})
public record UserListResponse(List<UserResponse> items, long total, int page, int pageSize) {
}
