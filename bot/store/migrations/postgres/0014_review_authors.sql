-- Reviewed anonymous sharing (`review: facilitator`): who wrote each anonymous shared answer, so
-- that its author can be told privately when the facilitator holds it back or removes it. Shown
-- to nobody. A row goes when its author is told, with /forget, and with the daily retention job
-- once its step is no longer running. Times are UTC unix seconds.

CREATE TABLE review_authors (
    contribution_id BIGINT PRIMARY KEY,
    run_id          BIGINT NOT NULL,
    step_index      BIGINT NOT NULL,
    guild_id        BIGINT NOT NULL,
    user_id         BIGINT NOT NULL,
    created_at      DOUBLE PRECISION NOT NULL
);
CREATE INDEX review_authors_run ON review_authors (run_id, step_index);
CREATE INDEX review_authors_member ON review_authors (guild_id, user_id);
