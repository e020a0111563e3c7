-- The v1 import (docs/upgrading-from-v1.md): which Gatehouse row each v1 row became, so that a second run
-- during the cutover window brings over what changed and never duplicates. kind: tenant, user (a v1 user, of
-- which several may map to one account), role, user_role (v1 'user id:role id'), refresh_token, audit_log.
CREATE TABLE v1_import_ids (
    kind          varchar(32) NOT NULL,
    v1_id         text        NOT NULL,
    gatehouse_id  uuid        NOT NULL,
    imported_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, v1_id)
);
