-- Closed sessions (issue 25, item 3): a cap on places, a role allowed to join, invitation only.
-- A session or a schedule series without a row here is open to anyone in the channel.
-- The waitlist holds members in line for a place ('waiting', in order of arrival: `seq`,
-- counted per session), members who asked to join an invitation-only session ('asking') and
-- members the facilitator took out ('removed', kept so a removed member can't rejoin by
-- pressing Join). Times are UTC unix seconds.

CREATE TABLE session_limits (
    session_id   INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    capacity     INTEGER CHECK (capacity BETWEEN 1 AND 1000),
    role_id      INTEGER,
    invite_only  INTEGER NOT NULL DEFAULT 0 CHECK (invite_only IN (0, 1))
);

CREATE TABLE schedule_limits (
    series_id    INTEGER PRIMARY KEY REFERENCES schedule_series (id) ON DELETE CASCADE,
    capacity     INTEGER CHECK (capacity BETWEEN 1 AND 1000),
    role_id      INTEGER,
    invite_only  INTEGER NOT NULL DEFAULT 0 CHECK (invite_only IN (0, 1))
);

CREATE TABLE session_waitlist (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'asking', 'removed')),
    seq         INTEGER NOT NULL,
    since       REAL NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX session_waitlist_user ON session_waitlist (user_id);
