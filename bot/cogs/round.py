"""Round steps (the go-around): Done, Pass, I'll start and the speaker's answer form.

Translation only: who may move the floor, and where it goes, are the round handler's rules
(`bot/core/steps/round.py`); this cog passes each press to the runner, answers privately, posts
a shared answer, and keeps the card showing who has the floor (also after a turn times out).
"""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance
from bot.cogs.extension import cog_setup
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.round_state import FLOOR_LEFT, RoundState, button_kind
from bot.core.run_updates import RunUpdate
from bot.core.session import RunRecord, SessionRecord
from bot.core.step_state import StepState
from bot.core.steps.round import BACK_VOICE, LEFT_VOICE, RoundStep
from bot.i18n import N_, _
from bot.ui.format import plain_name
from bot.ui.forms import FormValues, send_form
from bot.ui.locale import member_language
from bot.ui.posting import MessageName
from bot.ui.replies import reply_ephemeral
from bot.ui.steps.base import MessagePayload
from bot.ui.steps.round import (
    RoundButton,
    RoundForm,
    RoundFormId,
    RoundPrepared,
    RoundPresenter,
    floor_left_text,
    shared_answer,
)

THANKS = {
    "spoke": N_("✅ Thank you. The floor moves on."),
    "pass": N_("⏭ Passed. That's always fine; the floor moves on."),
    "skipped": N_("⏭ Turn skipped. The floor moves on."),
    "volunteer": N_("🙋 Thank you for starting: the floor is yours."),
    "answer": N_("✅ Thank you for your answer. The floor moves on."),
}


