"""Shared listening on the step card: reactions, reflections, votes, and voice playback.

The cog gathers what a listen or vote card shows beyond its step (`live.add_scene_source`:
the vote's choices, the piece a `from_vote` step plays, where it is heard) each time its scene
is built, and watches run updates (`live.add_observer`): after an update it starts the piece
when the countdown ends (voice if it can, else the link or text card, see listen_voice.py),
re-draws the card when the step's phase changes, and stops playback when the step ends. The
/listen commands live in playlist.py.
"""

from __future__ import annotations

import discord
from discord.ext import commands

from bot.chorus_bot import ChorusBot
from bot.cogs import attendance, controls
from bot.cogs.extension import cog_setup
from bot.cogs.listen_voice import ListenVoice
from bot.core.listening import COUNTDOWN, ResolvedTrack
from bot.core.listening_service import ListeningService
from bot.core.run_updates import RunUpdate
from bot.core.steps.listen import ListenStep
from bot.core.steps.vote import VoteStep
from bot.i18n import N_
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui.forms import FormValues
from bot.ui.listening import (
    ListenReflectForm,
    ListenReflectFormId,
    listen_state,
    reaction_saved,
    summary_lines,
)
from bot.ui.locale import member_language, server_language
from bot.ui.posting import step_card
from bot.ui.reflection import saved_text
from bot.ui.replies import reply_ephemeral
from bot.ui.steps.listen import (
    ListenPrepared,
    ListenPresenter,
    ListenReflectButton,
    ReactButton,
)
from bot.ui.steps.vote import VotePrepared, VotePresenter, VoteSelect, vote_saved

Key = tuple[int, int]


