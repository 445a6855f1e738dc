-- Ledgers (台账) of an enterprise and its confirmed daily reports (日报 / 零报告).
--
-- One table holds the four ledgers; kind says which, and each uses its own columns:
--   disinfection: at, area, agent, person (the operator)
--   supplies:     at, item, quantity (signed: + in, − out), note
--   masks:        at, quantity (used masks collected), person (the handler)
--   training:     at (the day), topic, quantity (明白单 handed out), names

CREATE TABLE ledger_entries (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    kind          TEXT NOT NULL,
    at            {{TS}} NOT NULL,
    area          TEXT NOT NULL DEFAULT '',
    agent         TEXT NOT NULL DEFAULT '',
    person        TEXT NOT NULL DEFAULT '',
    item          TEXT NOT NULL DEFAULT '',
    quantity      BIGINT NOT NULL DEFAULT 0,
    topic         TEXT NOT NULL DEFAULT '',
    names         TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_by    BIGINT,
    created_at    {{TS}} NOT NULL
);
CREATE INDEX ledger_entries_kind_at ON ledger_entries(enterprise_id, kind, at);
CREATE INDEX ledger_entries_item ON ledger_entries(enterprise_id, item);

CREATE TABLE daily_reports (
    id               {{ID}},
    enterprise_id    BIGINT NOT NULL REFERENCES enterprises(id),
    day              TEXT NOT NULL, -- YYYY-MM-DD in the policy's time zone
    on_site          INTEGER NOT NULL,
    isolating        INTEGER NOT NULL,
    monitoring       INTEGER NOT NULL,
    fevers           INTEGER NOT NULL,
    passes_suspended INTEGER NOT NULL,
    mask_stock       BIGINT NOT NULL,
    cover_days       DOUBLE PRECISION NOT NULL, -- -1 when nobody is on site
    zero             {{BOOL}} NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    confirmed_by     BIGINT,
    confirmer_name   TEXT NOT NULL,
    confirmed_at     {{TS}} NOT NULL
);
CREATE UNIQUE INDEX daily_reports_day ON daily_reports(enterprise_id, day);
CREATE INDEX daily_reports_by_day ON daily_reports(day);
