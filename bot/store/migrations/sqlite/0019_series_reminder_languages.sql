-- The Discord client language (a locale such as "es-ES") of the member when they chose their own
-- reminder time for a series, so the reminder it brings and the offer of a time for another
-- series (both sent later without an interaction) come in that language rather than the
-- server's. NULL: not known (chosen before this column). Deleted with its row (removing
-- Interested, /forget).
ALTER TABLE series_reminders ADD COLUMN language TEXT;
