-- The dashboard's per-day roll-up (DESIGN §7: figures read from summaries, never by
-- scanning the readings): one row per day and group of enterprises (village, park,
-- category, key or not), written once a day is over for the 30-day trend. Today's
-- figures are counted live with GROUP BY queries over the indexes below.
CREATE TABLE dashboard_days (
    day            TEXT NOT NULL,             -- YYYY-MM-DD in the policy's time zone
    region_code    TEXT NOT NULL,
    park_id        BIGINT,
    category       TEXT NOT NULL,
    key_enterprise {{BOOL}} NOT NULL DEFAULT FALSE,
    registered     INTEGER NOT NULL,
    resumed        INTEGER NOT NULL,
    with_notice    INTEGER NOT NULL,
    staff          INTEGER NOT NULL,
    on_site        INTEGER NOT NULL,
    fevers         INTEGER NOT NULL,
    reports        INTEGER NOT NULL,
    reports_due    INTEGER NOT NULL
);
CREATE INDEX dashboard_days_day ON dashboard_days(day, region_code);

-- A level's confirmed summary of the daily reports (village → town → county): the
-- figures it added up and who confirmed them.
CREATE TABLE report_summaries (
    id             {{ID}},
    region_code    TEXT NOT NULL REFERENCES regions(code),
    day            TEXT NOT NULL,
    enterprises    INTEGER NOT NULL,          -- asked for a report
    reported       INTEGER NOT NULL,          -- confirmed theirs
    on_site        INTEGER NOT NULL,
    isolating      INTEGER NOT NULL,
    monitoring     INTEGER NOT NULL,
    fevers         INTEGER NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    confirmed_by   BIGINT REFERENCES users(id),
    confirmer_name TEXT NOT NULL,
    confirmed_at   {{TS}} NOT NULL
);
CREATE UNIQUE INDEX report_summaries_day ON report_summaries(region_code, day);

-- The dashboard counts by scope and day.
CREATE INDEX gate_events_day_kind ON gate_events(day, enterprise_id);
CREATE INDEX health_checks_by_day ON health_checks(day, enterprise_id);
CREATE INDEX notices_in_force ON notices(enterprise_id, revoked_at);
CREATE INDEX applications_due ON applications(status, due_at);
CREATE INDEX employees_enterprise_left ON employees(enterprise_id, left_at);

-- To-dos of an application leave the inboxes when it moves on (found by its link).
CREATE INDEX notifications_link ON notifications(link, kind);

-- The gate register (进出登记台账) by checkpoint: where each entry was scanned or
-- registered ('' for entries before this column).
ALTER TABLE gate_events ADD COLUMN checkpoint TEXT NOT NULL DEFAULT '';
