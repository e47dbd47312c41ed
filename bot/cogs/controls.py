"""Session and activity controls shared by slash commands and board buttons (one way each)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, cast

import discord

from bot.cogs.access import require_facilitator, require_guild
from bot.cogs.errors import reply_ephemeral
from bot.core.activities import localize
from bot.core.errors import Conflict, NotFound
from bot.core.runner import Runner, RunUpdate
from bot.core.session import RunRecord, SessionRecord
from bot.ui import limits
from bot.ui.format import sentence

if TYPE_CHECKING:
    from bot.app import ChorusBot


def chorus(interaction: discord.Interaction) -> ChorusBot:
    return cast("ChorusBot", interaction.client)


async def session_here(interaction: discord.Interaction) -> SessionRecord:
    _, channel_id = require_guild(interaction)
    return await chorus(interaction).sessions.in_channel(channel_id)


async def session_by_id(interaction: discord.Interaction, session_id: int) -> SessionRecord:
    session = await chorus(interaction).sessions.get(session_id)
    if session.status != "open":
        raise Conflict("That session has ended.")
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
    bot = chorus(interaction)
    require_facilitator(interaction, bot.guild_settings.for_guild(interaction.guild_id))


async def live_run(interaction: discord.Interaction, session: SessionRecord) -> RunRecord:
    run = await chorus(interaction).runner.live_run(session.id)
    if run is None:
        raise NotFound("No activity is running in this session. Start one with /activity start.")
    return run


async def join(interaction: discord.Interaction, session: SessionRecord) -> None:
    bot = chorus(interaction)
    newly = await bot.sessions.join(session, interaction.user.id, interaction.user.display_name)
    if newly:
        bot.live.request_board(session.id)
        await reply_ephemeral(
            interaction,
            f"👋 You've joined **{session.title}**. Welcome! You can leave at any time with "
            "the Leave button or /session leave.",
        )
    else:
        await reply_ephemeral(interaction, sentence(f"You're already in **{session.title}**"))


async def ensure_joined(interaction: discord.Interaction, session: SessionRecord) -> None:
    """Taking part in a step joins you, so attendance matches participation."""
    bot = chorus(interaction)
    if await bot.sessions.join(session, interaction.user.id):
        await bot.sessions.remember_name(
            session.guild_id, interaction.user.id, interaction.user.display_name
        )
        bot.live.request_board(session.id)


async def leave(interaction: discord.Interaction, session: SessionRecord) -> None:
    bot = chorus(interaction)
    if await bot.sessions.leave(session, interaction.user.id):
        bot.live.request_board(session.id)
        await reply_ephemeral(
            interaction, f"You've left **{session.title}**. Thank you for coming; take care."
        )
    else:
        await reply_ephemeral(interaction, sentence(f"You weren't in **{session.title}**"))


async def next_step(interaction: discord.Interaction, session: SessionRecord) -> None:
    facilitator_only(interaction)
    bot = chorus(interaction)
    run = await live_run(interaction, session)
    update = await bot.runner.advance(run.id, run.step_index, by_facilitator=True)
    if update is None:
        await reply_ephemeral(interaction, "Already moved on.")
        return
    await reply_ephemeral(interaction, _moved_text(bot, update.run))
    await bot.live.apply(update)


def _moved_text(bot: ChorusBot, run: RunRecord) -> str:
    activity = bot.runner.definition(run)
    if run.state == "finished":
        return f"That was the last step: **{localize(activity.title)}** is finished."
    step = activity.steps[run.step_index]
    return sentence(
        f"⏭ Step {run.step_index + 1} of {len(activity.steps)}: **{localize(step.title)}**"
    )


async def _control(
    interaction: discord.Interaction,
    session: SessionRecord,
    change: Callable[[Runner, int], Awaitable[RunUpdate]],
    done: str,
) -> None:
    """A facilitator's control of the running activity: change it, say so, show it."""
    facilitator_only(interaction)
    bot = chorus(interaction)
    update = await change(bot.runner, (await live_run(interaction, session)).id)
    await reply_ephemeral(interaction, done)
    await bot.live.apply(update)


async def pause(interaction: discord.Interaction, session: SessionRecord) -> None:
    await _control(
        interaction,
        session,
        lambda runner, run_id: runner.pause(run_id),
        "⏸ Paused. The clock has stopped; Resume carries on.",
    )


async def resume(interaction: discord.Interaction, session: SessionRecord) -> None:
    await _control(interaction, session, lambda runner, run_id: runner.resume(run_id), "▶ Resumed.")


async def extend(interaction: discord.Interaction, session: SessionRecord, minutes: int) -> None:
    await _control(
        interaction,
        session,
        lambda runner, run_id: runner.extend(run_id, minutes * 60),
        f"⏱ Added {minutes} min to this step.",
    )


async def stop(interaction: discord.Interaction, session: SessionRecord) -> None:
    await _control(
        interaction,
        session,
        lambda runner, run_id: runner.stop(run_id),
        "⏹ Activity stopped. The session stays open.",
    )
