-- Gatehouse schema baseline. Later migrations add the capabilities' tables.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
