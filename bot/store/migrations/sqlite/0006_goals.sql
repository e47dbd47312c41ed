-- Personal goals (private to their member) and how the member rated each at a goal step.
-- A rating's value is 1-5, or NULL when the member passed on that goal. Times are UTC unix seconds.

CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 100),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'done', 'dropped')),
    created_at  REAL NOT NULL,
    closed_at   REAL
);
CREATE INDEX goals_member ON goals (guild_id, user_id, status);

CREATE TABLE goal_ratings (
    id          INTEGER PRIMARY KEY,
    goal_id     INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    session_id  INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    run_id      INTEGER REFERENCES activity_runs (id) ON DELETE SET NULL,
    step_index  INTEGER,
    value       INTEGER CHECK (value BETWEEN 1 AND 5),
    created_at  REAL NOT NULL,
    UNIQUE (goal_id, run_id, step_index)
);
CREATE INDEX goal_ratings_session ON goal_ratings (session_id);
CREATE INDEX goal_ratings_run_step ON goal_ratings (run_id, step_index);
