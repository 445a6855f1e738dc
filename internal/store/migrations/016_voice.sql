-- The public's voice: tips (举报) sent without an account. The receipt code the reporter
-- keeps is stored only as its digest; the sender's address only as the digest of its
-- throttling key (the rate limits count it, nobody reads it). The reporter's name and
-- phone are for the handler only. region_code and unit_code say who handles the tip.
CREATE TABLE tips (
    id              {{ID}},
    receipt_digest  TEXT NOT NULL UNIQUE,
    category        TEXT NOT NULL,
    enterprise_id   BIGINT REFERENCES enterprises(id),
    enterprise_name TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    happened_at     {{TS}},
    description     TEXT NOT NULL,
    reporter_name   TEXT NOT NULL DEFAULT '',
    reporter_phone  TEXT NOT NULL DEFAULT '',
    sender_key      TEXT NOT NULL,
    region_code     TEXT NOT NULL REFERENCES regions(code),
    unit_code       TEXT NOT NULL,
    status          TEXT NOT NULL,
    group_id        BIGINT REFERENCES tips(id),
    comment         TEXT NOT NULL DEFAULT '',
    result          TEXT NOT NULL DEFAULT '',
    reply           TEXT NOT NULL DEFAULT '',
    inspection_id   BIGINT,
    accept_due      {{TS}} NOT NULL,
    reply_due       {{TS}} NOT NULL,
    replied_at      {{TS}},
    handled_by      BIGINT REFERENCES users(id),
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      {{TS}} NOT NULL,
    updated_at      {{TS}} NOT NULL
);
CREATE INDEX tips_region ON tips(region_code, status);
CREATE INDEX tips_sender ON tips(sender_key, created_at);
CREATE INDEX tips_created ON tips(created_at);
CREATE INDEX tips_enterprise ON tips(enterprise_id, category);
CREATE INDEX tips_group ON tips(group_id);

CREATE TABLE tip_photos (
    tip_id       BIGINT NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
    sha256       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    PRIMARY KEY (tip_id, sha256)
);

-- The enterprises' voice: requests (诉求) for help, each with the unit that handles it now,
-- its deadline, the answer, and the enterprise's confirmation and rating.
CREATE TABLE enterprise_requests (
    id             {{ID}},
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises(id),
    kind           TEXT NOT NULL,
    description    TEXT NOT NULL,
    urgent         {{BOOL}} NOT NULL DEFAULT FALSE,
    status         TEXT NOT NULL,
    unit_code      TEXT NOT NULL,
    region_code    TEXT NOT NULL,
    escalated      {{BOOL}} NOT NULL DEFAULT FALSE,
    answer         TEXT NOT NULL DEFAULT '',
    rating         INTEGER NOT NULL DEFAULT 0,
    feedback       TEXT NOT NULL DEFAULT '',
    due_at         {{TS}} NOT NULL,
    raised_by      BIGINT REFERENCES users(id),
    raised_by_name TEXT NOT NULL DEFAULT '',
    answered_at    {{TS}},
    solved_at      {{TS}},
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     {{TS}} NOT NULL,
    updated_at     {{TS}} NOT NULL
);
CREATE INDEX enterprise_requests_enterprise ON enterprise_requests(enterprise_id);
CREATE INDEX enterprise_requests_unit ON enterprise_requests(region_code, unit_code, status);

CREATE TABLE enterprise_request_files (
    request_id   BIGINT NOT NULL REFERENCES enterprise_requests(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    PRIMARY KEY (request_id, sha256)
);

-- Published guidance (惠企政策, 十问十答, 属地 / 企业 / 员工须知, a park's rent relief): the
-- regions and categories it concerns are kept as lists of codes separated by spaces
-- (" 330402 330403 ", searched with LIKE '% code %'); the confirmations of reading, one
-- per enterprise.
CREATE TABLE guidance (
    id           {{ID}},
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    regions      TEXT NOT NULL,
    categories   TEXT NOT NULL DEFAULT '',
    park_id      BIGINT REFERENCES parks(id),
    public       {{BOOL}} NOT NULL DEFAULT FALSE,
    ask_confirm  {{BOOL}} NOT NULL DEFAULT FALSE,
    publish_at   {{TS}} NOT NULL,
    end_at       {{TS}},
    publisher    TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users(id),
    created_at   {{TS}} NOT NULL,
    updated_at   {{TS}} NOT NULL
);
CREATE INDEX guidance_publish ON guidance(publish_at);

CREATE TABLE guidance_reads (
    guidance_id   BIGINT NOT NULL REFERENCES guidance(id) ON DELETE CASCADE,
    enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
    user_id       BIGINT REFERENCES users(id),
    read_at       {{TS}} NOT NULL,
    PRIMARY KEY (guidance_id, enterprise_id)
);

-- Appointments (预约服务): the slots a unit offers for on-site acceptance and its counter,
-- and the appointments booked in them (or proposed by the unit), with the times each was
-- moved.
CREATE TABLE appointment_slots (
    id          {{ID}},
    unit_code   TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    service     TEXT NOT NULL,
    starts_at   {{TS}} NOT NULL,
    ends_at     {{TS}} NOT NULL,
    capacity    INTEGER NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    created_by  BIGINT REFERENCES users(id),
    created_at  {{TS}} NOT NULL
);
CREATE INDEX appointment_slots_region ON appointment_slots(region_code, starts_at);

CREATE TABLE appointments (
    id             {{ID}},
    slot_id        BIGINT REFERENCES appointment_slots(id),
    enterprise_id  BIGINT NOT NULL REFERENCES enterprises(id),
    application_id BIGINT REFERENCES applications(id),
    unit_code      TEXT NOT NULL,
    region_code    TEXT NOT NULL,
    service        TEXT NOT NULL,
    starts_at      {{TS}} NOT NULL,
    ends_at        {{TS}} NOT NULL,
    place          TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    changes        INTEGER NOT NULL DEFAULT 0,
    note           TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     {{TS}} NOT NULL,
    updated_at     {{TS}} NOT NULL
);
CREATE INDEX appointments_enterprise ON appointments(enterprise_id);
CREATE INDEX appointments_slot ON appointments(slot_id);
