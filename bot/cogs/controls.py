"""Session and activity controls shared by slash commands and board buttons (one way each)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar, cast

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs.access import require_facilitator, require_guild
from bot.core.activities import localize
from bot.core.run_updates import RunUpdate
from bot.core.runner import Runner
from bot.i18n import N_, _
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui import limits
from bot.ui.file_names import full_text_name
from bot.ui.format import sentence
from bot.ui.forms import ChorusForm, send_form
from bot.ui.locale import member_language
from bot.ui.replies import reply_ephemeral

log = logging.getLogger(__name__)

CogT = TypeVar("CogT", bound=commands.Cog)
StepT = TypeVar("StepT")


def loaded_cog(client: discord.Client, kind: type[CogT]) -> CogT:
    """The loaded cog of class `kind` (a command callback outside its cog reaches it so).

    Raises RuntimeError when the bot has no such cog loaded (a wiring error: see COGS)."""
    cog = client.get_cog(kind.__name__) if isinstance(client, commands.Bot) else None
    if not isinstance(cog, kind):
        raise RuntimeError(f"{kind.__name__} is not loaded")
    return cog


def chorus(interaction: discord.Interaction) -> ChorusBot:
    """The bot that received `interaction`, as the ChorusBot every cog is given."""
    return cast(ChorusBot, interaction.client)


async def session_here(interaction: discord.Interaction) -> SessionRecord:
    """The open session in the interaction's channel. Raises UserFacingError in direct messages and
    NotFound when the channel has no open session."""
    _guild, channel_id = require_guild(interaction)
    return await chorus(interaction).sessions.in_channel(channel_id)


async def session_by_id(interaction: discord.Interaction, session_id: int) -> SessionRecord:
    """The open session `session_id`. Raises NotFound when there is none and Conflict when it has
    ended."""
    return await chorus(interaction).sessions.open_by_id(session_id)


class AtStep(Protocol):
    """A clicked button of a step: which run and which step (0-based)."""

    @property
    def run_id(self) -> int:
        """The run the step belongs to."""
        ...

    @property
    def step_index(self) -> int:
        """The step's position in its activity (0-based)."""
        ...


def step_form_opener(
    kind: type[StepT], form: Callable[[int, int, StepT, str], ChorusForm]
) -> Callable[[discord.Interaction, AtStep], Awaitable[None]]:
    """The handler (for `ChorusBot.register_family`) of a step's button that opens its form:
    `form` (run id, step index, the step, the member's language) for the clicked step, a `kind`
    step. The handler raises Conflict when the step has ended, NotFound when its session is
    gone."""

    async def open_form(interaction: discord.Interaction, item: AtStep) -> None:
        bot = chorus(interaction)
        run_id, step_index = item.run_id, item.step_index
        _session, run = await bot.sessions.live_step(run_id, step_index)
        step = bot.runner.step_as(run, kind)
        await send_form(interaction, form(run_id, step_index, step, member_language(interaction)))

    return open_form


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
        files.append(
            limits.overflow_file(fit.overflow, full_text_name(member_language(interaction)))
        )
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
    return await chorus(interaction).runner.running(session.id)


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


@dataclass(frozen=True, slots=True)
class RunControl:
    """A facilitator's one-step control of the running activity (a board button or a command):
    `change` the live run through the runner, say so privately (`done`, a catalogue text),
    show it."""

    change: Callable[[Runner, int], Awaitable[RunUpdate]]
    done: str

    async def __call__(self, interaction: discord.Interaction, session: SessionRecord) -> None:
        """Raises what `facilitator_only` and `live_run` raise (not a facilitator here, no
        activity running) and what the runner's `change` raises (NotFound, Conflict)."""
        await _control(interaction, session, self.change, self.done)


pause = RunControl(Runner.pause, N_("⏸ Paused. The clock has stopped; Resume carries on."))
"""Pause (facilitators): the running step's time stops until Resume."""
resume = RunControl(Runner.resume, N_("▶ Resumed."))
"""Resume (facilitators): the paused step's time runs on."""
stop = RunControl(Runner.stop, N_("⏹ Activity stopped. The session stays open."))
"""Stop (facilitators): the running activity ends; the session stays open."""


async def extend(interaction: discord.Interaction, session: SessionRecord, minutes: int) -> None:
    """Extend (facilitators): the running step gets `minutes` more."""
    await _control(
        interaction,
        session,
        lambda runner, run_id: runner.extend(run_id, minutes * 60),
        N_("⏱ Added {minutes} min to this step."),
        minutes=minutes,
    )
