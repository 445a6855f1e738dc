-- Resumption applications, their review, notices, commuter buses and notifications.

CREATE TABLE applications (
    id                {{ID}},
    enterprise_id     BIGINT NOT NULL REFERENCES enterprises(id),
    status            TEXT NOT NULL,               -- draft, a stage code, returned, rejected, withdrawn, approved, revoked
    version           INTEGER NOT NULL DEFAULT 1,  -- optimistic lock: every change increments it
    policy_version    TEXT NOT NULL DEFAULT '',
    planned_at        {{TS}},
    early_resumption  {{BOOL}} NOT NULL DEFAULT FALSE,
    green_channel     {{BOOL}} NOT NULL DEFAULT FALSE,
    on_behalf         {{BOOL}} NOT NULL DEFAULT FALSE,
    filed_by          BIGINT REFERENCES users(id),
    form              TEXT NOT NULL DEFAULT '{}',  -- the rest of the application as JSON
    route_unit        TEXT NOT NULL DEFAULT '',    -- the reviewing unit (policy unit code)
    first_review_unit TEXT NOT NULL DEFAULT '',
    stage_role        TEXT NOT NULL DEFAULT '',    -- who acts next: role and unit (for queues)
    stage_unit        TEXT NOT NULL DEFAULT '',
    priority          DOUBLE PRECISION NOT NULL DEFAULT 0,
    submitted_at      {{TS}},
    due_at            {{TS}},
    decided_at        {{TS}},
    created_at        {{TS}} NOT NULL,
    updated_at        {{TS}} NOT NULL
);
CREATE INDEX applications_enterprise ON applications(enterprise_id);
CREATE INDEX applications_queue ON applications(stage_role, stage_unit, status);

-- Each submitted version of an application, frozen.
CREATE TABLE application_versions (
    application_id BIGINT NOT NULL REFERENCES applications(id),
    version        INTEGER NOT NULL,
    form           TEXT NOT NULL,
    planned_at     {{TS}},
    created_at     {{TS}} NOT NULL,
    PRIMARY KEY (application_id, version)
);

-- Every transition: who, when, what, and the policy version it was decided under.
CREATE TABLE application_events (
    id             {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications(id),
    action         TEXT NOT NULL,
    from_status    TEXT NOT NULL,
    to_status      TEXT NOT NULL,
    actor_id       BIGINT,
    actor_name     TEXT NOT NULL,
    actor_role     TEXT NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    policy_version TEXT NOT NULL,
    at             {{TS}} NOT NULL
);
CREATE INDEX application_events_app ON application_events(application_id);

CREATE TABLE attachments (
    id             {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications(id),
    material       TEXT NOT NULL,      -- policy material code, or "inspection:<item>" for on-site photos
    name           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    size           BIGINT NOT NULL,
    content_type   TEXT NOT NULL,
    uploaded_by    BIGINT REFERENCES users(id),
    created_at     {{TS}} NOT NULL
);
CREATE INDEX attachments_app ON attachments(application_id);

-- On-site acceptance (现场验收): the checklist as filled in, the opinion and signature.
CREATE TABLE inspections (
    id             {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications(id),
    stage          TEXT NOT NULL,
    inspector_id   BIGINT REFERENCES users(id),
    inspector_name TEXT NOT NULL,
    items          TEXT NOT NULL,      -- JSON list of {code, result, note}
    opinion        TEXT NOT NULL,
    signature      TEXT NOT NULL,
    passed         {{BOOL}} NOT NULL,
    created_at     {{TS}} NOT NULL
);
CREATE INDEX inspections_app ON inspections(application_id);

-- Gapless serial numbers per issuer, kind and year.
CREATE TABLE serials (
    issuer TEXT NOT NULL,
    kind   TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (issuer, kind, year)
);

CREATE TABLE notices (
    id             {{ID}},
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications(id),
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises(id),
    issuer_unit    TEXT NOT NULL,
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    serial         TEXT NOT NULL,
    token          TEXT NOT NULL,
    issued_at      {{TS}} NOT NULL,
    issued_by      BIGINT REFERENCES users(id),
    revoked_at     {{TS}},
    revoked_by     BIGINT REFERENCES users(id),
    revoke_reason  TEXT NOT NULL DEFAULT '',
    UNIQUE (issuer_unit, year, seq)
);
CREATE INDEX notices_enterprise ON notices(enterprise_id);

CREATE TABLE buses (
    id            {{ID}},
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    plate         TEXT NOT NULL,
    route         TEXT NOT NULL,
    seats         INTEGER NOT NULL,
    driver        TEXT NOT NULL,
    driver_phone  TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'pending',  -- pending, approved, rejected, letter_issued
    decided_by    BIGINT REFERENCES users(id),
    decided_at    {{TS}},
    comment       TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    {{TS}} NOT NULL,
    updated_at    {{TS}} NOT NULL,
    UNIQUE (enterprise_id, plate)
);

CREATE TABLE bus_letters (
    id            {{ID}},
    bus_id        BIGINT NOT NULL UNIQUE REFERENCES buses(id),
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    issuer_unit   TEXT NOT NULL,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    serial        TEXT NOT NULL,
    token         TEXT NOT NULL,
    issued_at     {{TS}} NOT NULL,
    issued_by     BIGINT REFERENCES users(id),
    revoked_at    {{TS}},
    revoke_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (issuer_unit, year, seq)
);

CREATE TABLE notifications (
    id         {{ID}},
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    created_at {{TS}} NOT NULL,
    read_at    {{TS}}
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
