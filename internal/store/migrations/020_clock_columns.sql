-- The quarantine clock as columns (city scale): what roster.Clock says of each person
-- today, kept current on every change of the person, by the daily job for the people
-- whose phase changes that day, and in full when the policy changes. Lists count and
-- filter by phase in SQL with these, never by computing the clock of every person.
ALTER TABLE employees ADD COLUMN phase TEXT NOT NULL DEFAULT '';
-- The day (YYYY-MM-DD, policy zone) the phase changes next: the return day of a person
-- not back yet, the day after the measure ends for one isolating or monitored; '' never.
ALTER TABLE employees ADD COLUMN phase_next TEXT NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN journey_too_long {{BOOL}} NOT NULL DEFAULT FALSE;

-- Which policy and day the stored clocks were computed for (one row).
CREATE TABLE clock_state (
    id         INTEGER PRIMARY KEY,
    policy     TEXT NOT NULL,
    day        TEXT NOT NULL
);
