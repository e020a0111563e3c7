/**
 * Access tokens (JWT) and the keys that sign them: issuing, the signing keys kept in the database (the first one,
 * scheduled and on-demand rotation, revocation, their private halves sealed at rest), the JWKS document and the
 * MicroProfile JWT settings. Verifying tokens is caller/'s (VerifiedTokenCache against VerificationKeys, which
 * reads only the public halves), below this package. The tokens a service account (a second kind of principal,
 * see caller/) is issued go here too.
 */
package dev.gatehouse.tokens;
