-- Chorus schema, version 1. Times are UTC unix seconds (REAL). Never edit a shipped migration.

CREATE TABLE guilds (
    id            INTEGER PRIMARY KEY,
    timezone      TEXT,
    support_text  TEXT,
    created_at    REAL NOT NULL
);

CREATE TABLE members (
    guild_id             INTEGER NOT NULL,
    user_id              INTEGER NOT NULL,
    display_name         TEXT NOT NULL DEFAULT '',
    consent              TEXT CHECK (consent IN ('agreed', 'declined')),
    consent_at           REAL,
    credit_opt_out       INTEGER NOT NULL DEFAULT 0,
    left_guild_at        REAL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE sessions (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    channel_id        INTEGER NOT NULL,
    voice_channel_id  INTEGER,
    title             TEXT NOT NULL,
    facilitator_id    INTEGER NOT NULL,
    board_message_id  INTEGER,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ended')),
    started_at        REAL NOT NULL,
    ended_at          REAL
);
CREATE UNIQUE INDEX sessions_one_open_per_channel ON sessions (channel_id) WHERE status = 'open';
CREATE INDEX sessions_guild_started ON sessions (guild_id, started_at DESC);

CREATE TABLE attendance (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    joined_at   REAL NOT NULL,
    left_at     REAL
);
CREATE UNIQUE INDEX attendance_one_open ON attendance (session_id, user_id) WHERE left_at IS NULL;
CREATE INDEX attendance_user ON attendance (user_id);

CREATE TABLE activity_runs (
    id                INTEGER PRIMARY KEY,
    session_id        INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    activity_id       TEXT NOT NULL,
    version_hash      TEXT NOT NULL,
    definition        TEXT NOT NULL,
    step_index        INTEGER NOT NULL DEFAULT 0,
    step_started_at   REAL NOT NULL,
    step_deadline     REAL,
    paused_remaining  REAL,
    step_message_id   INTEGER,
    step_state        TEXT NOT NULL DEFAULT '{}',
    wake_at           REAL,
    state             TEXT NOT NULL DEFAULT 'running'
                      CHECK (state IN ('running', 'paused', 'finished', 'stopped')),
    started_at        REAL NOT NULL,
    ended_at          REAL
);
CREATE UNIQUE INDEX runs_one_live_per_session ON activity_runs (session_id)
    WHERE state IN ('running', 'paused');
CREATE INDEX runs_live_wake ON activity_runs (state, wake_at);

CREATE TABLE contributions (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES activity_runs (id) ON DELETE CASCADE,
    step_index  INTEGER NOT NULL,
    author_id   INTEGER,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}',
    created_at  REAL NOT NULL,
    updated_at  REAL NOT NULL
);
CREATE INDEX contributions_run_step ON contributions (run_id, step_index);
CREATE INDEX contributions_author ON contributions (author_id);

CREATE TABLE checkins (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER,
    session_id  INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    run_id      INTEGER REFERENCES activity_runs (id) ON DELETE SET NULL,
    step_index  INTEGER,
    scale       TEXT NOT NULL,
    phase       TEXT NOT NULL CHECK (phase IN ('before', 'after', 'any')),
    value       INTEGER,
    value2      INTEGER,
    passed      INTEGER NOT NULL DEFAULT 0,
    note        TEXT,
    shared      INTEGER NOT NULL DEFAULT 0,
    created_at  REAL NOT NULL
);
CREATE INDEX checkins_member ON checkins (guild_id, user_id, created_at);
CREATE INDEX checkins_session ON checkins (session_id);
CREATE INDEX checkins_created ON checkins (created_at);

CREATE TABLE songs (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    session_id    INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    run_id        INTEGER REFERENCES activity_runs (id) ON DELETE SET NULL,
    step_index    INTEGER,
    title         TEXT NOT NULL DEFAULT '',
    theme         TEXT NOT NULL DEFAULT '',
    structure     TEXT NOT NULL DEFAULT '[]',
    anonymous     INTEGER NOT NULL DEFAULT 0,
    created_at    REAL NOT NULL,
    finished_at   REAL
);

CREATE TABLE song_lines (
    id          INTEGER PRIMARY KEY,
    song_id     INTEGER NOT NULL REFERENCES songs (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    section     TEXT NOT NULL,
    author_id   INTEGER,
    text        TEXT NOT NULL DEFAULT '',
    syllables   INTEGER,
    passed      INTEGER NOT NULL DEFAULT 0,
    removed_at  REAL,
    removed_by  INTEGER,
    created_at  REAL NOT NULL
);
CREATE INDEX song_lines_song ON song_lines (song_id, position);
CREATE INDEX song_lines_author ON song_lines (author_id);

CREATE TABLE tracks (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    title             TEXT NOT NULL,
    artist            TEXT NOT NULL DEFAULT '',
    file_name         TEXT,
    url               TEXT,
    duration_seconds  REAL,
    uploaded_by       INTEGER,
    created_at        REAL NOT NULL
);

CREATE TABLE nominations (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id     INTEGER,
    title       TEXT NOT NULL,
    artist      TEXT NOT NULL DEFAULT '',
    url         TEXT,
    note        TEXT,
    created_at  REAL NOT NULL,
    removed_at  REAL
);
CREATE INDEX nominations_session ON nominations (session_id);
