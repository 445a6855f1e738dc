-- Jobs that run once a day for the whole installation (suspending the passes of people
-- who missed the day's checks): the instance that records the day first runs it.
CREATE TABLE daily_jobs (
    name    TEXT NOT NULL,
    day     TEXT NOT NULL,             -- YYYY-MM-DD in the policy's time zone
    ran_at  {{TS}} NOT NULL,
    result  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (name, day)
);
