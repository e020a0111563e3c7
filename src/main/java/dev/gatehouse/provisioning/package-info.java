/**
 * Provisioning: a tenant's directory (Entra ID, Okta, ...) creating, changing and ending the tenant's
 * memberships over SCIM 2.0 (RFC 7643, RFC 7644) at /scim/v2, authenticated by a bearer token that the tenant's
 * admins issue at /api/v1/scim-tokens (hashed at rest, naming the tenant and the permissions its creator held).
 * The SCIM filter language is parsed here (ScimFilterParser) and becomes parameterised SQL (ScimFilterSql);
 * errors under /scim leave in SCIM's own error format. At the top of the package order: it uses accounts and
 * memberships (users/, tenants/), roles as SCIM groups (access/), sessions' revocation and the security log.
 */
package dev.gatehouse.provisioning;
