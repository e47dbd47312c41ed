-- Lyric writing: one song per write step, and a stable key per line event so saving is idempotent.

CREATE UNIQUE INDEX songs_one_per_step ON songs (run_id, step_index) WHERE run_id IS NOT NULL;
CREATE INDEX songs_guild_created ON songs (guild_id, created_at DESC);

-- "c<contribution id>" for a written or passed line, "t<turn number>" for a turn that timed out.
ALTER TABLE song_lines ADD COLUMN event_key TEXT;
CREATE UNIQUE INDEX song_lines_event ON song_lines (song_id, event_key) WHERE event_key IS NOT NULL;
