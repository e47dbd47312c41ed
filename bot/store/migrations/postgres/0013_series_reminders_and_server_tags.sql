-- Between sessions (issue 26), continued. Times are UTC unix seconds.

-- A member's own reminder time for one scheduled series, chosen after they pressed Interested
-- on one of its server events (or with /remind session). Replaces their /remind me setting for
-- that series; removing Interested or /forget deletes it.
CREATE TABLE series_reminders (
    series_id       BIGINT NOT NULL REFERENCES schedule_series (id) ON DELETE CASCADE,
    guild_id        BIGINT NOT NULL,
    user_id         BIGINT NOT NULL,
    -- Minutes before each session of the series; 0 is at the start; NULL is no reminder.
    minutes_before  BIGINT CHECK (minutes_before IS NULL OR minutes_before BETWEEN 0 AND 10080),
    updated_at      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series_id, user_id)
);
CREATE INDEX series_reminders_member ON series_reminders (guild_id, user_id);

-- The server's own check-in tags (/setup tags), offered to its members beside their own; while
-- a server has none, the built-in suggestions are offered. No member data.
CREATE TABLE server_checkin_tags (
    guild_id    BIGINT NOT NULL,
    tag         TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 32),
    created_at  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (guild_id, tag)
);
