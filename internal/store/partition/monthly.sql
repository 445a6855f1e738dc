-- Declarative range partitioning by month, PostgreSQL 15 and later, of the three tables
-- that grow with every reading, scan and change: health_checks and gate_events by day
-- ('YYYY-MM-DD'), audit_log by at. Run it once, by hand, on a migrated database (psql
-- -v ON_ERROR_STOP=1 -f monthly.sql), while no fugong process writes; it runs in one
-- transaction. The rows already there are not copied: each old table becomes the
-- partition of everything before the next month. Then SELECT fugong_add_months(3) once a
-- month (cron) keeps partitions ready for the months ahead.
--
-- What partitioning changes, honestly:
-- * A primary key of a partitioned table must hold the partition key: (id, day) for
--   readings and gate events, (seq, at) for the audit trail. ids still come from one
--   sequence per table, so they stay unique; the audit chain (each row's prev_hash is the
--   hash of the row before, chained by one sealing at a time under an advisory lock,
--   checked by fugong audit verify) still finds a repeated or missing seq.
-- * health_followups.check_id can no longer be a foreign key: a foreign key needs a
--   unique key on id alone, which a partitioned table cannot have. The store writes it
--   from the reading it inserts in the same transaction; the constraint is dropped.
-- * Old months of readings and gate events can then be detached and dropped at once
--   (ALTER TABLE … DETACH PARTITION …; DROP TABLE …) instead of deleted row by row. The
--   audit trail is verified from its first row: never drop its partitions.
BEGIN;
LOCK TABLE health_checks, gate_events, audit_log, health_followups IN ACCESS EXCLUSIVE MODE;

ALTER TABLE health_followups DROP CONSTRAINT IF EXISTS health_followups_check_id_fkey;

-- The first day of next month, where the old tables end and the new partitions begin.
CREATE TEMPORARY TABLE fugong_partition_start ON COMMIT DROP AS
    SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month')::date AS d;

-- health_checks, by day.
ALTER TABLE health_checks RENAME TO health_checks_before;
ALTER TABLE health_checks_before DROP CONSTRAINT health_checks_pkey; -- the partitioned table's key takes its place
ALTER INDEX health_checks_day RENAME TO health_checks_before_day;
ALTER INDEX health_checks_day_taken RENAME TO health_checks_before_day_taken;
ALTER INDEX health_checks_fevers RENAME TO health_checks_before_fevers;
ALTER TABLE health_checks_before ALTER COLUMN id DROP IDENTITY;
CREATE SEQUENCE health_checks_id_seq;
SELECT setval('health_checks_id_seq', COALESCE((SELECT max(id) FROM health_checks_before), 0) + 1, false);
CREATE TABLE health_checks (LIKE health_checks_before INCLUDING DEFAULTS) PARTITION BY RANGE (day);
ALTER TABLE health_checks ALTER COLUMN id SET DEFAULT nextval('health_checks_id_seq');
ALTER SEQUENCE health_checks_id_seq OWNED BY health_checks.id;
ALTER TABLE health_checks ADD PRIMARY KEY (id, day);
ALTER TABLE health_checks ADD FOREIGN KEY (employee_id) REFERENCES employees(id);
ALTER TABLE health_checks ADD FOREIGN KEY (enterprise_id) REFERENCES enterprises(id);
ALTER TABLE health_checks ADD FOREIGN KEY (operator_id) REFERENCES users(id);
CREATE INDEX health_checks_day ON health_checks(enterprise_id, day, employee_id, checkpoint);
CREATE INDEX health_checks_day_taken ON health_checks(day, taken_at, id, enterprise_id);
CREATE INDEX health_checks_fevers ON health_checks(day, enterprise_id, employee_id) WHERE fever = TRUE OR symptoms <> '';

