/**
 * Administering tenants above the tenants/ entities: creating a tenant with its owner and default roles. A
 * tenant's own identity-provider connections and its verified email domains go here (oauth/, above, reads
 * them to sign in). Provisioning (a tenant's directory creating and ending accounts and memberships) goes in a
 * new provisioning/ package at the top of the order, since it ends sessions and sends invitations.
 */
package dev.gatehouse.tenantadmin;
