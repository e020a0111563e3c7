package dev.gatehouse.oauth;

/**
 * Where a provider is reached, from its configuration or its OpenID Connect discovery document.
 * {@code issuer} and {@code jwksUrl} are null for a plain OAuth 2 provider. Microsoft's multi-tenant
 * issuer contains the placeholder {tenantid}, filled from the ID token's tid claim when checked.
 */
public record ProviderEndpoints(String issuer, String authorizeUrl, String tokenUrl, String userinfoUrl, String jwksUrl) {
}
