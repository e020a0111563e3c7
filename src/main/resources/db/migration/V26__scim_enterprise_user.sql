-- The enterprise-user extension (RFC 7643 §4.3) a tenant's directory sends for a member, kept per membership
-- like its externalId: the same person in two tenants' directories has two departments. manager_id is the SCIM
-- id (the account's id) of another member of the same tenant, checked when the directory sets it; no foreign
-- key, so that the manager leaving the tenant does not rewrite the reports' rows.
ALTER TABLE scim_members
    ADD COLUMN employee_number  varchar(255),
    ADD COLUMN cost_center      varchar(255),
    ADD COLUMN organization     varchar(255),
    ADD COLUMN division         varchar(255),
    ADD COLUMN department       varchar(255),
    ADD COLUMN manager_id       uuid;
