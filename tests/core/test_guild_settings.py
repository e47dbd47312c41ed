"""Each server's settings: defaults, choices within the operator's bounds, a record of every
change (bot/core/guild_settings.py), on a real store of each engine."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.errors import InvalidInput
from bot.core.guild_settings import GuildSettingsService, SupportLink, parse_support_links
from bot.settings import Settings
from bot.store.store import Store

GUILD, OTHER, FAY = 1, 2, 9
NOW = datetime(2026, 5, 28, 12, 0, tzinfo=UTC)


def service(store: Store, settings: Settings) -> GuildSettingsService:
    return GuildSettingsService(store, lambda: NOW, settings)


async def test_a_choice_applies_to_its_server_only_and_is_recorded(
    store: Store, settings: Settings
) -> None:
    servers = service(store, settings)
    await servers.load()
    change = await servers.change(GUILD, FAY, "timezone", "Europe/Berlin")
    assert change is not None and change.changed_by == FAY
    assert change.new_value == '"Europe/Berlin"' and change.changed_at == NOW.timestamp()
    assert servers.for_guild(GUILD).timezone == "Europe/Berlin"
    assert servers.for_guild(OTHER).timezone == settings.timezone
    assert servers.overridden(GUILD) == {"timezone"}
    assert await servers.change(GUILD, FAY, "timezone", "Europe/Berlin") is None  # no change
    assert [c.key for c in await servers.history(GUILD)] == ["timezone"]

    restarted = service(store, settings)  # another process, or after a restart
    await restarted.load()
    assert restarted.for_guild(GUILD).timezone == "Europe/Berlin"

    await servers.change(GUILD, FAY, "timezone", None)  # back to the default
    assert servers.for_guild(GUILD).timezone == settings.timezone
    assert servers.overridden(GUILD) == frozenset()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("retention_days", 3, "from 7 to 365; you gave 3"),
        ("retention_days", True, "must be a whole number from 7 to 365"),
        ("low_score_max", 11, "from 0 to 10; you gave 11"),
        ("timezone", "Mars/Olympus", "I don't know the time zone “Mars/Olympus”"),
        ("language", "fr", "Choose one of:"),
        ("board_edit_interval", 90, "from 1 to 60 seconds; you gave 90"),
        ("colour", "blue", "There's no setting called “colour”"),
    ],
)
async def test_a_choice_outside_the_bounds_says_what_is_allowed(
    store: Store, settings: Settings, key: str, value: object, message: str
) -> None:
    servers = service(store, settings)
    with pytest.raises(InvalidInput, match=message):
        await servers.change(GUILD, FAY, key, value)
    assert await servers.history(GUILD) == []


async def test_a_stored_choice_the_operator_no_longer_allows_falls_back_to_the_default(
    store: Store, settings: Settings
) -> None:
    await store.guild_settings.change(GUILD, "retention_days", "400", FAY, 1.0)
    await store.guild_settings.change(GUILD, "low_score_max", "2", FAY, 1.0)
    servers = service(store, settings)
    await servers.load()
    config = servers.for_guild(GUILD)
    assert config.retention_days == settings.checkins.retention_days  # over today's 365
    assert config.low_score_max == 2
    assert servers.care_for(GUILD) == (2, settings.checkins.support_text)


def test_support_links_are_labels_then_addresses() -> None:
    assert parse_support_links(
        "Samaritans https://www.samaritans.org; ; Text line https://x.org"
    ) == (
        SupportLink("Samaritans", "https://www.samaritans.org"),
        SupportLink("Text line", "https://x.org"),
    )
    with pytest.raises(InvalidInput, match="I couldn't read the link “just text”"):
        parse_support_links("just text")
