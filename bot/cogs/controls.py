"""Session and activity controls shared by slash commands and board buttons (one way each)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

import discord
from discord.ext import commands

from bot.cogs.access import is_facilitator, require_facilitator, require_guild
from bot.core.activities import localize
from bot.core.errors import Conflict, NotFound
from bot.core.runner import Runner, RunUpdate
from bot.i18n import N_, _
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui import limits
from bot.ui.format import sentence
from bot.ui.locale import member_language, server_language
from bot.ui.replies import reply_ephemeral

if TYPE_CHECKING:
    from bot.chorus_bot import ChorusBot

log = logging.getLogger(__name__)

CogT = TypeVar("CogT", bound=commands.Cog)


def loaded_cog(client: discord.Client, kind: type[CogT]) -> CogT:
    """The loaded cog of class `kind` (a command callback outside its cog reaches it so).

    Raises RuntimeError when the bot has no such cog loaded (a wiring error: see COGS)."""
    cog = client.get_cog(kind.__name__) if isinstance(client, commands.Bot) else None
    if not isinstance(cog, kind):
        raise RuntimeError(f"{kind.__name__} is not loaded")
    return cog


def chorus(interaction: discord.Interaction) -> ChorusBot:
    """The bot that received `interaction`, as the ChorusBot every cog is given."""
    return cast("ChorusBot", interaction.client)


async def session_here(interaction: discord.Interaction) -> SessionRecord:
    """The open session in the interaction's channel. Raises UserFacingError in direct messages and
    NotFound when the channel has no open session."""
    _guild, channel_id = require_guild(interaction)
    return await chorus(interaction).sessions.in_channel(channel_id)


async def session_by_id(interaction: discord.Interaction, session_id: int) -> SessionRecord:
    """The open session `session_id`. Raises NotFound when there is none and Conflict when it has
    ended."""
    session = await chorus(interaction).sessions.get(session_id)
    if session.status != "open":
        raise Conflict(N_("That session has ended."))
    return session


async def defer_private(interaction: discord.Interaction) -> None:
    """Acknowledge now, privately ("thinking…"): for handlers that can take over a second
    (charts, big reports, exports); Discord fails an interaction not answered within 3 s."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)


async def answer_deferred(
    interaction: discord.Interaction,
    *,
    content: str | None = None,
    embed: discord.Embed | None = None,
    file: discord.File | None = None,
) -> None:
    """Replace the "thinking…" of `defer_private` with the answer, fitted to Discord's limits
    (what doesn't fit is attached whole)."""
    fit = limits.fit_message(content, [embed] if embed is not None else [])
    files = [file] if file is not None else []
    if fit.overflow:
        files.append(limits.overflow_file(fit.overflow))
    await interaction.edit_original_response(
        content=fit.content,
        embeds=fit.embeds,
        attachments=files,
        allowed_mentions=discord.AllowedMentions.none(),
    )


def facilitator_only(interaction: discord.Interaction) -> None:
    """Refuse (NotFacilitator, saying who may) anyone but the server's facilitators."""
    bot = chorus(interaction)
    require_facilitator(interaction, bot.guild_settings.for_guild(interaction.guild_id))


def facilitator_here(interaction: discord.Interaction) -> tuple[int, int]:
    """The server and channel ids of a facilitator's command. Raises UserFacingError in
    direct messages and NotFacilitator for anyone but the server's facilitators."""
    where = require_guild(interaction)
    facilitator_only(interaction)
    return where


