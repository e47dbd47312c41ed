"""Joining and leaving a session, from a slash command or a board button alike: admitted, waiting
or asking as the session's access allows, and the members concerned told privately."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import discord

from bot.chorus_bot import ChorusBot
from bot.cogs.access import leads
from bot.cogs.controls import chorus
from bot.i18n import _
from bot.records.sessions import SessionRecord
from bot.ui import limits
from bot.ui.format import sentence
from bot.ui.locale import member_language, server_language
from bot.ui.replies import reply_ephemeral

log = logging.getLogger(__name__)


def _role_ids(interaction: discord.Interaction) -> list[int]:
    user = interaction.user
    return [r.id for r in user.roles] if isinstance(user, discord.Member) else []


def _ask(session: SessionRecord, locale: str) -> str:
    """Whom to ask: the facilitator (shown, never pinged), or the server's moderators."""
    if session.has_facilitator:
        return _("the facilitator, {member}", locale, member=f"<@{session.facilitator_id}>")
    return _("a server moderator", locale)


async def attendance_changed(bot: ChorusBot, session: SessionRecord) -> None:
    """Someone joined or left: the board follows, and so does the current step (a round puts
    a late joiner at the end of its order, on its card at once)."""
    bot.live.request_board(session.id)
    update = await bot.runner.attendance_changed(session.id)
    if update is not None:
        await bot.live.apply(update)


async def join(interaction: discord.Interaction, session: SessionRecord) -> None:
    """Join (button or /session join): in, on the waitlist, or asking, as the session's access
    allows; the member is told which, privately."""
    bot = chorus(interaction)
    admission = await bot.sessions.request_join(
        session, interaction.user.id, interaction.user.display_name, _role_ids(interaction)
    )
    title = session.title
    outcome = admission.outcome
    locale = member_language(interaction)
    if outcome in ("joined", "waiting", "asking"):  # the board lists each of them
        bot.live.request_board(session.id)
    if outcome == "joined":
        text = _(
            "👋 You've joined **{title}**. Welcome! You can leave at any time with "
            "the Leave button or /session leave.",
            locale,
            title=title,
        )
    elif outcome == "already":
        text = sentence(_("You're already in **{title}**", locale, title=title))
    elif outcome == "waiting":
        text = _(
            "**{title}** is full right now, so you're on the waitlist: number "
            "**{place}** in line. I'll tell you privately as soon as a place frees "
            "up. The Leave button takes you off the list.",
            locale,
            title=title,
            place=admission.place,
        )
    elif outcome == "asking":
        text = _(
            "**{title}** is a closed group: members join by invitation. I've let the "
            "facilitator know you'd like to join; they can let you in from the board. You're "
            "welcome to ask {whom} too.",
            locale,
            title=title,
            whom=_ask(session, locale),
        )
    elif outcome == "no_role":
        limits = await bot.sessions.limits(session)
        role = limits.role_id if limits else None
        text = _(
            "**{title}** is for members with the {role} role, and you don't have it yet. "
            "If you think you should be in this group, please ask {whom}.",
            locale,
            title=title,
            role=f"<@&{role}>",
            whom=_ask(session, locale),
        )
    else:  # removed
        text = _(
            "The facilitator has taken you out of **{title}** for now. If you'd like to come "
            "back, please ask {whom}.",
            locale,
            title=title,
            whom=_ask(session, locale),
        )
    await reply_ephemeral(interaction, text)
    if outcome == "joined":
        await attendance_changed(bot, session)


async def ensure_joined(interaction: discord.Interaction, session: SessionRecord) -> None:
    """Taking part in a step joins you, so attendance matches participation. Not in a closed
    session: there only Join admits (the cap, role and invitation hold, and nobody is put in
    line without being told), so a member who isn't in is refused privately (Conflict) with
    how to ask for a place; facilitators lead and may answer."""
    bot = chorus(interaction)
    user = interaction.user
    config = bot.guild_settings.for_guild(interaction.guild_id)
    if not await bot.sessions.check_answering(session, user.id, leads(user, session, config)):
        return
    if await bot.sessions.join(session, interaction.user.id):
        await bot.sessions.remember_name(
            session.guild_id, interaction.user.id, interaction.user.display_name
        )
        await attendance_changed(bot, session)


async def tell_member(bot: ChorusBot, user_id: int, text: str) -> bool:
    """A private word to a member who isn't interacting now (a direct message); False when
    Discord wouldn't deliver it (their DMs are closed), which is logged, not raised."""
    fit = limits.fit_message(text, [])
    try:
        user = bot.get_user(user_id) or await bot.fetch_user(user_id)
        await user.send(fit.content or "", allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException as error:
        log.info("could not message member privately: %s", error.status)
        return False
    return True


async def tell_placed(bot: ChorusBot, session: SessionRecord, user_id: int, text: str) -> None:
    """The facilitator let member `user_id` in or took them out: the board follows, and the
    member is told `text` (a catalogue text; fields `{title}` and `{channel}`) by direct
    message, in the server's language (a direct message has no client language to go by)."""
    bot.live.request_board(session.id)
    locale = server_language(bot.guild_settings, session.guild_id)
    channel = f"<#{session.channel_id}>"
    await tell_member(bot, user_id, _(text, locale, title=session.title, channel=channel))


async def tell_moved_up(bot: ChorusBot, session: SessionRecord, user_ids: Sequence[int]) -> None:
    """Tell each member who moved up from the waitlist, privately (a direct message)."""
    # A direct message has no client language to go by: the server's.
    locale = server_language(bot.guild_settings, session.guild_id)
    for user_id in user_ids:
        await tell_member(
            bot,
            user_id,
            _(
                "🎶 A place opened in **{title}** and it's yours: you're in now. "
                "Welcome! The session is in {channel}.",
                locale,
                title=session.title,
                channel=f"<#{session.channel_id}>",
            ),
        )


async def leave(interaction: discord.Interaction, session: SessionRecord) -> None:
    """Leave (button or /session leave); the member is told privately."""
    bot = chorus(interaction)
    departure = await bot.sessions.leave(session, interaction.user.id)
    if departure.left or departure.left_waitlist:
        bot.live.request_board(session.id)
    locale = member_language(interaction)
    title = session.title
    if departure.left:
        await reply_ephemeral(
            interaction,
            _("You've left **{title}**. Thank you for coming; take care.", locale, title=title),
        )
    elif departure.left_waitlist:
        await reply_ephemeral(
            interaction,
            _("You're off the waitlist for **{title}**. Take care.", locale, title=title),
        )
    else:
        await reply_ephemeral(
            interaction, sentence(_("You weren't in **{title}**", locale, title=title))
        )
    await tell_moved_up(bot, session, departure.moved_up)
    if departure.left or departure.moved_up:
        # Who moved up joins the step, as any joiner; a speaker who left gives up the floor.
        await attendance_changed(bot, session)
