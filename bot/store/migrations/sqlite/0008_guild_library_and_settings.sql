-- Each server's own Chorus: its activity files (every version kept, so a running activity keeps
-- the version it started with and /activity versions can list them) and its settings, with a
-- record of every change. Times are UTC unix seconds.

CREATE TABLE guild_activities (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    activity_id  TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    source       TEXT NOT NULL,
    -- The facilitator who uploaded it; NULL once they used /forget (the activity stays the server's).
    uploaded_by  INTEGER,
    uploaded_at  REAL NOT NULL,
    deleted_at   REAL,
    UNIQUE (guild_id, activity_id, version)
);
CREATE INDEX guild_activities_guild ON guild_activities (guild_id, deleted_at, activity_id);
CREATE INDEX guild_activities_uploader ON guild_activities (guild_id, uploaded_by);

-- One row per setting a server changed; a setting without a row uses the operator's default.
CREATE TABLE guild_settings (
    guild_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (guild_id, key)
);

CREATE TABLE guild_setting_changes (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    -- Who changed it; NULL once they used /forget (the change itself stays in the record).
    changed_by  INTEGER,
    changed_at  REAL NOT NULL
);
CREATE INDEX guild_setting_changes_guild ON guild_setting_changes (guild_id, changed_at);
CREATE INDEX guild_setting_changes_member ON guild_setting_changes (guild_id, changed_by);

-- Choices servers made before /setup existed move into the settings (as JSON text).
INSERT INTO guild_settings (guild_id, key, value)
    SELECT id, 'timezone', json_quote(timezone) FROM guilds WHERE timezone IS NOT NULL;
INSERT INTO guild_settings (guild_id, key, value)
    SELECT id, 'support_text', json_quote(support_text) FROM guilds WHERE support_text IS NOT NULL;
