-- The Discord client language (a locale such as "es-ES") of the member when they set their own
-- check-in schedule or turned /remind me on, so the DMs sent later without an interaction come in
-- that language rather than the server's. NULL: not known (set before this column), the
-- server's language. Deleted with its row (/checkin schedule off, /remind me off, /forget).
ALTER TABLE checkin_schedules ADD COLUMN language TEXT;
ALTER TABLE reminder_optins ADD COLUMN language TEXT;
