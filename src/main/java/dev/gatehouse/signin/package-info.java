/**
 * Ways into an account that end in a session: password login, the second factor at sign-in (/auth/mfa/*),
 * switch-tenant, registration, and the /auth endpoints with their bodies. Sign-in with an external identity
 * provider is oauth/, above this package; a tenant's own identity-provider connections are configured in
 * tenantadmin/, below it.
 */
package dev.gatehouse.signin;