async def live_run(interaction: discord.Interaction, session: SessionRecord) -> RunRecord:
    """The activity running in `session`. Raises NotFound when none is."""
    run = await chorus(interaction).runner.live_run(session.id)
    if run is None:
        raise NotFound(
            N_("No activity is running in this session. Start one with /activity start.")
        )
    return run


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
    if outcome == "joined":
        bot.live.request_board(session.id)
        text = _(
            "👋 You've joined **{title}**. Welcome! You can leave at any time with "
            "the Leave button or /session leave.",
            locale,
            title=title,
        )
    elif outcome == "already":
        text = sentence(_("You're already in **{title}**", locale, title=title))
    elif outcome == "waiting":
        bot.live.request_board(session.id)
        text = _(
            "**{title}** is full right now, so you're on the waitlist: number "
            "**{place}** in line. I'll tell you privately as soon as a place frees "
            "up. The Leave button takes you off the list.",
            locale,
            title=title,
            place=admission.place,
        )
    elif outcome == "asking":
        bot.live.request_board(session.id)
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
    if await bot.sessions.limits(session) is not None:
        user = interaction.user
        leads = user.id == session.facilitator_id or is_facilitator(
            user, bot.guild_settings.for_guild(interaction.guild_id)
        )
        present = {a.user_id for a in await bot.sessions.present(session)}
        if not leads and user.id not in present:
            raise Conflict(
                _(
                    "**{title}** is a closed group and you're not in it yet, so your answer "
                    "wasn't saved. To ask for a place, press **Join** on the session board (or "
                    "use /session join); the facilitator can let you in.",
                    member_language(interaction),
                    title=session.title,
                )
            )
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
    if departure.moved_up:
        await attendance_changed(bot, session)  # who moved up joins the step, as any joiner


async def next_step(interaction: discord.Interaction, session: SessionRecord) -> None:
    """Next (facilitators): the running activity moves to its next step."""
    facilitator_only(interaction)
    bot = chorus(interaction)
    run = await live_run(interaction, session)
    update = await bot.runner.advance(run.id, run.step_index, by_facilitator=True)
    locale = member_language(interaction)
    if update is None:
        await reply_ephemeral(interaction, _("Already moved on.", locale))
        return
    await reply_ephemeral(interaction, _moved_text(bot, update.run, locale))
    await bot.live.apply(update)


def _moved_text(bot: ChorusBot, run: RunRecord, locale: str) -> str:
    activity = bot.runner.definition(run)
    if run.state == "finished":
        return _(
            "That was the last step: **{title}** is finished.",
            locale,
            title=localize(activity.title, locale),
        )
    step = activity.steps[run.step_index]
    return sentence(
        _(
            "⏭ Step {number} of {total}: **{title}**",
            locale,
            number=run.step_index + 1,
            total=len(activity.steps),
            title=localize(step.title, locale),
        )
    )


async def _control(
    interaction: discord.Interaction,
    session: SessionRecord,
    change: Callable[[Runner, int], Awaitable[RunUpdate]],
    done: str,
    **fields: int,
) -> None:
    """A facilitator's control of the running activity: change it, say so (`done`: a catalogue
    text, filled from `fields`), show it."""
    facilitator_only(interaction)
    bot = chorus(interaction)
    update = await change(bot.runner, (await live_run(interaction, session)).id)
    await reply_ephemeral(interaction, _(done, member_language(interaction), **fields))
    await bot.live.apply(update)


async def pause(interaction: discord.Interaction, session: SessionRecord) -> None:
    """Pause (facilitators): the running step's time stops until Resume."""
    await _control(
        interaction,
        session,
        lambda runner, run_id: runner.pause(run_id),
        N_("⏸ Paused. The clock has stopped; Resume carries on."),
    )


async def resume(interaction: discord.Interaction, session: SessionRecord) -> None:
    """Resume (facilitators): the paused step's time runs on."""
    await _control(
        interaction, session, lambda runner, run_id: runner.resume(run_id), N_("▶ Resumed.")
    )


async def extend(interaction: discord.Interaction, session: SessionRecord, minutes: int) -> None:
    """Extend (facilitators): the running step gets `minutes` more."""
    await _control(
        interaction,
        session,
        lambda runner, run_id: runner.extend(run_id, minutes * 60),
        N_("⏱ Added {minutes} min to this step."),
        minutes=minutes,
    )


async def stop(interaction: discord.Interaction, session: SessionRecord) -> None:
    """Stop (facilitators): the running activity ends; the session stays open."""
    await _control(
        interaction,
        session,
        lambda runner, run_id: runner.stop(run_id),
        N_("⏹ Activity stopped. The session stays open."),
    )
