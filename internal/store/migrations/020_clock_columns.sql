-- The quarantine clock as columns (city scale): what roster.Clock says of each person
-- today, kept current on every change of the person, by the daily job for the people
-- whose phase changes that day, and in full when the policy changes. Lists count and
-- filter by phase in SQL with these, never by computing the clock of every person.
ALTER TABLE employees ADD COLUMN phase TEXT NOT NULL DEFAULT '';
-- The day (YYYY-MM-DD, policy zone) the phase changes next: the return day of a person
-- not back yet, the day after the measure ends for one isolating or monitored; '' never.
-- '0000-00-00' (the default) marks a row whose clock is not stored yet (written before
-- this migration, or by a writer that does not know the clock): it is due at once, so
-- the refresh before any list fills it.
ALTER TABLE employees ADD COLUMN phase_next TEXT NOT NULL DEFAULT '0000-00-00';
ALTER TABLE employees ADD COLUMN journey_too_long {{BOOL}} NOT NULL DEFAULT FALSE;

-- Which policy and day the stored clocks were computed for (one row).
CREATE TABLE clock_state (
    id         INTEGER PRIMARY KEY,
    policy     TEXT NOT NULL,
    day        TEXT NOT NULL
);

-- The counts of a roster (one GROUP BY over the enterprises in scope) read this index
-- alone; the phase filter of one enterprise reads its rows in the order of the list.
CREATE INDEX employees_clock ON employees(enterprise_id, phase, phase_next, journey_too_long);
CREATE INDEX employees_phase ON employees(enterprise_id, phase, id);
-- The rows whose phase changes today (the daily refresh).
CREATE INDEX employees_phase_next ON employees(phase_next);
-- The daily reports list enterprises by name.
CREATE INDEX enterprises_name ON enterprises(name, id);
