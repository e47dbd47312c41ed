-- Scheduled sessions: a series (a rule) and its occurrences (one Discord scheduled event each),
-- members' reminder opt-ins and the reminders already sent. Times are UTC unix seconds.

CREATE TABLE schedule_series (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    channel_id        INTEGER NOT NULL,
    voice_channel_id  INTEGER,
    facilitator_id    INTEGER NOT NULL,
    title             TEXT NOT NULL,
    plan              TEXT,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 1440),
    repeat            TEXT NOT NULL CHECK (repeat IN ('none', 'weekly', 'fortnightly', 'monthly')),
    timezone          TEXT NOT NULL,
    anchor_local      TEXT NOT NULL,
    anchor_seq        INTEGER NOT NULL DEFAULT 0,
    active            INTEGER NOT NULL DEFAULT 1,
    created_at        REAL NOT NULL
);
CREATE INDEX schedule_series_guild ON schedule_series (guild_id);

CREATE TABLE schedule_occurrences (
    id                INTEGER PRIMARY KEY,
    series_id         INTEGER NOT NULL REFERENCES schedule_series (id) ON DELETE CASCADE,
    guild_id          INTEGER NOT NULL,
    seq               INTEGER NOT NULL,
    starts_at         REAL NOT NULL,
    ends_at           REAL NOT NULL,
    event_id          INTEGER,
    status            TEXT NOT NULL DEFAULT 'scheduled'
                      CHECK (status IN ('scheduled', 'open', 'started', 'missed', 'cancelled')),
    session_id        INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    start_message_id  INTEGER,
    opened_at         REAL,
    reminders_until   REAL NOT NULL DEFAULT 0,
    ended_at          REAL,
    created_at        REAL NOT NULL,
    UNIQUE (series_id, seq)
);
CREATE INDEX schedule_occurrences_guild_start ON schedule_occurrences (guild_id, starts_at);
CREATE INDEX schedule_occurrences_pending ON schedule_occurrences (status, ended_at);

CREATE TABLE reminder_optins (
    guild_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    minutes_before  INTEGER NOT NULL CHECK (minutes_before BETWEEN 1 AND 10080),
    updated_at      REAL NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE sent_reminders (
    occurrence_id  INTEGER NOT NULL REFERENCES schedule_occurrences (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL,
    via            TEXT NOT NULL CHECK (via IN ('dm', 'channel')),
    sent_at        REAL NOT NULL,
    PRIMARY KEY (occurrence_id, user_id)
);
