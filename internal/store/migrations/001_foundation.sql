-- Foundation: jurisdictions, accounts, enterprises, audit trail.
-- {{ID}}, {{TS}}, {{BOOL}} and {{BLOB}} are replaced per engine (see migrate.go).

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,            -- GB/T 2260 style: 6 (county), 9 (town), 12 (village) digits
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL,            -- 1 province … 5 village/community
    parent_code TEXT REFERENCES regions(code),
    created_at  {{TS}} NOT NULL,
    updated_at  {{TS}} NOT NULL
);
CREATE INDEX regions_parent ON regions(parent_code);

CREATE TABLE parks (
    id          {{ID}},
    name        TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    operator    TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    created_at  {{TS}} NOT NULL,
    updated_at  {{TS}} NOT NULL,
    UNIQUE (region_code, name)
);

CREATE TABLE departments (
    id          {{ID}},
    name        TEXT NOT NULL,
    unit_code   TEXT NOT NULL DEFAULT '',    -- the policy's unit code this department acts as
    region_code TEXT NOT NULL REFERENCES regions(code),
    phone       TEXT NOT NULL DEFAULT '',
    created_at  {{TS}} NOT NULL,
    updated_at  {{TS}} NOT NULL,
    UNIQUE (region_code, name)
);

CREATE TABLE users (
    id            {{ID}},
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    scope         TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      {{BOOL}} NOT NULL DEFAULT FALSE,
    created_at    {{TS}} NOT NULL,
    updated_at    {{TS}} NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,            -- sha256 of the cookie value; the value itself is never stored
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  {{TS}} NOT NULL,
    expires_at  {{TS}} NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           {{ID}},
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL DEFAULT '',
    created_at   {{TS}} NOT NULL,
    last_used_at {{TS}},
    revoked      {{BOOL}} NOT NULL DEFAULT FALSE
);

-- Failed logins per key (user name or client address), kept in the database so that
-- several instances throttle together.
CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    first_at     {{TS}} NOT NULL,
    locked_until {{TS}}
);

CREATE TABLE enterprises (
    id               {{ID}},
    name             TEXT NOT NULL,
    uscc             TEXT NOT NULL UNIQUE,
    category         TEXT NOT NULL,
    region_code      TEXT NOT NULL REFERENCES regions(code),
    park_id          BIGINT REFERENCES parks(id),
    status           TEXT NOT NULL DEFAULT 'not_resumed',
    has_canteen      {{BOOL}} NOT NULL DEFAULT FALSE,
    has_dormitory    {{BOOL}} NOT NULL DEFAULT FALSE,
    has_bus          {{BOOL}} NOT NULL DEFAULT FALSE,
    key_enterprise   {{BOOL}} NOT NULL DEFAULT FALSE,
    legal_rep        TEXT NOT NULL DEFAULT '',
    prevention_lead  TEXT NOT NULL DEFAULT '',
    prevention_phone TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    headcount        INTEGER NOT NULL DEFAULT 0,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       {{TS}} NOT NULL,
    updated_at       {{TS}} NOT NULL
);
CREATE INDEX enterprises_region ON enterprises(region_code);
CREATE INDEX enterprises_park ON enterprises(park_id);
CREATE INDEX enterprises_category ON enterprises(category);

-- Append-only, hash-chained: hash = sha256(prev_hash, seq, at, actor, action, object, summary).
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          {{TS}} NOT NULL,
    actor_id    BIGINT,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    summary     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_object ON audit_log(object_type, object_id);

-- Import jobs: progress and the per-row report of a spreadsheet import.
CREATE TABLE import_jobs (
    id          {{ID}},
    kind        TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    file_name   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,               -- running, done, failed
    total       INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,
    imported    INTEGER NOT NULL DEFAULT 0,
    errors      TEXT NOT NULL DEFAULT '[]',  -- JSON list of row problems
    message     TEXT NOT NULL DEFAULT '',
    created_at  {{TS}} NOT NULL,
    finished_at {{TS}}
);
