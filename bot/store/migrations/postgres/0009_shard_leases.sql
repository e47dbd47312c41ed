-- Hosted Chorus runs several processes, each owning a block of gateway shards. A guild's timers
-- (deadlines, turn timeouts, reminders, scheduled openings) fire in the process holding its
-- shard's lease; a process renews its leases with heartbeats, a survivor adopts leases that
-- expired (their process died) and the home process takes them back when it returns.
-- Times are UTC unix seconds.
CREATE TABLE shard_leases (
    shard_id     BIGINT PRIMARY KEY,
    shard_count  BIGINT NOT NULL,
    owner        TEXT NOT NULL,
    home         TEXT NOT NULL,
    expires_at   DOUBLE PRECISION NOT NULL
);

-- A wake-up in progress: the process that claimed the run's due wake (one claim at a time,
-- taken with FOR UPDATE SKIP LOCKED); any write that sets wake_at clears it. A claim left by a
-- process that died lapses at this time.
ALTER TABLE activity_runs ADD COLUMN wake_claimed_until DOUBLE PRECISION;
