"""Care after a low check-in: the private support message, the server's support links and the
note that tells a session's facilitator a member is struggling."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.core.guild_settings import GuildConfig, SupportLink, support_words
from bot.core.text import shorten
from bot.i18n import N_, _
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import COLOUR_INFO, DESCRIPTION_MAX

COLOUR_CARE = 0xE0B0FF


def care_embed(support_text: str, locale: str) -> discord.Embed:
    """The private reply to a low check-in in ``locale``: a kind word and the server's
    `support_text`, cut to an embed description's limit."""
    return discord.Embed(
        title=_("Thank you for being honest about how you are", locale),
        colour=COLOUR_CARE,
        description=shorten(
            _("It sounds like today is hard. Only you can see this message.", locale)
            + "\n\n"
            + support_words(support_text, locale),
            DESCRIPTION_MAX,
        ),
    )


class TellButton(TypedButton, spec="chorus:checkin_tell:{session_id:int}"):
    """Let the facilitator of session `session_id` know, privately, that a member is struggling."""

    session_id: int


def care_view(
    session_id: int | None, links: Sequence[SupportLink] = (), *, locale: str
) -> discord.ui.View | None:
    """The server's support links as link buttons, and "Let the facilitator know" in a session."""
    items: list[discord.ui.Item[Any]] = [support_link_button(link) for link in links]
    if session_id is not None:
        items.append(
            TellButton.button(_("Let the facilitator know", locale), session_id=session_id)
        )
    return persistent_view(*items) if items else None


def care_message(
    config: GuildConfig, session_id: int | None, locale: str
) -> tuple[discord.Embed, discord.ui.View]:
    """The support message after a low check-in, in ``locale``: `care_embed` with the server's
    support text, and `care_view` (its links; "Let the facilitator know" in session
    `session_id`), `discord.utils.MISSING` when there is nothing to press, as `send` takes it."""
    view = care_view(session_id, config.support_links, locale=locale)
    embed = care_embed(config.support_text, locale)
    return embed, view if view is not None else discord.utils.MISSING


def support_link_button(link: SupportLink) -> discord.ui.Button[Any]:
    """A link button (no custom id, nothing to route): label at most 80 characters."""
    return discord.ui.Button(label=link.label[:80], url=link.url, style=discord.ButtonStyle.link)


def support_embed(support_text: str, locale: str) -> discord.Embed:
    """/support: the server's own support text."""
    return discord.Embed(
        title=_("Support", locale),
        colour=COLOUR_INFO,
        description=support_words(support_text, locale),
    )


NO_FACILITATOR_TO_TELL = N_(
    "💜 This session no longer has a facilitator I can contact, so I haven't told anyone. "
    "Nothing was posted in the channel. You could speak to someone you trust here, or reach "
    "out to one of the options below."
)


TELL_FAILED = N_(
    "💜 I couldn't reach the facilitator by direct message (their DMs may be closed), so "
    "they don't know yet. Nothing was posted in the channel. You could tell them yourself, "
    "or reach out to one of the options below."
)


def facilitator_note(name: str, session_title: str, locale: str) -> str:
    """The DM that tells a facilitator, in ``locale``, that member `name` is finding things hard in
    the session `session_title` (at most 1,900 characters)."""
    return shorten(
        _(
            "💜 **{name}** asked me to let you know they're finding things hard today "
            "(check-in in **{title}**). Nothing was posted in the channel. "
            "Please reach out to them privately when you can.",
            locale,
            name=name,
            title=session_title,
        ),
        1900,
    )
