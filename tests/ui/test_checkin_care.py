"""Care after a low check-in: the server's support links and the Let the facilitator know
button, within Discord's limits, and the facilitator's note."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import discord

from bot.core.guild_settings import SupportLink, defaults
from bot.settings import Settings
from bot.ui import checkin_care
from bot.ui.limits import BUTTON_LABEL


def test_links_come_first_and_the_tell_button_only_in_a_session() -> None:
    links = [SupportLink("Helpline " * 20, "https://example.org/help")]
    view = checkin_care.care_view(9, links, locale="en")
    assert view is not None
    link, tell = view.children
    assert getattr(link, "url", None) == "https://example.org/help"
    assert len(str(getattr(link, "label", ""))) <= BUTTON_LABEL
    assert getattr(tell, "custom_id", None) == "chorus:checkin_tell:9"
    assert checkin_care.care_view(None, locale="en") is None
    outside = checkin_care.care_view(None, links, locale="en")
    assert outside is not None and len(outside.children) == 1


def test_the_care_message_keeps_the_support_text_within_an_embed() -> None:
    embed = checkin_care.care_embed("Call someone you trust. " * 400, "en")
    assert embed.description is not None and len(embed.description) <= 4096
    assert embed.description.startswith("It sounds like today is hard.")


def test_the_support_message_is_the_servers_text_with_its_links_or_no_view(
    tmp_path: Path,
) -> None:
    config = defaults(Settings(database_path=tmp_path / "unused.db"))
    embed, view = checkin_care.care_message(config, None, "en")
    assert embed.description is not None and embed.description.startswith("It sounds like")
    assert view is discord.utils.MISSING  # nothing to press: no links, not in a session
    linked = dataclasses.replace(
        config, support_links=(SupportLink("Helpline", "https://example.org/help"),)
    )
    _embed, view = checkin_care.care_message(linked, 9, "en")
    assert isinstance(view, discord.ui.View) and len(view.children) == 2


def test_the_facilitator_note_names_the_member_and_fits_a_direct_message() -> None:
    note = checkin_care.facilitator_note("Ana", "Tuesday circle", "en")
    assert "**Ana**" in note and "**Tuesday circle**" in note
    assert len(checkin_care.facilitator_note("A" * 3000, "T", "en")) <= 1900
