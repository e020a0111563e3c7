/**
 * Enterprise single sign-on per tenant: the email domains a tenant proved by DNS, its own identity providers
 * (OpenID Connect or SAML 2.0), home-realm discovery (how an address signs in), and the sign-in through a
 * connection with just-in-time membership. The hosted sign-in page (openid/) is the browser's way through it.
 * Guide: docs/enterprise-sso.md.
 */
package dev.gatehouse.sso;
