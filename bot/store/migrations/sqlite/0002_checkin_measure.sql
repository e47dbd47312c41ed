-- Check-ins remember what they measure (the step's `measure`), so a before and an after
-- check-in are paired by meaning, not only by scale. NULL: pair by scale.
ALTER TABLE checkins ADD COLUMN measure TEXT;
CREATE INDEX checkins_run_step ON checkins (run_id, step_index);
