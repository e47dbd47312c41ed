-- Prompt pools: which alternative of a pool each channel has been shown, so a pool is drawn
-- without repeats until every alternative has had its turn. No member data: a channel, the pool
-- (a digest of the activity, the field and its alternatives) and the index drawn. UTC seconds.

CREATE TABLE pool_draws (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    pool_key    TEXT NOT NULL CHECK (length(pool_key) BETWEEN 1 AND 200),
    alternative INTEGER NOT NULL CHECK (alternative >= 0),
    drawn_at    REAL NOT NULL
);
CREATE INDEX pool_draws_channel_pool ON pool_draws (channel_id, pool_key, id);
CREATE INDEX pool_draws_drawn_at ON pool_draws (drawn_at);
