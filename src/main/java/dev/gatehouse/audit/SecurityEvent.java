package dev.gatehouse.audit;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * One security event. Made by {@link #of}, given its subject and details, then written by
 * {@link SecurityEvents#record}, which adds the time, the actor and the request's details. Never holds a
 * password, token, hash or code: details are names, ids and counts.
 */
@Entity
@Table(name = "security_events")
public class SecurityEvent {

    public enum Outcome { success, failure }

    /** Looked up once: every Json.create...() call looks the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Id
    private UUID id;

    @Column(name = "tenant_id", updatable = false)
    private UUID tenantId;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    private Instant occurredAt;

    @Column(nullable = false, updatable = false)
    private String type;

    @Column(nullable = false, updatable = false)
    private String outcome = Outcome.success.name();

    @Column(name = "actor_user_id", updatable = false)
    private UUID actorUserId;

    @Column(name = "actor_address", updatable = false)
    private String actorAddress;

    @Column(name = "subject_user_id", updatable = false)
    private UUID subjectUserId;

    @Column(name = "subject_role_id", updatable = false)
    private UUID subjectRoleId;

    @Column(name = "request_id", updatable = false)
    private String requestId;

    @Column(name = "user_agent", updatable = false)
    private String userAgent;

    @Column(nullable = false, updatable = false)
    @ColumnTransformer(write = "cast(? as jsonb)")
    private String details;

    @Transient
    private boolean actorGiven;

    @Transient
    private final JsonObjectBuilder detailsBuilder = JSON.createObjectBuilder();

    protected SecurityEvent() {
    }

    private SecurityEvent(SecurityEventType type, UUID tenantId) {
        this.type = type.wireName();
        this.tenantId = tenantId;
    }

    /** An event of this tenant (null when none is known). */
    public static SecurityEvent of(SecurityEventType type, UUID tenantId) {
        return new SecurityEvent(type, tenantId);
    }

    /** The user who acted, when it is not the request's authenticated caller (a login, say); null: anonymous. */
    public SecurityEvent actor(UUID userId) {
        this.actorUserId = userId;
        this.actorGiven = true;
        return this;
    }

    public SecurityEvent subjectUser(UUID userId) {
        this.subjectUserId = userId;
        return this;
    }

    public SecurityEvent subjectRole(UUID roleId) {
        this.subjectRoleId = roleId;
        return this;
    }

    public SecurityEvent failed() {
        this.outcome = Outcome.failure.name();
        return this;
    }

    public SecurityEvent detail(String name, String value) {
        if (value != null) {
            detailsBuilder.add(name, value);
        }
        return this;
    }

    public SecurityEvent detail(String name, long value) {
        detailsBuilder.add(name, value);
        return this;
    }

    public SecurityEvent detail(String name, boolean value) {
        detailsBuilder.add(name, value);
        return this;
    }

    public SecurityEvent detail(String name, Collection<String> values) {
        detailsBuilder.add(name, JSON.createArrayBuilder(values));
        return this;
    }

    /** Completes the event with what the request knows; called once, by {@link SecurityEvents#record}. */
    void complete(UUID id, Instant occurredAt, UUID callerId, String address, String agent, String requestId) {
        this.id = id;
        this.occurredAt = occurredAt;
        if (!actorGiven) {
            this.actorUserId = callerId;
        }
        this.actorAddress = address;
        this.userAgent = agent;
        this.requestId = requestId;
        this.details = detailsBuilder.build().toString();
    }

    /** The event as one JSON object: the log line, and the API's item. */
    JsonObjectBuilder toJson() {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", id.toString())
                .add("occurred_at", occurredAt.toString())
                .add("type", type)
                .add("outcome", outcome);
        addOrNull(json, "tenant_id", tenantId);
        addOrNull(json, "actor_user_id", actorUserId);
        addOrNull(json, "actor_address", actorAddress);
        addOrNull(json, "subject_user_id", subjectUserId);
        addOrNull(json, "subject_role_id", subjectRoleId);
        addOrNull(json, "request_id", requestId);
        addOrNull(json, "user_agent", userAgent);
        return json.add("details", JSON.createReader(new StringReader(details)).readObject());
    }

    private static void addOrNull(JsonObjectBuilder json, String name, Object value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value.toString());
        }
    }
}