-- gate_events, by day.
ALTER TABLE gate_events RENAME TO gate_events_before;
ALTER TABLE gate_events_before DROP CONSTRAINT gate_events_pkey; -- the partitioned table's key takes its place
ALTER INDEX gate_events_day RENAME TO gate_events_before_day;
ALTER INDEX gate_events_day_at RENAME TO gate_events_before_day_at;
ALTER TABLE gate_events_before ALTER COLUMN id DROP IDENTITY;
CREATE SEQUENCE gate_events_id_seq;
SELECT setval('gate_events_id_seq', COALESCE((SELECT max(id) FROM gate_events_before), 0) + 1, false);
CREATE TABLE gate_events (LIKE gate_events_before INCLUDING DEFAULTS) PARTITION BY RANGE (day);
ALTER TABLE gate_events ALTER COLUMN id SET DEFAULT nextval('gate_events_id_seq');
ALTER SEQUENCE gate_events_id_seq OWNED BY gate_events.id;
ALTER TABLE gate_events ADD PRIMARY KEY (id, day);
ALTER TABLE gate_events ADD FOREIGN KEY (enterprise_id) REFERENCES enterprises(id);
ALTER TABLE gate_events ADD FOREIGN KEY (operator_id) REFERENCES users(id);
CREATE INDEX gate_events_day ON gate_events(enterprise_id, day, checkpoint);
CREATE INDEX gate_events_day_at ON gate_events(day, at, id, enterprise_id);

-- audit_log, by at.
ALTER TABLE audit_log RENAME TO audit_log_before;
ALTER TABLE audit_log_before DROP CONSTRAINT audit_log_pkey; -- the partitioned table's key takes its place
ALTER INDEX audit_object RENAME TO audit_before_object;
CREATE TABLE audit_log (LIKE audit_log_before INCLUDING DEFAULTS) PARTITION BY RANGE (at);
ALTER TABLE audit_log ADD PRIMARY KEY (seq, at);
CREATE INDEX audit_object ON audit_log(object_type, object_id);
CREATE INDEX audit_seq ON audit_log(seq);

-- The old tables hold everything before the first new month.
DO $$
DECLARE d date := (SELECT d FROM fugong_partition_start);
BEGIN
    EXECUTE format('ALTER TABLE health_checks ATTACH PARTITION health_checks_before FOR VALUES FROM (MINVALUE) TO (%L)', to_char(d, 'YYYY-MM-DD'));
    EXECUTE format('ALTER TABLE gate_events ATTACH PARTITION gate_events_before FOR VALUES FROM (MINVALUE) TO (%L)', to_char(d, 'YYYY-MM-DD'));
    EXECUTE format('ALTER TABLE audit_log ATTACH PARTITION audit_log_before FOR VALUES FROM (MINVALUE) TO (%L)', d::text || ' 00:00:00+00');
END $$;

-- fugong_add_months(n) makes the partitions of the next n months that are missing, for
-- the three tables; run it monthly. It answers how many it made.
CREATE FUNCTION fugong_add_months(n int) RETURNS int LANGUAGE plpgsql SET timezone = 'UTC' AS $$
DECLARE
    made int := 0;
    m date;
    t text;
    upto date := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => n + 1))::date;
    covered date;
BEGIN
    FOREACH t IN ARRAY ARRAY['health_checks', 'gate_events', 'audit_log'] LOOP
        -- Where the partitions made so far end.
        SELECT max(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([0-9-]{10})'))::date INTO covered
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = t::regclass;
        m := covered;
        WHILE m < upto LOOP
            IF t = 'audit_log' THEN
                EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
                    t || '_' || to_char(m, 'YYYYMM'), m::text || ' 00:00:00+00', (m + interval '1 month')::date::text || ' 00:00:00+00');
            ELSE
                EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                    t || '_' || to_char(m, 'YYYYMM'), t, to_char(m, 'YYYY-MM-DD'), to_char(m + interval '1 month', 'YYYY-MM-DD'));
            END IF;
            made := made + 1;
            m := (m + interval '1 month')::date;
        END LOOP;
    END LOOP;
    RETURN made;
END $$;

SELECT fugong_add_months(3);
COMMIT;
