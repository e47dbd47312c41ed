-- A member shown the consent explanation at a check-in or goal step (issue 17): a second press
-- at the same step gets the short question, not the same explanation again, also after a
-- restart and in another process on one database. One insert-if-absent marks it and tells
-- whether it was there. Deleted with its run (and so its session) and by /forget. UTC seconds.
CREATE TABLE consent_asks (
    run_id      INTEGER NOT NULL REFERENCES activity_runs (id) ON DELETE CASCADE,
    step_index  INTEGER NOT NULL,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    asked_at    REAL NOT NULL,
    PRIMARY KEY (run_id, step_index, user_id)
);
CREATE INDEX consent_asks_member ON consent_asks (guild_id, user_id);
