-- "Let the facilitator know" after a low check-in (issue 17): the facilitator is told once per
-- member and session, across restarts and between processes on one database. One
-- insert-if-absent claims the telling before the direct message is sent (told_at NULL); told_at
-- is set once it reached them, and the row is deleted when it didn't (the member may try
-- again). A claim older than a minute without told_at may be taken over (its process died).
-- Deleted with its session and by /forget. UTC seconds.
CREATE TABLE facilitator_tells (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    claimed_at  REAL NOT NULL,
    told_at     REAL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX facilitator_tells_member ON facilitator_tells (guild_id, user_id);
