"""Check-ins: /checkin consent|now|history, /group trends and /session report.

The step's and /checkin now's buttons are answered in `answers`, the note, share and
tell buttons in `extras`; this cog wires them to their button families.
"""

from __future__ import annotations

import asyncio
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild
from bot.cogs.checkins.answers import CheckinAnswers
from bot.cogs.checkins.extras import CheckinExtras
from bot.cogs.extension import cog_setup, server_group
from bot.cogs.options import DAYS_BACK, DaysBack
from bot.core.checkin_service import CheckinService
from bot.core.checkin_summary import member_summary
from bot.i18n import N_, _
from bot.ui import checkin_care, checkin_consent, checkin_reports
from bot.ui import checkins as ui
from bot.ui.format import date_time
from bot.ui.locale import member_language
from bot.ui.replies import show_private
from bot.ui.steps import checkin as step_ui


class CheckinsCog(commands.Cog):
    """Mood check-ins: private by default, with consent, care and group figures only at k>=3."""

    checkin = server_group("checkin", "Check in with how you are, privately")
    group = server_group("group", "Figures about the whole group (facilitators)")

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.service: CheckinService = bot.checkins  # the bot's one (one batch of answers)
        self.answers = answers = CheckinAnswers(bot, self.service)
        for answer in (step_ui.AnswerButton, step_ui.AnswerPairButton, step_ui.PassButton):
            bot.register_family(answer, answers.on_step_answer)
        for now in (
            ui.NowNewButton,
            ui.NowNewPairButton,
            ui.NowReplaceButton,
            ui.NowReplacePairButton,
        ):
            bot.register_family(now, answers.on_now_answer)
        bot.register_family(ui.NowChangeButton, answers.on_now_change)
        bot.register_family(checkin_consent.ConsentCommandButton, answers.on_consent_command)
        for consent_now in checkin_consent.CONSENT_NOW_FAMILIES:
            bot.register_family(consent_now, answers.on_consent_now)
        for consent_step in (
            checkin_consent.ConsentStepButton,
            checkin_consent.ConsentStepPairButton,
        ):
            bot.register_family(consent_step, answers.on_consent_step)
        self.extras = extras = CheckinExtras(bot, self.service)
        bot.register_family(ui.NoteButton, extras.on_note)
        bot.register_family(ui.ShareButton, extras.on_share)
        bot.register_family(checkin_care.TellButton, extras.on_tell)
        bot.register_form(ui.NoteFormId, extras.on_note_form, what=N_("your note"))
        bot.sessions.add_summary_contributor(self.service.reports.summary_lines)

    @checkin.command(name="consent", description="Turn saving your check-ins on or off")
    async def consent_command(self, interaction: discord.Interaction) -> None:
        """/checkin consent: the member's current choice about saving their check-ins, with buttons
        to change it, privately."""
        guild_id, _channel = require_guild(interaction)
        current = await self.service.consent_state(guild_id, interaction.user.id)
        locale = member_language(interaction)
        await show_private(
            interaction,
            embed=checkin_consent.consent_embed(
                "checkin", _("Saving your check-ins", locale), current, locale=locale
            ),
            view=checkin_consent.consent_command_view(locale),
        )

    # -------------------------------------------------------------- /checkin now

    @checkin.command(name="now", description="Check in with how you are right now (private)")
    @app_commands.describe(scale="0-10 (default), 1-5 faces, or sam (pleasantness and energy)")
    async def now(
        self, interaction: discord.Interaction, scale: Literal["0-10", "1-5", "sam"] = "0-10"
    ) -> None:
        """/checkin now: a private check-in on `scale` (0-10, 1-5 faces, or the two-question SAM),
        outside any session."""
        require_guild(interaction)
        embed, view = ui.now_prompt(scale, None, member_language(interaction))
        await show_private(interaction, embed=embed, view=view)

    # --------------------------------------------------------------- /checkin history

    @checkin.command(name="history", description="Your own check-ins as a chart (only you see it)")
    @app_commands.describe(days=DAYS_BACK)
    async def history(self, interaction: discord.Interaction, days: DaysBack = 90) -> None:
        """/checkin history: the member's own check-ins over the last `days` (1-3650) as a chart,
        privately (deferred first: drawing can take over a second)."""
        guild_id, _channel = require_guild(interaction)
        await controls.defer_private(interaction)  # a chart can take over a second to draw
        answers, found = await self.service.reports.history(guild_id, interaction.user.id, days)
        locale = member_language(interaction)
        chart = await asyncio.to_thread(checkin_reports.history_file, answers, found, days, locale)
        await controls.answer_deferred(
            interaction,
            embed=checkin_reports.history_embed(member_summary(answers, locale), days, locale),
            file=chart,
        )

    # ------------------------------------------------------------------ /group trends

    @group.command(name="trends", description="Week-by-week participation and mood shift")
    @app_commands.describe(weeks="How many weeks back (default 8)")
    async def trends(
        self, interaction: discord.Interaction, weeks: app_commands.Range[int, 1, 52] = 8
    ) -> None:
        """/group trends: the server's week-by-week participation and mood shift over `weeks`
        (1-52), privately to a facilitator; figures shown only where at least 3 people are behind
        them."""
        guild_id, _channel = controls.facilitator_here(interaction)
        await controls.defer_private(interaction)
        figures = await self.service.reports.trends(guild_id, weeks)
        locale = member_language(interaction)
        chart = await asyncio.to_thread(checkin_reports.trends_file, figures, locale)
        await controls.answer_deferred(
            interaction, embed=checkin_reports.trends_embed(figures, locale), file=chart
        )


async def session_report(interaction: discord.Interaction, session_id: int | None) -> None:
    """/session report: attendance, participation per step and mood bands, k>=3 throughout."""
    guild_id, channel_id = controls.facilitator_here(interaction)
    reports = controls.chorus(interaction).checkins.reports
    session = await reports.session_to_report(guild_id, channel_id, session_id)
    await controls.defer_private(interaction)  # a big report and its chart take a while
    locale = member_language(interaction)
    report = await reports.report(session, locale)
    chart = await asyncio.to_thread(checkin_reports.report_file, report, locale)
    started = _("Started {when}", locale, when=date_time(session.started_at))
    await controls.answer_deferred(
        interaction, embed=checkin_reports.report_embed(report, started, locale), file=chart
    )


setup = cog_setup(CheckinsCog)
