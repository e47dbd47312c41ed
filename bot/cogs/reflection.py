"""Answering reflect steps, through a form (modal) opened by the step's Reflect button."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance, controls
from bot.cogs.extension import cog_setup
from bot.core.reflect_review import Review
from bot.core.session import SessionRecord
from bot.core.steps.reflect import ReflectStep
from bot.i18n import N_, _
from bot.ui import limits
from bot.ui.errors import log_refused
from bot.ui.format import plain_name
from bot.ui.forms import FormValues
from bot.ui.locale import member_language, server_language
from bot.ui.posting import MessageName
from bot.ui.reflection import ReflectForm, ReflectFormId, held_back_text, saved_text
from bot.ui.replies import reply_ephemeral, show_private
from bot.ui.steps.base import MessagePayload
from bot.ui.steps.reflect import (
    REVIEW_NOTE,
    HoldBackButton,
    ReflectButton,
    ReleaseButton,
    ReviewButton,
    quote_block,
    review_payload,
    shared_words_messages,
)

log = logging.getLogger("chorus.reflection")


class ReflectionCog(commands.Cog):
    """Reflect steps: the Reflect button opens the form; the form's answer is saved."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(ReflectButton, controls.step_form_opener(ReflectStep, ReflectForm))
        bot.register_form(ReflectFormId, self.on_reflect_form, what=N_("your reflection"))
        bot.register_family(ReviewButton, self.on_review_button)
        bot.register_family(HoldBackButton, self.on_hold_back_button)
        bot.register_family(ReleaseButton, self.on_release_button)

    async def _reflect_step(
        self, run_id: int, step_index: int
    ) -> tuple[SessionRecord, ReflectStep]:
        session, run = await self.bot.sessions.live_step(run_id, step_index)
        return session, self.bot.runner.step_as(run, ReflectStep)

    async def on_reflect_form(
        self, interaction: discord.Interaction, form: ReflectFormId, values: FormValues
    ) -> None:
        """The reflection form submitted: saved, and shared or held for the facilitator's
        review."""
        run_id, step_index = form.run_id, form.step_index
        session, step = await self._reflect_step(run_id, step_index)
        text, shared = values.text("answer"), values.flag("share")
        await attendance.ensure_joined(interaction, session)
        # An anonymous answer the facilitator reviews keeps who wrote it apart, so they can be
        # told if it is held back (see bot/core/reflect_review.py).
        link = (
            self.bot.reflect_review.author_link(session.guild_id, interaction.user.id)
            if step.review and shared and step.anonymous
            else None
        )
        outcome = await self.bot.runner.contribute(
            run_id,
            step_index,
            interaction.user.id,
            "reflection",
            {"text": text, "shared": shared},
            anonymous=step.anonymous,
            mirror=link,
        )
        locale = member_language(interaction)
        await reply_ephemeral(
            interaction,
            saved_text(step.anonymous, shared, outcome.replaced, locale)
            + (" " + _(REVIEW_NOTE, locale) if step.review and shared else ""),
        )
        await self.bot.live.after_contribution(session.id, outcome.update)

    # ------------------------------------------------------------- the review

    async def on_review_button(self, interaction: discord.Interaction, item: ReviewButton) -> None:
        """Review (facilitators): the shared answers waiting, privately."""
        controls.facilitator_only(interaction)
        review = await self.bot.reflect_review.review(item.run_id, item.step_index)
        payload = review_payload(review, item.run_id, item.step_index, member_language(interaction))
        fit = limits.fit_message(None, payload.all_embeds)
        await show_private(
            interaction, embeds=fit.embeds, view=payload.view or discord.utils.MISSING
        )

    async def on_hold_back_button(
        self, interaction: discord.Interaction, item: HoldBackButton
    ) -> None:
        """Hold back (facilitators): one answer is not shown; its author is told privately."""
        controls.facilitator_only(interaction)
        session, _ = await self.bot.sessions.live_step(item.run_id, item.step_index)
        review, author = await self.bot.reflect_review.hold_back(
            item.run_id, item.step_index, item.contribution_id
        )
        await self._show_review(interaction, review, item.run_id, item.step_index)
        if author is not None:
            await self._tell_held_back(session, author, review.released)
        if review.released:
            await self._repost(session, item.run_id, item.step_index, review)

    async def on_release_button(
        self, interaction: discord.Interaction, item: ReleaseButton
    ) -> None:
        """Release (facilitators): the answers not held back are posted in the channel."""
        controls.facilitator_only(interaction)
        session, _ = await self.bot.sessions.live_step(item.run_id, item.step_index)
        review = await self.bot.reflect_review.release(item.run_id, item.step_index)
        await self._show_review(interaction, review, item.run_id, item.step_index)
        posted: list[int] = []
        for payload in await self._shared(session, item.run_id, item.step_index, review):
            message = await self.bot.live.send(
                session, payload, what=MessageName(N_("the released shared answers"))
            )
            if message is not None:
                posted.append(message.id)
        await self.bot.reflect_review.remember_posts(item.run_id, item.step_index, posted)
        # The card's words stay true: it no longer says the answers are waiting.
        _session, released = await self.bot.sessions.live_step(item.run_id, item.step_index)
        await self.bot.live.redraw_step(session, released)

    async def _shared(
        self, session: SessionRecord, run_id: int, step_index: int, review: Review
    ) -> list[MessagePayload]:
        """The released answers as the group sees them (names only in a step that isn't
        anonymous, where members chose to share with their name)."""
        _session, run = await self.bot.sessions.live_step(run_id, step_index)
        step = self.bot.runner.step(run)
        locale = server_language(self.bot.guild_settings, session.guild_id)
        names: dict[int, str | None] = {}
        if isinstance(step, ReflectStep) and not step.anonymous:
            names = await self.bot.reflect_review.authors_shown(
                session.guild_id, run_id, step_index, review
            )
        quotes = [
            quote_block(a.text, plain_name(names.get(a.contribution_id)) or _("Someone", locale))
            for a in review.shown
        ]
        return shared_words_messages(_("What we shared", locale), quotes)

    async def _repost(
        self, session: SessionRecord, run_id: int, step_index: int, review: Review
    ) -> None:
        """A removal after the release: the posted answers are edited to what is left."""
        payloads = await self._shared(session, run_id, step_index, review)
        for n, message_id in enumerate(await self.bot.reflect_review.posts(run_id, step_index)):
            payload = (
                payloads[n]
                if n < len(payloads)
                else MessagePayload(
                    content=_(
                        "The facilitator removed these shared answers.",
                        server_language(self.bot.guild_settings, session.guild_id),
                    )
                )
            )
            await self.bot.live.edit(
                session, message_id, payload, what=MessageName(N_("the shared answers"))
            )

    async def _show_review(
        self, interaction: discord.Interaction, review: Review, run_id: int, step_index: int
    ) -> None:
        payload = review_payload(review, run_id, step_index, member_language(interaction))
        fit = limits.fit_message(None, payload.all_embeds)
        await interaction.response.edit_message(
            embeds=fit.embeds, view=payload.view, allowed_mentions=discord.AllowedMentions.none()
        )

    async def _tell_held_back(self, session: SessionRecord, user_id: int, released: bool) -> None:
        """A direct message: it reaches the author now, even if they never press anything in
        this session again (their next private reply might never come). Never logged by id."""
        # A direct message has no client language to go by: the server's.
        locale = server_language(self.bot.guild_settings, session.guild_id)
        text = limits.cut(
            held_back_text(session.title, session.channel_id, released, locale), limits.CONTENT
        )
        try:
            user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
            await user.send(text, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as error:
            log_refused(
                log,
                error,
                "could not tell the author of a held-back answer in session %s privately",
                session.id,
            )


setup = cog_setup(ReflectionCog)
