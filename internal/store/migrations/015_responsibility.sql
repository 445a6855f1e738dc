-- Responsibility (包保): the officials answerable for each enterprise, their visits, and the
-- alerts that go up to the levels the policy names.

-- An official assigned to an enterprise in a duty of the policy ([[duties]]): an account,
-- or a named contact without one. Dates are YYYY-MM-DD in the policy's time zone; an empty
-- end is open. A withdrawn assignment keeps its row (removed_at) for the record.
CREATE TABLE assignments (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    duty          TEXT NOT NULL,
    user_id       BIGINT REFERENCES users(id),
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    unit          TEXT NOT NULL DEFAULT '',      -- the official's own unit or post, as written
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL DEFAULT '',
    created_by    BIGINT REFERENCES users(id),
    created_at    {{TS}} NOT NULL,
    removed_by    BIGINT REFERENCES users(id),
    removed_at    {{TS}}
);
CREATE INDEX assignments_enterprise ON assignments(enterprise_id, duty);
CREATE INDEX assignments_user ON assignments(user_id);

-- A visit (走访记录) of an official to an enterprise.
CREATE TABLE visits (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    user_id       BIGINT REFERENCES users(id),
    visitor       TEXT NOT NULL,                 -- the official's name at the time
    day           TEXT NOT NULL,                 -- YYYY-MM-DD
    kind          TEXT NOT NULL,                 -- onsite, spot, unannounced, phone, video
    found         TEXT NOT NULL DEFAULT '',
    problems      TEXT NOT NULL DEFAULT '',
    photos        TEXT NOT NULL DEFAULT '',      -- comma-separated SHA-256 of stored files
    created_at    {{TS}} NOT NULL
);
CREATE INDEX visits_enterprise ON visits(enterprise_id, day);

-- An alert raised about an enterprise (fever, out-of-city returners, suspended notice,
-- overdue rectification, major hazard) and the units of the policy it goes to; each
-- recipient unit acknowledges it once. facts is JSON; personal data in it is masked when
-- read by a role that may not see it.
CREATE TABLE alerts (
    id            {{ID}},
    kind          TEXT NOT NULL,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    region_code   TEXT NOT NULL,
    facts         TEXT NOT NULL DEFAULT '{}',
    created_at    {{TS}} NOT NULL
);
CREATE INDEX alerts_enterprise ON alerts(enterprise_id);

CREATE TABLE alert_recipients (
    alert_id      BIGINT NOT NULL REFERENCES alerts(id),
    unit          TEXT NOT NULL,                 -- unit code of the policy
    acked_by      BIGINT REFERENCES users(id),
    acked_at      {{TS}},
    PRIMARY KEY (alert_id, unit)
);
CREATE INDEX alert_recipients_open ON alert_recipients(unit, acked_at);

-- The grid chain (网格): where the policy has one ([[grid_chains]]), a requested pass is
-- approved level by level, from the lowest grid leader up; each decision is one row. A
-- refusal names the level and the reason and stops the pass.
CREATE TABLE pass_approvals (
    pass_id       BIGINT NOT NULL REFERENCES passes(id),
    step          INTEGER NOT NULL,              -- 0 for the lowest level
    unit          TEXT NOT NULL,                 -- the level's unit code of the policy
    approve       {{BOOL}} NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    decided_by    BIGINT REFERENCES users(id),
    decided_at    {{TS}} NOT NULL,
    PRIMARY KEY (pass_id, step)
);
