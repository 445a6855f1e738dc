-- Login throttling answers failures with growing waits instead of a lockout (OWASP ASVS
-- V2.2.1): each counter keeps its failures, the time of the last one and the time before
-- which no further attempt is heard. The counters only live for an hour; the old ones,
-- kept by another rule, are dropped.
DROP TABLE login_failures;
CREATE TABLE login_failures (
    key        TEXT PRIMARY KEY,
    failures   INTEGER NOT NULL,
    last_at    {{TS}} NOT NULL,
    wait_until {{TS}}
);
CREATE INDEX login_failures_last ON login_failures(last_at);
