"""One typed settings object, loaded from config/chorus.yaml and overridden by CHORUS_* variables.

The token is read from DISCORD_TOKEN only, so it never sits in a file that might be committed.
One module per purpose: `model.py` the settings model, its sections in `gateway.py` (Discord
and shards), `checkins.py` and `servers.py` (what each server may change), on `base.py`;
`loading.py` the file and `environment.py` the variables; `problems.py` the one-line errors;
`urls.py` database URLs safe to print. The names callers use are gathered here.
"""

from bot.settings.checkins import DEFAULT_SUPPORT_TEXT, CheckinSettings
from bot.settings.gateway import DiscordSettings
from bot.settings.loading import load_settings
from bot.settings.model import Settings
from bot.settings.problems import SettingsError
from bot.settings.servers import ServerLimits
from bot.settings.urls import masked_url

__all__ = [
    "DEFAULT_SUPPORT_TEXT",
    "CheckinSettings",
    "DiscordSettings",
    "ServerLimits",
    "Settings",
    "SettingsError",
    "load_settings",
    "masked_url",
]
