"""Each server's own settings: the operator's config gives defaults and bounds, /setup the choice.

Settings are read on every interaction (who is a facilitator, the support text after a low
check-in), so they live in memory: loaded once at start-up, replaced on every change, which goes
through the store first (a change is acknowledged only once it is written and recorded).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.clock import Clock, timestamp
from bot.core.errors import InvalidInput
from bot.i18n import N_, SHIPPED, gettext
from bot.records.guild_settings import SettingChangeRecord
from bot.settings import DEFAULT_SUPPORT_TEXT, Settings
from bot.store.notify import EVERYTHING
from bot.store.store import Store

MAX_ROLES = 5
MAX_SUPPORT_LINKS = 3
SUPPORT_TEXT_MAX = 1500
"""Leaves room in the care message's embed description (4,096) for its own opening words."""
LINK_LABEL_MAX = 80
"""A link button's label: https://discord.com/developers/docs/interactions/message-components#button-object"""
LANGUAGES = SHIPPED
"""Languages a server may choose for its public messages: those with a complete catalogue."""
_URL = re.compile(r"^https?://[^\s<>]{3,500}$")


@dataclass(frozen=True, slots=True)
class SupportLink:
    """A helpline or resource shown as a link button under the support text."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class GuildConfig:
    """Everything a server can choose, with the operator's default where it hasn't."""

    facilitator_roles: tuple[str, ...]
    """Role names from the config file (used while the server has chosen no roles)."""
    facilitator_role_ids: tuple[int, ...]
    """Roles the server chose with /setup roles; when set, they replace the names."""
    timezone: str
    language: str
    low_score_max: int
    """Check-ins at or below this on a 0-10 scale show the support text."""
    support_text: str
    support_links: tuple[SupportLink, ...]
    retention_days: int
    leave_grace_days: int
    board_edit_interval: float
    """Seconds between edits of the live board."""


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One key a server can change: how to read it and how to show it."""

    key: str
    label: str
    field: str
    """The GuildConfig field it sets."""


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("facilitator_roles", N_("Facilitator roles"), "facilitator_role_ids"),
        SettingSpec("timezone", N_("Time zone"), "timezone"),
        SettingSpec("language", N_("Language"), "language"),
        SettingSpec("low_score_max", N_("Low check-in threshold"), "low_score_max"),
        SettingSpec("support_text", N_("Support text"), "support_text"),
        SettingSpec("support_links", N_("Support links"), "support_links"),
        SettingSpec("retention_days", N_("Check-in retention (days)"), "retention_days"),
        SettingSpec("leave_grace_days", N_("Leave grace (days)"), "leave_grace_days"),
        SettingSpec("board_edit_interval", N_("Board edit interval (s)"), "board_edit_interval"),
    )
}


def defaults(settings: Settings) -> GuildConfig:
    """A server that changed nothing: the operator's config."""
    return GuildConfig(
        facilitator_roles=settings.facilitator_roles,
        facilitator_role_ids=(),
        timezone=settings.timezone,
        language=settings.language,
        low_score_max=settings.checkins.low_score_max,
        support_text=settings.checkins.support_text,
        support_links=(),
        # The operator's own defaults stand as written; the bounds apply to servers' choices.
        retention_days=settings.checkins.retention_days,
        leave_grace_days=settings.checkins.leave_grace_days,
        board_edit_interval=settings.board_edit_interval,
    )


def _whole(value: Any, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            N_("{what} must be a whole number from {low} to {high}."), what=what, low=low, high=high
        )
    if not low <= value <= high:
        raise InvalidInput(
            N_("{what} must be from {low} to {high}; you gave {value}."),
            what=what,
            low=low,
            high=high,
            value=value,
        )
    return value


def parse_support_links(text: str) -> tuple[SupportLink, ...]:
    """``Label https://url; Label 2 https://url2`` -> links. Raises InvalidInput saying why."""
    links: list[SupportLink] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        label, _, url = part.rpartition(" ")
        label = label.strip()
        if not label or not _URL.match(url):
            raise InvalidInput(
                N_(
                    "I couldn't read the link “{part}”. Write each as a label then its address, "
                    "separated by semicolons: `Samaritans https://www.samaritans.org; Crisis Text "
                    "Line https://www.crisistextline.org`."
                ),
                part=part[:80],
            )
        if len(label) > LINK_LABEL_MAX:
            raise InvalidInput(
                N_("A link's label can be at most {link_label_max} characters."),
                link_label_max=LINK_LABEL_MAX,
            )
        links.append(SupportLink(label, url))
    if len(links) > MAX_SUPPORT_LINKS:
        raise InvalidInput(
            N_("At most {max_support_links} support links, please."),
            max_support_links=MAX_SUPPORT_LINKS,
        )
    return tuple(links)


