-- Posting a session's board is claimed once across processes (several processes on one
-- database may each find a board without a saved message id, or find it deleted): the claim
-- time (UTC seconds) is set by one compare-and-set before posting and cleared when the message
-- id is saved or the post failed. A claim older than a minute may be taken over (its process died).
ALTER TABLE sessions ADD COLUMN board_claimed_at REAL;
