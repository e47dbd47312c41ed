-- Indexes for queries at scale (bench/queries.py): a session's attendance and runs were found
-- by scanning, because the existing indexes on them are partial (open attendance, live runs).
CREATE INDEX attendance_session ON attendance (session_id, user_id);
CREATE INDEX runs_session ON activity_runs (session_id);
