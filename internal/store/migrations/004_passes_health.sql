-- Entry passes (出入证), health checks with their follow-ups, and the gate register.

CREATE TABLE passes (
    id            {{ID}},
    employee_id   BIGINT NOT NULL REFERENCES employees(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    status        TEXT NOT NULL,             -- requested, active, suspended, revoked
    reason        TEXT NOT NULL DEFAULT '',  -- why suspended or revoked: fever, symptom, missed_checks, left, manual
    token         TEXT NOT NULL DEFAULT '',  -- the signed token, set on approval
    requested_by  BIGINT REFERENCES users(id),
    requested_at  {{TS}} NOT NULL,
    approved_by   BIGINT REFERENCES users(id),
    issued_at     {{TS}},
    updated_at    {{TS}} NOT NULL
);
CREATE INDEX passes_employee ON passes(employee_id, status);
CREATE INDEX passes_enterprise ON passes(enterprise_id, status);

CREATE TABLE health_checks (
    id            {{ID}},
    employee_id   BIGINT NOT NULL REFERENCES employees(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    day           TEXT NOT NULL,             -- YYYY-MM-DD of taken_at in the policy's time zone
    taken_at      {{TS}} NOT NULL,
    temperature   DOUBLE PRECISION NOT NULL,
    symptoms      TEXT NOT NULL DEFAULT '',  -- comma-separated
    checkpoint    TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL,             -- checkpoint, declared, gate
    operator_id   BIGINT REFERENCES users(id),
    fever         {{BOOL}} NOT NULL DEFAULT FALSE,
    created_at    {{TS}} NOT NULL
);
CREATE INDEX health_checks_day ON health_checks(enterprise_id, day, employee_id);
CREATE INDEX health_checks_employee ON health_checks(employee_id, day);

CREATE TABLE health_followups (
    id            {{ID}},
    employee_id   BIGINT NOT NULL REFERENCES employees(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    check_id      BIGINT REFERENCES health_checks(id),
    opened_at     {{TS}} NOT NULL,
    isolation     TEXT NOT NULL DEFAULT '',
    referral      TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL DEFAULT '',
    closed_at     {{TS}},
    closed_by     BIGINT REFERENCES users(id)
);
CREATE INDEX health_followups_employee ON health_followups(employee_id, closed_at);
CREATE INDEX health_followups_enterprise ON health_followups(enterprise_id, closed_at);

CREATE TABLE gate_events (
    id            {{ID}},
    enterprise_id BIGINT REFERENCES enterprises(id),
    kind          TEXT NOT NULL,             -- employee, visitor, vehicle
    pass_id       BIGINT,
    employee_id   BIGINT,
    allow         {{BOOL}} NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    temperature   DOUBLE PRECISION,
    name          TEXT NOT NULL DEFAULT '',  -- visitor, driver, or the person's masked name
    phone         TEXT NOT NULL DEFAULT '',
    id_masked     TEXT NOT NULL DEFAULT '',
    purpose       TEXT NOT NULL DEFAULT '',
    host          TEXT NOT NULL DEFAULT '',
    plate         TEXT NOT NULL DEFAULT '',
    freight_disinfected {{BOOL}},
    day           TEXT NOT NULL,
    operator_id   BIGINT REFERENCES users(id),
    at            {{TS}} NOT NULL
);
CREATE INDEX gate_events_day ON gate_events(enterprise_id, day);
