"""Answering a check-in: a step's scale buttons, /checkin now's, and the consent asked first.

Each handler gets its typed button, asks `CheckinService` and replies privately; the reply to a
low answer is followed by the support message.
"""

from __future__ import annotations

import discord

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance, checkin_notice
from bot.cogs.access import require_guild
from bot.core.activities import Scale
from bot.core.checkin_extras import step_offers
from bot.core.checkin_service import CheckinService, ConsentNeeded, Saved
from bot.core.checkins import check_value, scale_of
from bot.core.steps.checkin import CheckinStep
from bot.i18n import _
from bot.records.sessions import SessionRecord
from bot.ui import checkin_care, checkin_consent
from bot.ui import checkins as ui
from bot.ui.locale import member_language
from bot.ui.replies import show_private
from bot.ui.steps.checkin import AnswerPairButton, StepAnswer

NONE = discord.AllowedMentions.none()


class CheckinAnswers:
    """The handlers of the answer and consent buttons (registered by `CheckinsCog`)."""

    def __init__(self, bot: ChorusBot, service: CheckinService) -> None:
        self.bot = bot
        self.service = service

    # ------------------------------------------------------------------ the step

    async def on_step_answer(self, interaction: discord.Interaction, item: StepAnswer) -> None:
        """A value, the second half of a two-part value, or Pass, at a check-in step."""
        session, step = await self.service.step_of(item.run_id, item.step_index)
        if item.value is not None and step.scale.kind == "sam" and item.value2 is None:
            check_value(step.scale, item.value)
            locale = member_language(interaction)
            await interaction.response.send_message(
                _(ui.SAM_SECOND, locale),
                view=ui.sam_second_view(
                    AnswerPairButton,
                    {"run_id": item.run_id, "step_index": item.step_index, "value": item.value},
                    locale,
                ),
                ephemeral=True,
            )
            return
        await self.answer_step(
            interaction, session, step, item.run_id, item.step_index, item.value, item.value2
        )

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
        """Save the answer (None: a pass) and reply; asks for consent first if never asked."""
        await attendance.ensure_joined(interaction, session)
        try:
            saved = await self.service.answer_step(
                run_id, step_index, interaction.user.id, value, value2
            )
        except ConsentNeeded:
            assert value is not None  # a pass never needs consent: nothing about mood is stored
            # Shown the explanation at this step before: the short question instead.
            again = await self.service.asked_consent_before(
                run_id, step_index, session.guild_id, interaction.user.id
            )
            embed, view = checkin_consent.consent_step_prompt(
                again, run_id, step_index, value, value2, member_language(interaction)
            )
            await self.send(interaction, edit, embed=embed, view=view)
            return
        note, share = step_offers(step, saved)
        await self.after_answer(
            interaction, saved, step.scale, session, note=note, share=share, edit=edit
        )
        await self.bot.live.after_contribution(session.id, saved.update)

    # ------------------------------------------------------------- /checkin now

    async def on_now_answer(self, interaction: discord.Interaction, item: ui.NowAnswer) -> None:
        """An answer pressed under /checkin now: saved (after consent) or replacing an earlier
        one."""
        await self.answer_now(
            interaction, item.scale, item.replace_id, item.value, item.value2, edit=True
        )

    async def on_now_change(
        self, interaction: discord.Interaction, item: ui.NowChangeButton
    ) -> None:
        """Change: the /checkin now prompt again, the answer replacing check-in `checkin_id`."""
        embed, view = ui.now_prompt(item.scale, item.checkin_id, member_language(interaction))
        await interaction.response.edit_message(content=None, embed=embed, view=view)

    async def answer_now(
        self,
        interaction: discord.Interaction,
        scale_name: str,
        replace_id: int | None,
        value: int,
        value2: int | None,
        *,
        edit: bool,
    ) -> None:
        """Save a /checkin now answer (replacing check-in `replace_id` if given) and reply."""
        guild_id, _channel = require_guild(interaction)
        locale = member_language(interaction)
        scale = scale_of(scale_name)
        if scale.kind == "sam" and value2 is None:
            check_value(scale, value)
            await interaction.response.edit_message(
                content=_(ui.SAM_SECOND, locale),
                embed=None,
                view=ui.now_second_view(scale_name, replace_id, value, locale),
            )
            return
        try:
            saved = await self.service.answer_now(
                guild_id, interaction.user.id, scale, value, value2, replace_id
            )
        except ConsentNeeded:
            await self.send(
                interaction,
                edit,
                embed=checkin_consent.consent_embed(locale=locale),
                view=checkin_consent.consent_now_view(
                    scale_name, replace_id, value, value2, locale
                ),
            )
            return
        await self.after_answer(
            interaction, saved, scale, None, note=True, share=True, edit=edit, change=scale_name
        )

    # ------------------------------------------------------------------ consent

    async def _set_consent(self, interaction: discord.Interaction, agreed: bool) -> None:
        guild_id, _channel = require_guild(interaction)
        await self.service.set_consent(
            guild_id, interaction.user.id, agreed, interaction.user.display_name
        )

    async def _declined(
        self, interaction: discord.Interaction, low: bool, session_id: int | None
    ) -> None:
        """No thanks: nothing stored; the support message still follows a low answer."""
        await interaction.response.edit_message(
            content=_(checkin_consent.DECLINED, member_language(interaction)), embed=None, view=None
        )
        if low:
            await self.care(interaction, session_id)

    async def on_consent_command(
        self, interaction: discord.Interaction, item: checkin_consent.ConsentCommandButton
    ) -> None:
        """From /checkin consent: just the choice, no answer waiting."""
        await self._set_consent(interaction, item.agreed)
        await interaction.response.edit_message(
            content=_(
                checkin_consent.CONSENT_ON if item.agreed else checkin_consent.DECLINED,
                member_language(interaction),
            ),
            embed=None,
            view=None,
        )

    async def on_consent_now(
        self, interaction: discord.Interaction, item: checkin_consent.ConsentNowButton
    ) -> None:
        """Agree / No thanks under /checkin now: the choice is stored, then the waiting answer."""
        await self._set_consent(interaction, item.agreed)
        if not item.agreed:
            low = self.service.is_low(interaction.guild_id or 0, scale_of(item.scale), item.value)
            await self._declined(interaction, low, None)
            return
        await self.answer_now(
            interaction, item.scale, item.replace_id, item.value, item.value2, edit=True
        )

    async def on_consent_step(
        self, interaction: discord.Interaction, item: checkin_consent.ConsentStepButton
    ) -> None:
        """Agree / No thanks at a check-in step: the choice is stored, then the waiting answer.
        Raises Conflict, after storing an Agree, when the check-in step has ended meanwhile."""
        await self._set_consent(interaction, item.agreed)
        run_id, step_index = item.run_id, item.step_index
        low = False
        if not item.agreed:
            scale = await self.service.step_scale(run_id, step_index)
            low = scale is not None and self.service.is_low(
                interaction.guild_id or 0, scale, item.value
            )
        found = await self.service.step_after_consent(run_id, step_index, item.agreed)
        if found is None:
            await self._declined(interaction, low, None)
            return
        session, step = found
        if not item.agreed:
            # Counted as a pass so the step need not wait for them; no mood data is stored.
            await attendance.ensure_joined(interaction, session)
            saved = await self.service.answer_step(run_id, step_index, interaction.user.id, None)
            await self._declined(interaction, low, session.id)
            await self.bot.live.after_contribution(session.id, saved.update)
            return
        await self.answer_step(
            interaction, session, step, run_id, step_index, item.value, item.value2, edit=True
        )

    # ------------------------------------------------------------------ replies

    async def after_answer(
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
        """The private reply to an answer, with its note/share/change buttons; the support
        message after a low one."""
        text, view = ui.answer_reply(
            saved,
            scale,
            step=session is not None,
            note=note,
            share=share,
            change=change,
            locale=member_language(interaction),
        )
        await self.send(interaction, edit, content=text, view=view)
        if saved.low:
            await self.care(interaction, session.id if session is not None else None)
            if not saved.declined:
                await checkin_notice.after_low_answer(interaction, saved.record)

    async def care(self, interaction: discord.Interaction, session_id: int | None) -> None:
        """The support message, privately, after the reply to a low answer."""
        embed, view = checkin_care.care_message(
            self.bot.guild_settings.for_guild(interaction.guild_id),
            session_id,
            member_language(interaction),
        )
        await interaction.followup.send(
            embed=embed, ephemeral=True, allowed_mentions=NONE, view=view
        )

    async def send(
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
        await show_private(
            interaction,
            content,
            embed=embed if embed is not None else missing,
            view=view if view is not None else missing,
        )
