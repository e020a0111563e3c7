package dev.gatehouse.users;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.tenants.Membership;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An account: the person, one per email across Gatehouse, the same in every tenant they belong to (their
 * {@link Membership memberships}). Its active flag and token version apply to every tenant.
 */
@Entity
@Table(name = "users")
public class User {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String email;

    @Column(name = "password_hash")
    private String passwordHash;

    @Column(name = "full_name", nullable = false)
    private String fullName;

    @Column(name = "is_active", nullable = false)
    private boolean active;

    @Column(name = "email_verified", nullable = false)
    private boolean emailVerified;

    @Column(name = "oauth_provider")
    private String oauthProvider;

    @Column(name = "oauth_subject")
    private String oauthSubject;

    @Column(name = "token_version", nullable = false)
    private int tokenVersion;

    @Column(name = "credential_version", nullable = false)
    private int credentialVersion;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected User() {
    }

    public User(String email, String passwordHash, String fullName) {
        this.id = Ids.newId();
        this.email = email;
        this.passwordHash = passwordHash;
        this.fullName = fullName;
        this.active = true;
        this.createdAt = Timestamps.now();
        this.updatedAt = createdAt;
    }

    /**
     * An account created by an OAuth sign-in: no password, linked to the provider's subject; its email is
     * verified when the provider says it verified it.
     */
    public static User fromOAuth(String email, String fullName, String provider, String subject, boolean emailVerified) {
        User user = new User(email, null, fullName);
        user.oauthProvider = provider;
        user.oauthSubject = subject;
        user.emailVerified = emailVerified;
        return user;
    }

    public UUID id() {
        return id;
    }

    public String email() {
        return email;
    }

    public String fullName() {
        return fullName;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public boolean active() {
        return active;
    }

    public int tokenVersion() {
        return tokenVersion;
    }

    public boolean emailVerified() {
        return emailVerified;
    }

    /** The credential epoch: one-time artefacts (links, tickets, pending changes) made under another are dead. */
    public int credentialVersion() {
        return credentialVersion;
    }

    /** A new address is not verified until a link mailed to it is followed. */
    public void changeEmail(String email) {
        if (!email.equals(this.email)) {
            this.emailVerified = false;
            endCredentialEpoch();
        }
        this.email = email;
        touch();
    }

    /** The person followed a link mailed to this address (or an invitation to it): it is theirs. */
    public void changeEmailVerified(String email) {
        if (!email.equals(this.email)) {
            endCredentialEpoch();
        }
        this.email = email;
        this.emailVerified = true;
        touch();
    }

    /** A new password set through a link mailed to the account's address, which that proves too. */
    public void resetPassword(String passwordHash) {
        changePassword(passwordHash);
        this.emailVerified = true;
    }

    /** An OAuth identity whose verified email is this account's verified email becomes its sign-in too. */
    public void linkOAuth(String provider, String subject) {
        this.oauthProvider = provider;
        this.oauthSubject = subject;
        touch();
    }

    public void changeFullName(String fullName) {
        this.fullName = fullName;
        touch();
    }

    /**
     * A new password; every access token issued so far, in every tenant, is refused from now on, and every
     * one-time artefact made before it dies.
     */
    public void changePassword(String passwordHash) {
        this.passwordHash = passwordHash;
        revokeAccessTokens();
        endCredentialEpoch();
        touch();
    }

    /**
     * An admin reset the second factor: every access token is refused from now on and every artefact made
     * before it dies (the refresh sessions end with it, {@link AllSessionsRevoked}).
     */
    public void resetSecondFactor() {
        revokeAccessTokens();
        endCredentialEpoch();
        touch();
    }

    /**
     * Ends the credential epoch: every one-time artefact made for the account before now (reset and
     * verification links, a pending email change, MFA sign-in tickets) is refused where it is redeemed.
     */
    public void endCredentialEpoch() {
        this.credentialVersion++;
    }

    public String oauthProvider() {
        return oauthProvider;
    }

    /** Access tokens carry the version they were issued at; raising it refuses them all on their next use. */
    private void revokeAccessTokens() {
        this.tokenVersion++;
    }

    private void touch() {
        this.updatedAt = Timestamps.now();
    }

    /** The account as one tenant sees it: active and superuser are that membership's. */
    public UserResponse toResponse(Membership membership) {
        return new UserResponse(id, membership.tenantId(), email, emailVerified, fullName, membership.active(),
                membership.superuser(), oauthProvider, createdAt, updatedAt);
    }
}
