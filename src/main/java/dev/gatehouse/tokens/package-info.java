/**
 * Access tokens (JWT) and the keys that sign them: issuing, the signing key pair, the JWKS document and the
 * MicroProfile JWT settings derived from the key. Signing keys that rotate go here: today the JWKS document is
 * built once per process and caller/VerifiedTokenCache assumes the key read at boot. The tokens a service account
 * (a second kind of principal, see caller/) is issued go here too.
 */
package dev.gatehouse.tokens;