class RoundCog(commands.Cog):
    """The buttons and form of round steps, and their card kept current."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_family(RoundButton, self.on_button)
        bot.register_form(RoundFormId, self.on_answer_form, what=N_("your answer"))
        self.names: dict[int, dict[int, str]] = {}
        """Session id -> display names of the members its round card shows."""
        bot.live.add_scene_source(RoundPresenter, self.round_scene)
        bot.live.add_observer(self)
        bot.privacy.on_forget(self._forget_member)

    async def _round(
        self, run_id: int, step_index: int
    ) -> tuple[SessionRecord, RunRecord, RoundStep]:
        session, run = await self.bot.sessions.live_step(run_id, step_index)
        return session, run, self.bot.runner.step_as(run, RoundStep)

    async def on_button(self, interaction: discord.Interaction, item: RoundButton) -> None:
        """A round's button (start, answer, done, pass): the turn moves on or the form opens.
        Raises Conflict when the member may not answer now, or for an older version's action."""
        session, run, step = await self._round(item.run_id, item.step_index)
        user = interaction.user.id
        if item.action == "answer":
            state = StepState.of(run).kind(RoundState)
            state.check_floor(user)
            turn_no = state.turn_no
            await send_form(
                interaction,
                RoundForm(run.id, item.step_index, turn_no, step, member_language(interaction)),
            )
            return
        kind = button_kind(item.action)
        if kind == "volunteer":
            # Starting the round is taking part: it joins you, as any answer does.
            await attendance.ensure_joined(interaction, session)
        # In a voice session the speaker was heard there: the facilitator's Done isn't a skip.
        heard = session.voice_channel_id is not None
        await self._contribute(interaction, session, run, kind, {"by": user, "heard": heard})

    async def on_answer_form(
        self, interaction: discord.Interaction, form: RoundFormId, values: FormValues
    ) -> None:
        """The speaker's answer submitted: saved if the floor is still theirs, else given back."""
        run_id, step_index, turn_no = form.run_id, form.step_index, form.turn_no
        session, run, step = await self._round(run_id, step_index)
        payload = {"by": interaction.user.id, "text": values.text("answer"), "turn_no": turn_no}
        record = await self._contribute(interaction, session, run, "answer", payload)
        if step.share == "group":
            name = plain_name(interaction.user.display_name) or "a member"
            await self.bot.live.send(
                session,
                shared_answer(str(record.get("text", "")), name),
                what=MessageName(N_("a member's answer in the round")),
            )

    async def _contribute(
        self,
        interaction: discord.Interaction,
        session: SessionRecord,
        run: RunRecord,
        kind: str,
        payload: dict[str, object],
    ) -> dict[str, object]:
        outcome = await self.bot.runner.contribute(
            run.id, run.step_index, interaction.user.id, kind, payload
        )
        thanks = THANKS["skipped" if outcome.record.payload.get("skipped") else kind]
        await reply_ephemeral(interaction, _(thanks, member_language(interaction)))
        await self.bot.live.after_contribution(session.id, outcome.update)
        if outcome.update is None:
            fresh = await self.bot.runner.live_run(session.id)
            if fresh is not None:
                await self.show(session, fresh)
        return dict(outcome.record.payload)

    async def _forget_member(self, guild_id: int, user_id: int) -> None:
        """/forget: the member's name leaves the cards' names (their id left the state), and a
        live round card that named them is drawn again without them (the privacy scan,
        tests/cogs/test_privacy_scan.py, reads the card right after the forget)."""
        named = [sid for sid, names in self.names.items() if names.pop(user_id, None) is not None]
        for session_id in named:
            run = await self.bot.runner.live_run(session_id)
            if run is not None:
                await self.show(await self.bot.sessions.get(session_id), run)

    # ---------------------------------------------------------------- the card

    async def load_names(self, session: SessionRecord, run: RunRecord) -> None:
        """Read the names of everyone the round card may show: present, or in its order."""
        order = StepState.of(run).kind(RoundState).order
        present = [a.user_id for a in await self.bot.sessions.present(session)]
        ids = sorted({*order, *present})
        self.names[session.id] = await self.bot.sessions.names(session.guild_id, ids)

    async def round_scene(
        self, session: SessionRecord, run: RunRecord, step_index: int
    ) -> RoundPrepared | None:
        """What the card of round step `step_index` of `run` shows beyond its step: the names
        of the members it may show, read now while the step runs (None once it has ended: the
        closed card names nobody)."""
        if run.step_index != step_index or not run.live:
            return None
        await self.load_names(session, run)
        return RoundPrepared(self.names[session.id])

    async def show(self, session: SessionRecord, run: RunRecord) -> None:
        """Edit the live round card to what the run's state says now."""
        if run.step_message_id is None or not run.live:
            return
        scene = await self.bot.live.scene(session, run, run.step_index)  # names read here
        if not isinstance(scene.step, RoundStep):
            return
        payload = self.bot.live.presenter_of(RoundPresenter).render(scene)
        await self.bot.live.edit(
            session, run.step_message_id, payload, what=MessageName(N_("the round card"))
        )
        await self._tell_left(session, run)

    async def _tell_left(self, session: SessionRecord, run: RunRecord) -> None:
        """The speaker left during their turn: say so in the channel, kindly, and who has the
        floor now (once per turn, across restarts: claimed in the stored state first; the
        handler drops the note at the next change)."""
        state = StepState.of(run).kind(RoundState)
        left = state.left_to_tell(self.bot.clock().timestamp())
        if left is None or left.user is None:
            return  # told already, long past, or nobody to name
        if not await self.bot.runner.claim_note(run.id, run.step_index, FLOOR_LEFT):
            return  # told meanwhile (a redraw, another process): the stored mark says so
        names = self.names.get(session.id, {})

        def who(user_id: int) -> str:
            name = plain_name(names.get(user_id))
            return f"**{name}**" if name else f"<@{user_id}>"

        speaker = state.speaker
        following = who(speaker) if speaker is not None else None
        text = floor_left_text(left, who(left.user), following, self.bot.live.language(session))
        await self.bot.live.send(
            session,
            MessagePayload(content=text),
            what=MessageName(N_("the note that the speaker left the round")),
        )

    @commands.Cog.listener()
    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        """A member left (or came back to) a session's voice channel during a round: the
        speaker gives up the floor (a member who can't be heard can't hold it); a member still
        to speak is skipped at their turn unless they come back first."""
        was = before.channel.id if before.channel is not None else None
        now = after.channel.id if after.channel is not None else None
        if member.bot or was == now:
            return  # muted, deafened, streaming: still there
        moved = [channel for channel in (was, now) if channel is not None]
        for session in await self.bot.sessions.open_in_voice(member.guild.id, moved):
            if session.voice_channel_id == was:
                await self._voice_moved(session, member.id, LEFT_VOICE)
            elif session.voice_channel_id == now:
                await self._voice_moved(session, member.id, BACK_VOICE)

    async def _voice_moved(self, session: SessionRecord, user_id: int, kind: str) -> None:
        run = await self.bot.runner.live_run(session.id)
        if run is None or not isinstance(self.bot.runner.step(run), RoundStep):
            return
        state = StepState.of(run).kind(RoundState)
        if not state.voice_move_matters(user_id, back=kind == BACK_VOICE):
            return
        payload = {"by": user_id, "turn_no": state.turn_no}
        try:
            outcome = await self.bot.runner.contribute(
                run.id, run.step_index, user_id, kind, payload
            )
        except (NotFound, Conflict, InvalidInput):
            # What `contribute` refuses with: the run or session ended meanwhile (NotFound), the
            # turn did (Done, time, the facilitator: Conflict), or the move is refused. A voice
            # move has nobody to answer, and nothing changed: let it go.
            return
        await self.bot.live.after_contribution(session.id, outcome.update)
        fresh = await self.bot.runner.live_run(session.id)
        if fresh is not None and fresh.step_index == run.step_index:
            await self.show(session, fresh)

    async def after_update(self, session: SessionRecord, update: RunUpdate) -> None:
        """A turn timed out (or the step was resumed): the card shows the new speaker. A step
        just entered was posted already with its state. A run that ended names nobody now."""
        if update.ended is not None or not update.run.live:
            self.names.pop(session.id, None)
        elif update.entered_step is None:
            await self.show(session, update.run)


setup = cog_setup(RoundCog)
