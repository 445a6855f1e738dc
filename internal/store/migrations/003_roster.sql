-- The roster (花名册, 一人一档): one row per employee of an enterprise. The resident ID
-- number is kept sealed (AES-256-GCM, internal/crypt), with a keyed HMAC index for lookups
-- and duplicate detection, and the masked form for lists; never in plain text.

CREATE TABLE employees (
    id                 {{ID}},
    enterprise_id      BIGINT NOT NULL REFERENCES enterprises(id),
    name               TEXT NOT NULL,
    id_sealed          TEXT NOT NULL,
    id_index           TEXT NOT NULL,
    id_masked          TEXT NOT NULL,
    phone              TEXT NOT NULL DEFAULT '',
    department         TEXT NOT NULL DEFAULT '',
    origin             TEXT NOT NULL,            -- policy origin class code
    home_address       TEXT NOT NULL DEFAULT '',
    return_date        TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD in the policy's time zone; '' = not returned
    transport          TEXT NOT NULL DEFAULT '',
    journey_hours      DOUBLE PRECISION NOT NULL DEFAULT 0,
    trajectory         TEXT NOT NULL DEFAULT '',
    contact_history    TEXT NOT NULL DEFAULT '',
    cohabitants_health TEXT NOT NULL DEFAULT '',
    dorm_room          TEXT NOT NULL DEFAULT '',
    isolation_room     TEXT NOT NULL DEFAULT '',
    left_at            {{TS}},
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         {{TS}} NOT NULL,
    updated_at         {{TS}} NOT NULL
);
CREATE UNIQUE INDEX employees_id_index ON employees(enterprise_id, id_index);
CREATE INDEX employees_name ON employees(enterprise_id, name);
CREATE INDEX employees_dorm ON employees(enterprise_id, dorm_room);
