-- The reminder-time offers sent by DM after a member pressed Interested (issue 26): the offer's
-- buttons are honoured only while its row (or the member's choice for the series) exists, so a
-- button pressed after /forget or after removing Interested stores nothing. Deleted when the
-- member chooses (the choice replaces it), removes Interested, or uses /forget. UTC seconds.
CREATE TABLE series_reminder_offers (
    series_id   BIGINT NOT NULL REFERENCES schedule_series (id) ON DELETE CASCADE,
    guild_id    BIGINT NOT NULL,
    user_id     BIGINT NOT NULL,
    offered_at  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series_id, user_id)
);
CREATE INDEX series_reminder_offers_member ON series_reminder_offers (guild_id, user_id);
