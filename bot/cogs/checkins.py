"""Check-ins: the step's buttons, /checkin now|history, /group trends and /session report."""

from __future__ import annotations

import asyncio
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import ChorusBot
from bot.cogs import controls
from bot.cogs.access import require_guild
from bot.cogs.errors import reply_ephemeral
from bot.core.activities import CheckinStep, Scale
from bot.core.checkin_service import CheckinService, ConsentNeeded, Saved
from bot.core.checkins import DEFAULT_NOTE_MAX, member_summary, scale_of
from bot.core.errors import Conflict, NotFound, UserFacingError
from bot.store.checkins import CheckinRecord
from bot.store.records import SessionRecord
from bot.ui import checkins as ui
from bot.ui import limits
from bot.ui.components import persistent_view
from bot.ui.format import COLOUR_INFO, date_time
from bot.ui.forms import ChorusForm, FormValues, send_form
from bot.ui.steps.base import MessagePayload

NONE = discord.AllowedMentions.none()


NOTE_FORM = "form_note"


class NoteForm(ChorusForm):
    """A private note with a check-in; answered through its custom_id by
    `CheckinsCog.on_note_form`, with no timeout."""

    def __init__(self, checkin_id: int, limit: int) -> None:
        super().__init__("A note with your check-in", NOTE_FORM, checkin_id)
        self.add_item(
            discord.ui.TextInput(
                custom_id="note",
                label=limits.label("Your note (only you see it)"),
                style=discord.TextStyle.paragraph,
                max_length=limit,
                required=False,
                placeholder=limits.placeholder(
                    "A word or two is plenty. Leave empty to remove the note."
                ),
            )
        )


