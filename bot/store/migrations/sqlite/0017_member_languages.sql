-- The Discord client language (a locale such as "es-ES") of the member when they set their own
-- check-in schedule, so its DMs, sent later without an interaction, come in that language rather
-- than the server's. NULL: not known (a schedule set before this column), the server's language.
-- Deleted with the schedule (/checkin schedule off, /forget, leaving the server).
ALTER TABLE checkin_schedules ADD COLUMN language TEXT;
