-- One line per position of a song: a line is a claim on its position, made in the same write
-- job as its contribution (bot/store/songs.py `mirror`). Two processes writing the same
-- position of an "open" song at once saved both before; now the second write is refused and its
-- writer gets their words back. A removed line (removed_at) and a pass leave the position free.
-- Positions written twice before this keep the line /song showed (the later); the earlier are
-- marked removed at the time they were written (kept for the audit trail, removed_by NULL).
UPDATE song_lines SET removed_at = created_at
WHERE passed = 0 AND removed_at IS NULL AND EXISTS (
    SELECT 1 FROM song_lines later
    WHERE later.song_id = song_lines.song_id AND later.position = song_lines.position
      AND later.passed = 0 AND later.removed_at IS NULL AND later.id > song_lines.id
);
CREATE UNIQUE INDEX song_lines_one_per_position ON song_lines (song_id, position)
    WHERE passed = 0 AND removed_at IS NULL;
