-- A session a facilitator asked to schedule, checked and shown to them privately, waiting for
-- Confirm: held here (not in the bot's memory) so that Confirm works however long they took and
-- across a restart. `payload` is the checked request as JSON (title, plan, repeat, time zone,
-- start, duration, who may come). A row goes when it is confirmed or cancelled, with /forget,
-- and a day after it was made (the next preview's job). `key` is a random number the buttons
-- carry beside the id: SQLite may give a deleted row's id to the next draft, and an old preview's
-- button must not reach it. Times are UTC unix seconds.

CREATE TABLE schedule_drafts (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    key              INTEGER NOT NULL,
    facilitator_id   INTEGER NOT NULL,
    channel_id       INTEGER NOT NULL,
    voice_channel_id INTEGER,
    payload          TEXT NOT NULL,
    created_at       REAL NOT NULL
);
CREATE INDEX schedule_drafts_member ON schedule_drafts (guild_id, facilitator_id);
