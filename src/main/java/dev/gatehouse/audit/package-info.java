/**
 * The security event log: events written in the transaction of the change they record, and GET /audit-events.
 * Outbound events (delivering these events to a tenant's endpoint) go in a new events/ package just above this
 * one, observing the same events and delivering them from an outbox table the way mail/ sends mail.
 */
package dev.gatehouse.audit;