class GuildSettingsService:
    """Reads and changes each server's settings; every change is recorded (who, when, old, new)."""

    def __init__(self, store: Store, clock: Clock, settings: Settings) -> None:
        self._store = store
        self._clock = clock
        self.settings = settings
        self.limits = settings.servers
        self._defaults = defaults(settings)
        self._overrides: dict[int, dict[str, str]] = {}
        self._configs: dict[int, GuildConfig] = {}
        store.changes.subscribe("guild_settings", self._changed_elsewhere)
        # The feed was cut off (changes may have been missed): read every server again.
        store.changes.subscribe(EVERYTHING, lambda _ids: self.load())

    async def load(self) -> None:
        """Read every server's choices (at start-up, after the store is open)."""
        self._overrides = await self._store.guild_settings.all_overrides()
        self._configs.clear()

    def for_guild(self, guild_id: int | None) -> GuildConfig:
        """The server's settings (the operator's defaults outside a server)."""
        if guild_id is None:
            return self._defaults
        config = self._configs.get(guild_id)
        if config is None:
            config = self._build(self._overrides.get(guild_id, {}))
            self._configs[guild_id] = config
        return config

    def overridden(self, guild_id: int) -> frozenset[str]:
        """Which keys this server changed from the default."""
        return frozenset(self._overrides.get(guild_id, {}))

    def guilds_with(self, key: str) -> dict[int, GuildConfig]:
        """Every server that changed ``key``, with its settings."""
        return {g: self.for_guild(g) for g, values in self._overrides.items() if key in values}

    def care_for(self, guild_id: int) -> tuple[int, str]:
        """(low-score threshold, support text) of a server, for the check-in service."""
        config = self.for_guild(guild_id)
        return config.low_score_max, config.support_text

    def _build(self, values: Mapping[str, str]) -> GuildConfig:
        config = self._defaults
        for key, raw in values.items():
            spec = SPECS.get(key)
            if spec is None:
                continue  # a key from a newer or older build: ignored, never fatal
            try:
                config = replace(config, **{spec.field: self._decode(key, json.loads(raw))})
            except (InvalidInput, ValueError, TypeError):
                continue  # e.g. the operator lowered a bound: the default applies again
        return config

    def _decode(self, key: str, value: Any) -> Any:
        """A stored JSON value -> the GuildConfig field's value, checked against today's bounds."""
        limits = self.limits
        if key == "facilitator_roles":
            if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
                raise InvalidInput(N_("Choose roles from the list."))
            return tuple(value[:MAX_ROLES])
        if key == "timezone":
            try:
                return ZoneInfo(str(value)).key
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise InvalidInput(
                    N_(
                        "I don't know the time zone “{value}”. Use a name such as Europe/Berlin (type to "
                        "search)."
                    ),
                    value=str(value)[:60],
                ) from exc
        if key == "language":
            if value not in LANGUAGES:
                raise InvalidInput(N_("Choose one of: {choices}."), choices=", ".join(LANGUAGES))
            return str(value)
        if key == "low_score_max":
            return _whole(value, 0, 10, N_("The low check-in threshold"))
        if key == "support_text":
            text = str(value).strip()
            if not 1 <= len(text) <= SUPPORT_TEXT_MAX:
                raise InvalidInput(
                    N_(
                        "The support text must be 1 to {support_text_max} characters; yours is "
                        "{text_length}."
                    ),
                    support_text_max=SUPPORT_TEXT_MAX,
                    text_length=len(text),
                )
            return text
        if key == "support_links":
            if not isinstance(value, list):
                raise InvalidInput(N_("Support links must be a list."))
            return parse_support_links("; ".join(f"{v['label']} {v['url']}" for v in value))
        if key == "retention_days":
            return _whole(value, 7, limits.retention_days_max, N_("Check-in retention (days)"))
        if key == "leave_grace_days":
            return _whole(value, 0, limits.leave_grace_days_max, N_("The leave grace (days)"))
        if key == "board_edit_interval":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInput(N_("The board edit interval is a number of seconds."))
            low = limits.board_edit_interval_min
            if not low <= float(value) <= 60:
                raise InvalidInput(
                    N_(
                        "The board edit interval must be from {low} to 60 seconds; you gave {value}."
                    ),
                    low=low,
                    value=float(value),
                )
            return float(value)
        raise InvalidInput(N_("There's no setting called “{key}”."), key=key[:40])

    async def change(
        self, guild_id: int, user_id: int, key: str, value: Any | None
    ) -> SettingChangeRecord | None:
        """Set ``key`` to ``value`` (None: back to the default) and record who did it.

        Raises InvalidInput for a value outside the operator's bounds. Returns None when the
        setting already had that value.
        """
        encoded = None
        if value is not None:
            self._decode(key, value)
            encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
        change = await self._store.guild_settings.change(
            guild_id, key, encoded, user_id, timestamp(self._clock)
        )
        current = dict(self._overrides.get(guild_id, {}))
        if encoded is None:
            current.pop(key, None)
        else:
            current[key] = encoded
        self._overrides[guild_id] = current
        self._configs.pop(guild_id, None)
        return change

    async def _changed_elsewhere(self, ids: tuple[int, ...]) -> None:
        """Another process changed this server's settings: read them again."""
        guild_id = ids[0]
        self._overrides[guild_id] = await self._store.guild_settings.overrides(guild_id)
        self._configs.pop(guild_id, None)

    async def history(self, guild_id: int, limit: int = 20) -> list[SettingChangeRecord]:
        """The server's latest changes first."""
        return await self._store.guild_settings.history(guild_id, limit)


CareLookup = Callable[[int], tuple[int, str]]
"""guild id -> (low-score threshold, support text)."""


def support_words(support_text: str, locale: str) -> str:
    """A server's support text for a reader in ``locale``: the shipped default in their
    language (it is a catalogue text); a text the operator or the server wrote as written."""
    return gettext(support_text, locale) if support_text == DEFAULT_SUPPORT_TEXT else support_text
