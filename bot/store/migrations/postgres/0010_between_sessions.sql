-- Between sessions (issue 26). First: a member's own check-in schedule (/checkin schedule set),
-- private check-ins by DM on the days and at the local time they chose. Opt-in only: a member
-- without a row gets nothing.
-- Times are UTC unix seconds; `paused_until` and `last_sent_on` are
-- days of the member's own calendar (YYYY-MM-DD).

CREATE TABLE checkin_schedules (
    guild_id      BIGINT NOT NULL,
    user_id       BIGINT NOT NULL,
    -- Weekdays as bits, Monday = 1, Tuesday = 2, ... Sunday = 64.
    days          BIGINT NOT NULL CHECK (days BETWEEN 1 AND 127),
    -- Local time of day in minutes after midnight, in `timezone` (an IANA name).
    minute        BIGINT NOT NULL CHECK (minute BETWEEN 0 AND 1439),
    timezone      TEXT NOT NULL,
    scale         TEXT NOT NULL,
    -- No DMs before this local date (a pause); NULL when not paused.
    paused_until  TEXT,
    -- When the next DM is due; claimed (moved on) in the same write as it is marked sent.
    next_send_at  DOUBLE PRECISION NOT NULL,
    -- The member pressed Snooze: one more DM at this time, NULL otherwise.
    snoozed_until DOUBLE PRECISION,
    -- The local date of the last DM sent: nothing more that day (except a Snooze they asked for).
    last_sent_on  TEXT,
    created_at    DOUBLE PRECISION NOT NULL,
    updated_at    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
CREATE INDEX checkin_schedules_due ON checkin_schedules (next_send_at);
CREATE INDEX checkin_schedules_snoozed ON checkin_schedules (snoozed_until);

-- A member's own opt-in to a private pattern notice (/checkin notice on): after `low_answers`
-- low check-ins within `within_days` days, they (and nobody else) get a gentle message with the
-- server's support resources. Nothing is stored about a notice itself.
CREATE TABLE checkin_notice_optins (
    guild_id     BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    low_answers  BIGINT NOT NULL CHECK (low_answers BETWEEN 2 AND 10),
    within_days  BIGINT NOT NULL CHECK (within_days BETWEEN 1 AND 60),
    created_at   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- Tags a member puts on their own check-in ("slept badly", "played music"): as private as the
-- answer. Deleted with the check-in (retention, /forget) and by /forget on their own.
CREATE TABLE checkin_tags (
    checkin_id   BIGINT NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    guild_id     BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    tag          TEXT NOT NULL,
    created_at   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (checkin_id, tag)
);
CREATE INDEX checkin_tags_member ON checkin_tags (guild_id, user_id, tag);
