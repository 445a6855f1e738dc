-- Rows of the audit trail committed with their change and not chained yet. On PostgreSQL
-- a change writes its audit rows here, in its own transaction and without a lock; right
-- after the commit they are moved into audit_log and chained, in batches, by one sealing
-- at a time across every instance (store/audit.go). SQLite, with its one writer, chains
-- them at once and leaves this table empty.
CREATE TABLE audit_waiting (
    id          {{ID}},
    at          {{TS}} NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    summary     TEXT NOT NULL
);
