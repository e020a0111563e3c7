package dev.gatehouse.users;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.tenants.Tenant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An account. Its tenant is loaded only where a use case asks for it (LAZY). */
@Entity
@Table(name = "users")
public class User {

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "tenant_id", nullable = false, updatable = false)
    private Tenant tenant;

    /** The tenant's id without touching the lazy tenant (the same column, read-only). */
    @Column(name = "tenant_id", insertable = false, updatable = false)
    private UUID tenantId;

    @Column(nullable = false)
    private String email;

    @Column(name = "password_hash")
    private String passwordHash;

    @Column(name = "full_name", nullable = false)
    private String fullName;

    @Column(name = "is_active", nullable = false)
    private boolean active;

    @Column(name = "is_superuser", nullable = false)
    private boolean superuser;

    @Column(name = "oauth_provider")
    private String oauthProvider;

    @Column(name = "oauth_subject")
    private String oauthSubject;

    @Column(name = "token_version", nullable = false)
    private int tokenVersion;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected User() {
    }

    public User(Tenant tenant, String email, String passwordHash, String fullName, boolean superuser) {
        this.id = Ids.newId();
        this.tenant = tenant;
        this.tenantId = tenant.id();
        this.email = email;
        this.passwordHash = passwordHash;
        this.fullName = fullName;
        this.active = true;
        this.superuser = superuser;
        this.createdAt = Timestamps.now();
        this.updatedAt = createdAt;
    }

    /** An account created by an OAuth sign-in: no password, linked to the provider's subject. */
    public static User fromOAuth(Tenant tenant, String email, String fullName, boolean superuser, String provider,
                                 String subject) {
        User user = new User(tenant, email, null, fullName, superuser);
        user.oauthProvider = provider;
        user.oauthSubject = subject;
        return user;
    }

    public UUID id() {
        return id;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public String email() {
        return email;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public boolean active() {
        return active;
    }

    public boolean superuser() {
        return superuser;
    }

    public int tokenVersion() {
        return tokenVersion;
    }

    public void changeEmail(String email) {
        this.email = email;
        touch();
    }

    public void changeFullName(String fullName) {
        this.fullName = fullName;
        touch();
    }

    /** A new password; every access token issued so far is refused from now on. */
    public void changePassword(String passwordHash) {
        this.passwordHash = passwordHash;
        revokeAccessTokens();
        touch();
    }

    public String oauthProvider() {
        return oauthProvider;
    }

    public void activate() {
        this.active = true;
        touch();
    }

    public void deactivate() {
        this.active = false;
        revokeAccessTokens();
        touch();
    }

    /** Access tokens carry the version they were issued at; raising it refuses them all on their next use. */
    private void revokeAccessTokens() {
        this.tokenVersion++;
    }

    private void touch() {
        this.updatedAt = Timestamps.now();
    }

    public UserResponse toResponse() {
        return new UserResponse(id, tenantId, email, fullName, active, superuser, oauthProvider, createdAt, updatedAt);
    }
}
