-- Shared listening: every play of a piece in a session, and one row per uploaded file name.

CREATE TABLE plays (
    id             INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    run_id         INTEGER REFERENCES activity_runs (id) ON DELETE SET NULL,
    step_index     INTEGER,
    title          TEXT NOT NULL,
    artist         TEXT NOT NULL DEFAULT '',
    url            TEXT,
    file_name      TEXT,
    nomination_id  INTEGER REFERENCES nominations (id) ON DELETE SET NULL,
    mode           TEXT NOT NULL CHECK (mode IN ('voice', 'link', 'text')),
    note           TEXT,
    started_at     REAL NOT NULL,
    ended_at       REAL
);
CREATE INDEX plays_session ON plays (session_id);
CREATE UNIQUE INDEX plays_one_per_step ON plays (run_id, step_index);

CREATE UNIQUE INDEX tracks_file_name ON tracks (file_name) WHERE file_name IS NOT NULL;
CREATE INDEX tracks_guild ON tracks (guild_id, created_at);