class CheckinsCog(commands.Cog):
    """Mood check-ins: private by default, with consent, care and group figures only at k>=3."""

    checkin = app_commands.Group(
        name="checkin", description="Check in with how you are, privately", guild_only=True
    )
    group = app_commands.Group(
        name="group", description="Figures about the whole group (facilitators)", guild_only=True
    )

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.service = CheckinService(
            bot.store, bot.clock, bot.runner, bot.settings.checkins, bot.guild_settings.care_for
        )
        self._told: set[tuple[int, int]] = set()
        # (guild, member, run, step) already shown the consent explanation at a check-in: a
        # second value pressed before choosing gets the short question, not the same prompt.
        self._asked: set[tuple[int, int, int, int]] = set()
        bot.privacy.on_forget(self._forget_member)
        bot.register_component("checkin", self.on_step_button)
        bot.register_component("checkin_now", self.on_now_button)
        bot.register_component("checkin_note", self.on_note_button)
        bot.register_component("checkin_share", self.on_share_button)
        bot.register_component("checkin_tell", self.on_tell_button)
        bot.register_component("consent", self.on_consent_button)
        bot.register_form(NOTE_FORM, self.on_note_form, what="your note")
        bot.sessions.add_summary_contributor(self.service.summary_lines)

    # ------------------------------------------------------------------ step buttons

    async def on_step_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        run_id, step_index, first = int(args[0]), int(args[1]), args[2]
        session, step = await self.service.step_of(run_id, step_index)
        if first == "pass":
            await self.answer_step(interaction, session, step, run_id, step_index, None, None)
            return
        value = _int(first)
        if step.scale.kind == "sam" and len(args) == 3:
            from bot.core.checkins import check_value

            check_value(step.scale, value)
            await interaction.response.send_message(
                ui.SAM_SECOND,
                view=ui.sam_second_view("checkin", run_id, step_index, value),
                ephemeral=True,
            )
            return
        value2 = _int(args[3]) if len(args) > 3 else None
        await self.answer_step(interaction, session, step, run_id, step_index, value, value2)

    async def answer_step(
        self,
        interaction: discord.Interaction,
        session: SessionRecord,
        step: CheckinStep,
        run_id: int,
        step_index: int,
        value: int | None,
        value2: int | None,
        *,
        edit: bool = False,
    ) -> None:
        await controls.ensure_joined(interaction, session)
        try:
            saved = await self.service.answer_step(
                run_id, step_index, interaction.user.id, value, value2
            )
        except ConsentNeeded:
            extra = [value2] if value2 is not None else []
            key = (session.guild_id, interaction.user.id, run_id, step_index)
            again = key in self._asked
            self._asked.add(key)
            await self._send(
                interaction,
                edit,
                embed=ui.consent_again_embed() if again else ui.consent_embed(),
                # The value rides on No thanks too: a low answer gets the support message
                # whether or not they agree to saving (it stores nothing).
                view=ui.consent_view(
                    [run_id, step_index, value, *extra], [run_id, step_index, value]
                ),
            )
            return
        note = step.note.mode == "optional" and not saved.anonymous and not saved.passed
        share = not saved.anonymous and not saved.passed
        await self._after_answer(
            interaction, saved, step.scale, session, note=note, share=share, edit=edit
        )
        self.bot.live.request_board(session.id)
        if saved.update is not None:
            await self.bot.live.apply(saved.update)

    async def _after_answer(
        self,
        interaction: discord.Interaction,
        saved: Saved,
        scale: Scale,
        session: SessionRecord | None,
        *,
        note: bool,
        share: bool,
        edit: bool,
        change: str | None = None,
    ) -> None:
        record = saved.record
        if saved.declined:
            await self._send(
                interaction, edit, content=ui.declined_answer_text(session is not None)
            )
            if saved.low:
                await self._care(interaction, session.id if session is not None else None)
            return
        text = ui.answer_text(
            scale,
            None if saved.passed else (record.value if record else None),
            record.value2 if record else None,
            anonymous=saved.anonymous,
            replaced=saved.replaced,
            step=session is not None,
        )
        view = (
            ui.answer_view(record.id, note=note, share=share, change=change)
            if record is not None and not saved.anonymous
            else None
        )
        await self._send(interaction, edit, content=text, view=view)
        if saved.low:
            await self._care(interaction, session.id if session is not None else None)

    async def _care(self, interaction: discord.Interaction, session_id: int | None) -> None:
        """The support message, privately, after the reply to a low answer."""
        config = self.bot.guild_settings.for_guild(interaction.guild_id)
        care_view = ui.care_view(session_id, config.support_links)
        await interaction.followup.send(
            embed=ui.care_embed(config.support_text),
            ephemeral=True,
            allowed_mentions=NONE,
            view=care_view if care_view is not None else discord.utils.MISSING,
        )

    async def _send(
        self,
        interaction: discord.Interaction,
        edit: bool,
        *,
        content: str | None = None,
        embed: discord.Embed | None = None,
        view: discord.ui.View | None = None,
    ) -> None:
        """A private reply: a new ephemeral message, or the clicked one edited in place."""
        if edit:
            await interaction.response.edit_message(
                content=content, embed=embed, view=view, allowed_mentions=NONE
            )
            return
        missing = discord.utils.MISSING
        await interaction.response.send_message(
            content,
            embed=embed if embed is not None else missing,
            view=view if view is not None else missing,
            ephemeral=True,
            allowed_mentions=NONE,
        )

    # --------------------------------------------------------------------- consent

    async def on_consent_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        guild_id, _ = require_guild(interaction)
        agreed = args[0] == "yes"
        await self.service.set_consent(
            guild_id, interaction.user.id, agreed, interaction.user.display_name
        )
        rest = args[1:]
        if rest and rest[0] == "cmd":
            # From /checkin consent: just the choice, no answer waiting.
            await interaction.response.edit_message(
                content=ui.CONSENT_ON if agreed else ui.DECLINED, embed=None, view=None
            )
            return
        if rest and rest[0] == "now":
            if not agreed:
                # No thanks still gets the support message for a low answer (nothing stored).
                low = len(rest) > 3 and self.service.is_low(
                    interaction.guild_id or 0, scale_of(rest[1]), _int(rest[3])
                )
                await interaction.response.edit_message(content=ui.DECLINED, embed=None, view=None)
                if low:
                    await self._care(interaction, None)
                return
            await self._answer_now(interaction, rest[1:], edit=True)
            return
        run_id, step_index = int(rest[0]), int(rest[1])
        low = False
        if not agreed and len(rest) > 2:
            scale = await self.service.step_scale(run_id, step_index)
            low = scale is not None and self.service.is_low(
                interaction.guild_id or 0, scale, _int(rest[2])
            )
        try:
            session, step = await self.service.step_of(run_id, step_index)
        except UserFacingError:
            if agreed:
                raise Conflict(
                    "Thank you, your choice is saved. That check-in has ended, so the answer "
                    "wasn't saved; your next check-ins will be."
                ) from None
            await interaction.response.edit_message(content=ui.DECLINED, embed=None, view=None)
            if low:
                await self._care(interaction, None)
            return
        if not agreed:
            # Counted as a pass so the step need not wait for them; no mood data is stored.
            await controls.ensure_joined(interaction, session)
            saved = await self.service.answer_step(run_id, step_index, interaction.user.id, None)
            await interaction.response.edit_message(content=ui.DECLINED, embed=None, view=None)
            if low:
                await self._care(interaction, session.id)
            self.bot.live.request_board(session.id)
            if saved.update is not None:
                await self.bot.live.apply(saved.update)
            return
        value = _int(rest[2])
        value2 = _int(rest[3]) if len(rest) > 3 else None
        await self.answer_step(
            interaction, session, step, run_id, step_index, value, value2, edit=True
        )

    @checkin.command(name="consent", description="Turn saving your check-ins on or off")
    async def consent_command(self, interaction: discord.Interaction) -> None:
        guild_id, _ = require_guild(interaction)
        current = await self.service.consent_state(guild_id, interaction.user.id)
        await interaction.response.send_message(
            embed=ui.consent_embed("checkin", "Saving your check-ins", current),
            view=ui.consent_view(["cmd"], ["cmd"]),
            ephemeral=True,
            allowed_mentions=NONE,
        )

    # -------------------------------------------------------------- /checkin now

    @checkin.command(name="now", description="Check in with how you are right now (private)")
    @app_commands.describe(scale="0-10 (default), 1-5 faces, or sam (pleasantness and energy)")
    async def now(
        self, interaction: discord.Interaction, scale: Literal["0-10", "1-5", "sam"] = "0-10"
    ) -> None:
        require_guild(interaction)
        embed, view = self._now_prompt(scale, "new")
        await interaction.response.send_message(
            embed=embed, view=view, ephemeral=True, allowed_mentions=NONE
        )

    def _now_prompt(self, scale_name: str, rid: str) -> tuple[discord.Embed, discord.ui.View]:
        scale = scale_of(scale_name)
        embed = discord.Embed(
            title="How are you right now?",
            colour=COLOUR_INFO,
            description=ui.scale_hint(scale)
            + "\n🔒 Only you see your answer, unless you choose to share it.",
        )
        return embed, persistent_view(*ui.scale_buttons(scale, "checkin_now", scale_name, rid))

    async def on_now_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        if args[1] == "change":
            embed, view = self._now_prompt(args[0], f"r{int(args[2])}")
            await interaction.response.edit_message(content=None, embed=embed, view=view)
            return
        await self._answer_now(interaction, args, edit=True)

    async def _answer_now(
        self, interaction: discord.Interaction, args: list[str], *, edit: bool
    ) -> None:
        guild_id, _ = require_guild(interaction)
        scale_name, rid = args[0], args[1]
        scale = scale_of(scale_name)
        replace_id = int(rid[1:]) if rid.startswith("r") else None
        value = _int(args[2])
        if scale.kind == "sam" and len(args) == 3:
            from bot.core.checkins import check_value

            check_value(scale, value)
            await interaction.response.edit_message(
                content=ui.SAM_SECOND,
                embed=None,
                view=ui.sam_second_view("checkin_now", scale_name, rid, value),
            )
            return
        value2 = _int(args[3]) if len(args) > 3 else None
        try:
            saved = await self.service.answer_now(
                guild_id, interaction.user.id, scale, value, value2, replace_id
            )
        except ConsentNeeded:
            extra = [value2] if value2 is not None else []
            await self._send(
                interaction,
                edit,
                embed=ui.consent_embed(),
                view=ui.consent_view(
                    ["now", scale_name, rid, value, *extra], ["now", scale_name, rid, value]
                ),
            )
            return
        await self._after_answer(
            interaction,
            saved,
            scale,
            None,
            note=True,
            share=True,
            edit=edit,
            change=scale_name,
        )

    # ------------------------------------------------------- note, share, tell

    async def _scale_and_limit(self, record: CheckinRecord) -> tuple[Scale, int, bool]:
        """The record's scale, its note limit, and whether notes are allowed."""
        if record.run_id is not None and record.step_index is not None:
            _, step = await self.service.step_of(record.run_id, record.step_index)
            return step.scale, step.note.max_chars, step.note.mode == "optional"
        return scale_of(record.scale), DEFAULT_NOTE_MAX, True

    async def on_note_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        record = await self.service.own(int(args[0]), interaction.user.id)
        _, limit, allowed = await self._scale_and_limit(record)
        if not allowed:
            raise Conflict("This check-in doesn't ask for a note.")
        await send_form(interaction, NoteForm(record.id, limit))

    async def on_note_form(
        self, interaction: discord.Interaction, args: list[str], values: FormValues
    ) -> None:
        record = await self.service.own(int(args[0]), interaction.user.id)
        _, limit, allowed = await self._scale_and_limit(record)
        if not allowed:
            raise Conflict("This check-in doesn't ask for a note.")
        note = await self.service.set_note(
            record.id, interaction.user.id, values.text("note"), limit
        )
        await reply_ephemeral(
            interaction,
            "📝 Your note is saved. Only you can see it." if note else "Your note was removed.",
        )

    async def on_share_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        record = await self.service.own(int(args[0]), interaction.user.id)
        scale, _, _ = await self._scale_and_limit(record)
        if record.shared:
            raise Conflict("You've already shared this answer with the group.")
        record = await self.service.share(record.id, interaction.user.id)
        channel = interaction.channel
        if record.session_id is not None:
            session = await self.bot.sessions.get(record.session_id)
            await self.bot.live.send(
                session,
                _payload(
                    ui.shared_post(
                        interaction.user.display_name, scale, record.value, record.value2
                    )
                ),
            )
        elif isinstance(channel, discord.abc.Messageable):
            await channel.send(
                ui.shared_post(interaction.user.display_name, scale, record.value, record.value2),
                allowed_mentions=NONE,
            )
        await reply_ephemeral(interaction, "📣 Shared with the group (your note stays private).")

    async def _forget_member(self, guild_id: int, user_id: int) -> None:
        """/forget: drop "already told the facilitator" marks that name them."""
        self._told = {key for key in self._told if key[1] != user_id}
        self._asked = {key for key in self._asked if key[:2] != (guild_id, user_id)}

    async def on_tell_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        session = await self.bot.sessions.get(int(args[0]))
        key = (session.id, interaction.user.id)
        if key in self._told:
            await reply_ephemeral(interaction, "I've already let the facilitator know. 💜")
            return
        if session.facilitator_id == interaction.user.id:
            await reply_ephemeral(interaction, "You're the facilitator here; take good care. 💜")
            return
        reached = await self.bot.live.tell_facilitator(
            session, ui.facilitator_note(interaction.user.display_name, session.title)
        )
        if not reached:
            # Say so honestly, and give the support text again: they asked for help. (A
            # facilitator who used /forget has nobody told in their place.)
            said = ui.TELL_FAILED if session.has_facilitator else ui.NO_FACILITATOR_TO_TELL
            config = self.bot.guild_settings.for_guild(interaction.guild_id)
            links = ui.care_view(None, config.support_links)
            await interaction.response.send_message(
                said,
                embed=ui.care_embed(config.support_text),
                view=links if links is not None else discord.utils.MISSING,
                ephemeral=True,
                allowed_mentions=NONE,
            )
            return
        self._told.add(key)
        await reply_ephemeral(
            interaction,
            "💜 I've let the facilitator know privately. Nothing was posted in the channel.",
        )

    # --------------------------------------------------------------- /checkin history

    @checkin.command(name="history", description="Your own check-ins as a chart (only you see it)")
    @app_commands.describe(days="How many days back (default 90)")
    async def history(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = 90
    ) -> None:
        guild_id, _ = require_guild(interaction)
        await controls.defer_private(interaction)  # a chart can take over a second to draw
        answers, found = await self.service.history(guild_id, interaction.user.id, days)
        chart = await asyncio.to_thread(ui.history_file, answers, found, days)
        await controls.answer_deferred(
            interaction, embed=ui.history_embed(member_summary(answers), days), file=chart
        )

    # ------------------------------------------------------------------ /group trends

    @group.command(name="trends", description="Week-by-week participation and mood shift")
    @app_commands.describe(weeks="How many weeks back (default 8)")
    async def trends(
        self, interaction: discord.Interaction, weeks: app_commands.Range[int, 1, 52] = 8
    ) -> None:
        guild_id, _ = require_guild(interaction)
        controls.facilitator_only(interaction)
        await controls.defer_private(interaction)
        figures = await self.service.trends(guild_id, weeks)
        chart = await asyncio.to_thread(ui.trends_file, figures)
        await controls.answer_deferred(interaction, embed=ui.trends_embed(figures), file=chart)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UserFacingError("That button no longer works; please use the newest one.") from None


def _payload(content: str) -> MessagePayload:
    return MessagePayload(content=content)


async def session_report(interaction: discord.Interaction, session_id: int | None) -> None:
    """/session report: attendance, participation per step and mood bands, k>=3 throughout."""
    guild_id, channel_id = require_guild(interaction)
    controls.facilitator_only(interaction)
    bot = controls.chorus(interaction)
    cog = bot.get_cog("CheckinsCog")
    assert isinstance(cog, CheckinsCog)
    session: SessionRecord | None
    if session_id is not None:
        session = await bot.store.sessions.get(session_id)
    else:
        session = await bot.store.sessions.open_in_channel(channel_id)
        if session is None:
            latest = await bot.store.checkins.latest_session(guild_id)
            session = await bot.store.sessions.get(latest) if latest is not None else None
    if session is None or session.guild_id != guild_id:
        raise NotFound("I can't find that session in this server. See /session history.")
    await controls.defer_private(interaction)  # a big report and its chart take a while
    report = await cog.service.report(session)
    chart = await asyncio.to_thread(ui.report_file, report)
    await controls.answer_deferred(
        interaction,
        embed=ui.report_embed(report, f"Started {date_time(session.started_at)}"),
        file=chart,
    )


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(CheckinsCog(bot))