class ListeningCog(commands.Cog):
    """The listen and vote steps: their cards, the members' answers, and voice playback."""

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        self.service: ListeningService = bot.listening
        bot.register_family(ReactButton, self.on_react)
        bot.register_family(
            ListenReflectButton, controls.step_form_opener(ListenStep, ListenReflectForm)
        )
        bot.register_form(ListenReflectFormId, self.on_reflect_form, what=N_("your reflection"))
        bot.register_family(VoteSelect, self.on_vote)
        bot.live.add_observer(self)
        bot.live.add_scene_source(ListenPresenter, self.listen_scene)
        bot.live.add_scene_source(VotePresenter, self.vote_scene)
        bot.sessions.add_summary_contributor(self.summary_lines)
        self._shown_phase: dict[Key, str] = {}
        self._tracks: dict[Key, ResolvedTrack] = {}
        """The piece each `from_vote` step's card showed (an ended step's state is gone)."""
        bot.privacy.on_forget(self._forget_member)
        self.voice = ListenVoice(bot, self.service, self._redraw_key)
        bot.voice.on_problem(self.voice.on_problem)

    async def cog_unload(self) -> None:
        """Stops voice playback (the player leaves every voice channel)."""
        self.voice.close()

    async def vote_scene(
        self, session: SessionRecord, run: RunRecord, step_index: int
    ) -> VotePrepared:
        """What the card of vote step `step_index` of `run` shows: its choices, read from the
        store now, in the server's language (the card is public)."""
        locale = server_language(self.bot.guild_settings, session.guild_id)
        choices = await self.service.choices_for(session, run, step_index, locale)
        return VotePrepared(tuple(choices))

    async def listen_scene(
        self, session: SessionRecord, run: RunRecord, step_index: int
    ) -> ListenPrepared:
        """What the card of listen step `step_index` of `run` shows: the piece a `from_vote`
        step plays, and where it is heard now (voice playback's note)."""
        key = (run.id, step_index)
        return ListenPrepared(
            await self._track(session, run, step_index), self.voice.notes.get(key)
        )

    async def _track(
        self, session: SessionRecord, run: RunRecord, step_index: int
    ) -> ResolvedTrack | None:
        step = self.bot.runner.step_at(run, step_index)
        if not isinstance(step, ListenStep) or step.track != "from_vote":
            return None
        key = (run.id, step_index)
        # Decided once and stored in the run (the service): a later /forget, withdrawal or
        # restart reads the same piece. An ended step's state is gone: its card keeps what
        # it showed.
        if run.step_index != step_index and key in self._tracks:
            return self._tracks[key]
        track = await self.service.resolve_track(session, run, step_index)
        if track is not None:
            self._tracks[key] = track
        return self._tracks.get(key)

    async def _forget_member(self, guild_id: int, user_id: int) -> None:
        """/forget: a piece they suggested plays on without their name; open votes on the
        playlist or on earlier answers are drawn again from the store (their nominations and
        answers are gone), and so is a card that credited them."""
        for run in await self.service.live_runs():
            step = self.bot.runner.step(run)
            drawn_from_members = isinstance(step, VoteStep) and not step.options
            from_vote = isinstance(step, ListenStep) and step.track == "from_vote"
            if not drawn_from_members and not from_vote:
                continue
            session = await self.service.session(run.session_id)
            if session is not None and session.guild_id == guild_id:
                await self.redraw(session, run, run.step_index)

    def forget(self, key: Key) -> None:
        """Drop what is kept about the step `key` (run id, step index) once it is over."""
        self._tracks.pop(key, None)
        self._shown_phase.pop(key, None)
        self.voice.forget(key)

    # -------------------------------------------------------------- observer

    async def after_update(self, session: SessionRecord, update: RunUpdate) -> None:
        """After a step change is shown: an ended listen or vote step is closed here too."""
        if update.exited_step is not None:
            await self.step_ended(session, update.run, update.exited_step)
        if update.entered_step is not None:
            if update.run.live:
                await self.voice.ensure(session, update.run)
            return
        if update.exited_step is not None:
            return
        run = await self.service.run(update.run.id)
        if run is None or not run.live:
            return
        step = self.bot.runner.step_at(run, run.step_index)
        if not isinstance(step, ListenStep):
            return
        key = (run.id, run.step_index)
        if run.state == "paused":
            await self.voice.paused(session.guild_id, key)
            if self._shown_phase.get(key) != "paused":
                # The card's countdown would run on while the music waits: show the pause.
                self._shown_phase[key] = "paused"
                await self.redraw(session, run, run.step_index)
            return
        await self.voice.resumed(session.guild_id, key)
        await self.voice.ensure(session, run)
        current = listen_state(run).phase
        if current != COUNTDOWN:
            problem = self.voice.problem(session, key)
            await self.service.start_play(session, run, run.step_index, problem)
        if self._shown_phase.get(key) != current:
            self._shown_phase[key] = current
            await self.redraw(session, run, run.step_index)

    async def step_ended(self, session: SessionRecord, run: RunRecord, step_index: int) -> None:
        """Step `step_index` of `run` ended: its playback stops and what was kept about it goes."""
        key = (run.id, step_index)
        step = self.bot.runner.step_at(run, step_index)
        if isinstance(step, ListenStep):
            await self.service.end_play(run.id, step_index)
            await self.voice.step_ended(session.guild_id, key)
        self.forget(key)

    async def redraw(self, session: SessionRecord, run: RunRecord, step_index: int) -> None:
        """Edit a live step's message to show its current state."""
        fresh = await self.service.run(run.id)
        if fresh is None or fresh.step_message_id is None or fresh.step_index != step_index:
            return
        scene = await self.bot.live.scene(session, fresh, step_index)
        payload = self.bot.live.presenter(scene.step.type).render(scene)
        await self.bot.live.edit(
            session,
            fresh.step_message_id,
            payload,
            what=step_card(scene.step.type),
        )

    async def _redraw_key(self, session: SessionRecord, key: Key) -> None:
        run = await self.service.run(key[0])
        if run is not None and run.live and run.step_index == key[1]:
            await self.redraw(session, run, key[1])

    async def refresh_live_vote(self, session: SessionRecord) -> None:
        """The playlist changed: re-draw a running playlist vote so it shows the new list."""
        run = await self.bot.runner.live_run(session.id)
        if run is None:
            return
        step = self.bot.runner.step(run)
        if isinstance(step, VoteStep) and step.choose_from == "playlist":
            await self.redraw(session, run, run.step_index)

    # ----------------------------------------------------------------- voice

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """After a (re)start: join again and resume each piece where it should be now."""
        for session in await self.bot.sessions.all_open():
            run = await self.service.live_run_of(session.id)
            if run is not None:
                await self.voice.ensure(session, run)

    @commands.Cog.listener()
    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        """Members joining or leaving the voice channel of a playing step: the card is redrawn."""
        me = self.bot.user
        if me is not None and member.id == me.id:
            await self.voice.bot_moved(member, before, after)
        else:
            await self.voice.member_moved(member, before, after)

    # ------------------------------------------------------------ components

    async def on_react(self, interaction: discord.Interaction, item: ReactButton) -> None:
        """A reaction pressed under a listen step: saved, privately confirmed."""
        session, _run, step = await self.service.live_step(item.run_id, item.step_index)
        assert isinstance(step, ListenStep)
        await attendance.ensure_joined(interaction, session)
        outcome = await self.service.react(
            session, item.run_id, item.step_index, interaction.user.id, item.choice
        )
        reaction = step.reflection.reactions[item.choice]
        text = reaction_saved(reaction, outcome.replaced, member_language(interaction))
        await reply_ephemeral(interaction, text)
        await self.bot.live.after_contribution(session.id, outcome.update)

    async def on_reflect_form(
        self, interaction: discord.Interaction, form: ListenReflectFormId, values: FormValues
    ) -> None:
        """The reflection form submitted: saved (and shared when the member ticked Share)."""
        run_id, step_index = form.run_id, form.step_index
        session, _run, _step = await self.service.live_step(run_id, step_index)
        await attendance.ensure_joined(interaction, session)
        shared = values.flag("share")
        outcome = await self.service.reflect(
            run_id, step_index, interaction.user.id, values.text("answer"), shared
        )
        await reply_ephemeral(
            interaction,
            saved_text(False, shared, outcome.replaced, member_language(interaction)),
        )
        await self.bot.live.after_contribution(session.id, outcome.update)

    async def on_vote(self, interaction: discord.Interaction, item: VoteSelect) -> None:
        """A vote chosen at a vote step: saved (a second choice replaces the first)."""
        session, run, step = await self.service.live_step(item.run_id, item.step_index)
        assert isinstance(step, VoteStep)
        chosen = await self.service.choice(
            session, run, item.step_index, item.chosen, member_language(interaction)
        )
        await attendance.ensure_joined(interaction, session)
        outcome = await self.service.vote(item.run_id, item.step_index, interaction.user.id, chosen)
        await reply_ephemeral(
            interaction, vote_saved(chosen.label, outcome.replaced, member_language(interaction))
        )
        await self.bot.live.after_contribution(session.id, outcome.update)

    async def summary_lines(self, session: SessionRecord, locale: str) -> list[tuple[str, str]]:
        """The session summary's listening fields, in ``locale``: what was played and suggested."""
        plays, suggested = await self.service.summary(session)
        return summary_lines(plays, suggested, locale)


setup = cog_setup(ListeningCog)
