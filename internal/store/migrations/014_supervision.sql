-- Supervision after resumption (督导检查): inspections of resumed enterprises by the units
-- the policy's split names, rectification orders (整改通知书) with deadlines and escalation,
-- the hazard register of the key sectors (安全生产隐患排查治理), and their photos. A notice can
-- be suspended (停产整顿) without being revoked: the gate refuses while it is.

CREATE TABLE inspections (
    id             {{ID}},
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises(id),
    unit           TEXT NOT NULL,                 -- the inspecting unit (policy unit code)
    kind           TEXT NOT NULL,                 -- routine, spot, unannounced, remote, canteen, safety, reinspection
    planned_on     TEXT NOT NULL,                 -- YYYY-MM-DD in the policy's time zone
    inspectors     TEXT NOT NULL,
    status         TEXT NOT NULL,                 -- planned, done
    result         TEXT NOT NULL DEFAULT '',      -- pass, fail once done
    items          TEXT NOT NULL DEFAULT '[]',    -- JSON list of {code, result, note, severity}
    opinion        TEXT NOT NULL DEFAULT '',
    signature      TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     BIGINT REFERENCES users(id),
    inspector_id   BIGINT REFERENCES users(id),
    created_at     {{TS}} NOT NULL,
    completed_at   {{TS}}
);
CREATE INDEX inspections_enterprise ON inspections(enterprise_id, status);
CREATE INDEX inspections_unit ON inspections(unit, status, planned_on);

CREATE TABLE rectifications (
    id             {{ID}},
    inspection_id  BIGINT REFERENCES inspections(id),
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises(id),
    unit           TEXT NOT NULL,                 -- the ordering unit
    item           TEXT NOT NULL,                 -- checklist item code
    problem        TEXT NOT NULL,
    clause         TEXT NOT NULL DEFAULT '',
    severity       TEXT NOT NULL,                 -- general, serious, suspend
    responsible    TEXT NOT NULL DEFAULT '',
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    serial         TEXT NOT NULL,
    deadline       {{TS}} NOT NULL,
    status         TEXT NOT NULL,                 -- open, answered, closed
    level          INTEGER NOT NULL DEFAULT 0,    -- escalation level
    answer         TEXT NOT NULL DEFAULT '',
    comment        TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     {{TS}} NOT NULL,
    closed_at      {{TS}},
    UNIQUE (unit, year, seq)
);
CREATE INDEX rectifications_enterprise ON rectifications(enterprise_id, status);
CREATE INDEX rectifications_open ON rectifications(status, deadline);

CREATE TABLE hazards (
    id             {{ID}},
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises(id),
    sector         TEXT NOT NULL,                 -- policy hazard sector code
    grade          TEXT NOT NULL,                 -- general, major (一般 / 重大隐患)
    source         TEXT NOT NULL,                 -- inspection, self (企业自查)
    inspection_id  BIGINT REFERENCES inspections(id),
    unit           TEXT NOT NULL DEFAULT '',      -- the supervising unit
    item           TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL,
    measures       TEXT NOT NULL DEFAULT '',
    deadline       {{TS}} NOT NULL,
    status         TEXT NOT NULL,                 -- registered, rectified, accepted, closed
    version        INTEGER NOT NULL DEFAULT 1,
    created_by     BIGINT REFERENCES users(id),
    created_at     {{TS}} NOT NULL,
    closed_at      {{TS}}
);
CREATE INDEX hazards_enterprise ON hazards(enterprise_id, status);
CREATE INDEX hazards_open ON hazards(grade, status);

CREATE TABLE supervision_photos (
    id             {{ID}},
    owner          TEXT NOT NULL,                 -- inspection, rectification, hazard
    owner_id       BIGINT NOT NULL,
    item           TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    size           BIGINT NOT NULL,
    content_type   TEXT NOT NULL,
    uploaded_by    BIGINT REFERENCES users(id),
    created_at     {{TS}} NOT NULL
);
CREATE INDEX supervision_photos_owner ON supervision_photos(owner, owner_id);

ALTER TABLE notices ADD COLUMN suspended_at {{TS}};
ALTER TABLE notices ADD COLUMN suspend_reason TEXT NOT NULL DEFAULT '';
