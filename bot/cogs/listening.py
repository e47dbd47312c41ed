"""Shared listening: /listen commands, reactions, reflections, votes, and voice playback.

The cog watches run updates (`live.add_observer`): before a listen or vote card is shown it
works out what the card needs from the store (the vote's choices, the piece a `from_vote` step
plays); after an update it starts the piece when the countdown ends (voice if it can, else the
link or text card), re-draws the card when the step's phase changes, and stops playback when the
step ends.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import secrets
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import ChorusBot
from bot.cogs import controls
from bot.cogs.access import is_facilitator, require_guild
from bot.cogs.errors import reply_ephemeral
from bot.core.activities import ListenStep, VoteStep, localize
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.listening import (
    COUNTDOWN,
    PLAYING,
    ResolvedTrack,
    human_seconds,
    phase,
    piece_at,
    piece_start,
    set_tracks,
    step_track,
    time_left,
)
from bot.core.media import (
    UPLOADS,
    MediaPathError,
    new_upload_name,
    probe_audio,
    readable_file,
    resolve_media_path,
)
from bot.core.runner import RunUpdate
from bot.core.text import clean_member_text
from bot.core.vote import (
    VoteChoice,
    fixed_choices,
    playlist_choices,
    previous_choices,
    vote_step_for,
    winner,
)
from bot.store.records import RunRecord, SessionRecord
from bot.ui import limits
from bot.ui.format import duration, plain_name, plural, sentence
from bot.ui.forms import ChorusForm, FormValues, send_form
from bot.ui.listening import library_embed, playlist_embed
from bot.ui.steps.listen import ListenPresenter
from bot.ui.steps.vote import VotePresenter
from bot.voice import Piece, VoiceChannelLike, VoiceUnavailable

log = logging.getLogger("chorus.listening")
NONE = discord.AllowedMentions.none()
Key = tuple[int, int]

PLAYLIST_MAX = 25  # what one vote menu can hold
PER_MEMBER_MAX = 3
AUDIO_SUFFIXES = {".mp3", ".ogg", ".opus", ".flac", ".wav", ".m4a", ".aac", ".mka", ".aiff"}


def _state(run: RunRecord) -> dict[str, Any]:
    try:
        loaded = json.loads(run.step_state or "{}")
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


REFLECT_FORM = "form_listen"


class ListenReflectForm(ChorusForm):
    """A short reflection after the music; the share box follows the step's default (private).

    The step's questions are shown whole above the box. Answered through its custom_id by
    `ListeningCog.on_reflect_form`, with no timeout."""

    def __init__(self, run_id: int, index: int, step: ListenStep) -> None:
        super().__init__("After the music", REFLECT_FORM, run_id, index)
        questions = [" ".join(localize(q).split()) for q in step.reflection.questions]
        answer: discord.ui.TextInput[ListenReflectForm] = discord.ui.TextInput(
            custom_id="answer",
            style=discord.TextStyle.paragraph,
            max_length=500,
            required=True,
            placeholder=limits.placeholder("A few words are plenty."),
        )
        if len(questions) > 1:
            # Several questions: all of them, whole, above the box (two blocks if need be).
            listed = "\n".join(f"• {q}" for q in questions)
            for block in limits.pieces(listed, limits.TEXT_DISPLAY)[:2]:
                self.add_item(discord.ui.TextDisplay(block))
            self.add_item(discord.ui.Label(text="Your reflection", component=answer))
        else:
            self.add_question(
                questions[0] if questions else "What did you notice?",
                answer,
                short_label="Your reflection",
            )
        share: discord.ui.Checkbox[ListenReflectForm] = discord.ui.Checkbox(
            custom_id="share", default=False
        )
        self.add_item(
            discord.ui.Label(
                text="Share with the group",
                description="Shown with your name when the step ends. Unticked: only you see it.",
                component=share,
            )
        )


class ListeningCog(commands.Cog):
    """The listen and vote steps, the session playlist and the media library."""

    listen = app_commands.Group(
        name="listen",
        description="Shared listening: the session playlist and the media library",
        guild_only=True,
    )

    def __init__(self, bot: ChorusBot) -> None:
        self.bot = bot
        bot.register_component("react", self.on_react)
        bot.register_component("listenreflect", self.on_reflect_button)
        bot.register_form(REFLECT_FORM, self.on_reflect_form, what="your reflection")
        bot.register_component("vote", self.on_vote)
        bot.live.add_observer(self)
        bot.sessions.add_summary_contributor(self.summary_lines)
        self._shown_phase: dict[Key, str] = {}
        self._voice_step: dict[int, Key] = {}  # guild id -> the step playing there
        bot.privacy.on_forget(self._forget_member)
        # guild id -> the task joining voice and starting the piece (off the timer path)
        self._voice_jobs: dict[int, tuple[Key, asyncio.Task[None]]] = {}
        self._voice_failed: dict[Key, str] = {}  # steps whose voice failed (told once)
        self._voice_left: set[Key] = set()  # steps whose channel emptied: no rejoining
        bot.voice.on_problem(self.on_voice_problem)

    async def cog_unload(self) -> None:
        for _, task in self._voice_jobs.values():
            task.cancel()
        self._voice_jobs.clear()

    # ------------------------------------------------------------- presenters

    @property
    def listen_cards(self) -> ListenPresenter:
        presenter = self.bot.live.presenters["listen"]
        assert isinstance(presenter, ListenPresenter)
        return presenter

    @property
    def vote_cards(self) -> VotePresenter:
        presenter = self.bot.live.presenters["vote"]
        assert isinstance(presenter, VotePresenter)
        return presenter

    # ------------------------------------------------------------ store reads

    async def hidden_credit(self, guild_id: int, user_ids: list[int | None]) -> frozenset[int]:
        hidden = set()
        for uid in {u for u in user_ids if u is not None}:
            member = await self.bot.store.members.get(guild_id, uid)
            if member is not None and member.credit_opt_out:
                hidden.add(uid)
        return frozenset(hidden)

    async def safe_names(self, guild_id: int, user_ids: list[int | None]) -> dict[int, str]:
        """Known display names, made inert for an embed (no markdown, no mentions)."""
        ids = sorted({u for u in user_ids if u is not None})
        names = await self.bot.store.members.names(guild_id, ids) if ids else {}
        return {uid: shown for uid, name in names.items() if (shown := plain_name(name))}

    async def choices_for(
        self, session: SessionRecord, run: RunRecord, index: int
    ) -> list[VoteChoice]:
        step = self.bot.runner.definition(run).steps[index]
        assert isinstance(step, VoteStep)
        if step.options:
            return fixed_choices(step)
        if step.choose_from == "previous":
            earlier = await self.bot.store.contributions.for_step(run.id, index - 1)
            return previous_choices(earlier)
        nominations = await self.bot.store.media.playlist(session.id)
        hidden = await self.hidden_credit(session.guild_id, [n.user_id for n in nominations])
        names = await self.safe_names(session.guild_id, [n.user_id for n in nominations])
        return playlist_choices(nominations, hidden, names)

    async def resolve_track(
        self, session: SessionRecord, run: RunRecord, index: int
    ) -> ResolvedTrack | None:
        """The piece a listen step plays: its own, or the winner of the latest vote before it."""
        activity = self.bot.runner.definition(run)
        step = activity.steps[index]
        assert isinstance(step, ListenStep)
        own = step_track(step)
        if own is not None:
            return own
        vote_index = vote_step_for(activity, index)
        if vote_index is None:
            return None
        votes = await self.bot.store.contributions.for_step(run.id, vote_index)
        top = winner(await self.choices_for(session, run, vote_index), votes)
        return top.choice.track if top is not None else None

    async def prepare(self, session: SessionRecord, run: RunRecord, index: int) -> None:
        """Put what a card needs (from the store) where its presenter looks."""
        step = self.bot.runner.definition(run).steps[index]
        key = (run.id, index)
        if isinstance(step, VoteStep):
            self.vote_cards.choices[key] = await self.choices_for(session, run, index)
        elif isinstance(step, ListenStep) and step.track == "from_vote":
            if key in self.listen_cards.tracks:
                return  # chosen when the step began: a later /forget or withdrawal keeps it
            track = await self.resolve_track(session, run, index)
            if track is not None:
                self.listen_cards.tracks[key] = track

    async def _forget_member(self, guild_id: int, user_id: int) -> None:
        """/forget: a piece they suggested plays on without their name; open votes on the
        playlist or on earlier answers are drawn again from the store (their nominations and
        answers are gone), and so is a card that credited them."""
        stripped: set[Key] = set()
        for key, track in list(self.listen_cards.tracks.items()):
            if track.suggested_by == user_id:
                self.listen_cards.tracks[key] = dataclasses.replace(
                    track, credit=None, suggested_by=None
                )
                stripped.add(key)
        for run in await self.bot.store.runs.all_live():
            key = (run.id, run.step_index)
            step = self.bot.runner.step(run)
            drawn_from_members = isinstance(step, VoteStep) and not step.options
            if key not in stripped and not drawn_from_members:
                continue
            session = await self.bot.store.sessions.get(run.session_id)
            if session is not None and session.guild_id == guild_id:
                await self.prepare(session, run, run.step_index)  # even if never posted
                await self.redraw(session, run, run.step_index)

    def forget(self, key: Key) -> None:
        self.vote_cards.choices.pop(key, None)
        self.listen_cards.tracks.pop(key, None)
        self.listen_cards.notes.pop(key, None)
        self._shown_phase.pop(key, None)
        self._voice_failed.pop(key, None)
        self._voice_left.discard(key)

    # -------------------------------------------------------------- observer

    async def before_update(self, session: SessionRecord, update: RunUpdate) -> None:
        run = update.run
        for index in (update.exited_step, update.entered_step):
            if index is not None:
                await self.prepare(session, run, index)

    async def after_update(self, session: SessionRecord, update: RunUpdate) -> None:
        if update.exited_step is not None:
            await self.step_ended(session, update.run, update.exited_step)
        if update.entered_step is not None:
            if update.run.live:
                await self.ensure_voice(session, update.run)
            return
        if update.exited_step is not None:
            return
        run = await self.bot.store.runs.get(update.run.id)
        if run is None or not run.live:
            return
        step = self.bot.runner.definition(run).steps[run.step_index]
        if not isinstance(step, ListenStep):
            return
        key = (run.id, run.step_index)
        if run.state == "paused":
            # A piece waiting to start would start at a stale second: it is re-planned on Resume.
            self._cancel_voice_job(session.guild_id, key)
            if self._voice_step.get(session.guild_id) == key:
                await self.bot.voice.pause(session.guild_id)
            if self._shown_phase.get(key) != "paused":
                # The card's countdown would run on while the music waits: show the pause.
                self._shown_phase[key] = "paused"
                await self.redraw(session, run, run.step_index)
            return
        if self._voice_step.get(session.guild_id) == key:
            await self.bot.voice.resume(session.guild_id)
        await self.ensure_voice(session, run)
        current = phase(_state(run))
        if current != COUNTDOWN:
            await self.start_play(session, run, run.step_index, step)
        if self._shown_phase.get(key) != current:
            self._shown_phase[key] = current
            await self.redraw(session, run, run.step_index)

    async def step_ended(self, session: SessionRecord, run: RunRecord, index: int) -> None:
        key = (run.id, index)
        step = self.bot.runner.definition(run).steps[index]
        if isinstance(step, ListenStep):
            await self.bot.store.media.end_play(run.id, index, self.bot.clock().timestamp())
            joining = self._cancel_voice_job(session.guild_id, key)
            if self._voice_step.get(session.guild_id) == key or joining:
                # Playing, or joined and waiting for the start (a step skipped in its
                # countdown): stop and leave either way.
                self._voice_step.pop(session.guild_id, None)
                await self.bot.voice.stop(session.guild_id)
        self.forget(key)

    async def redraw(self, session: SessionRecord, run: RunRecord, index: int) -> None:
        """Edit a live step's message to show its current state."""
        fresh = await self.bot.store.runs.get(run.id)
        if fresh is None or fresh.step_message_id is None or fresh.step_index != index:
            return
        await self.prepare(session, fresh, index)
        scene = self.bot.live.scene(session, fresh, index)
        payload = self.bot.live.presenter(scene.step.type).render(scene)
        await self.bot.live.edit(
            session, fresh.step_message_id, payload, what=f"the {scene.step.type} step card"
        )

    # --------------------------------------------------------------- playing

    async def start_play(
        self, session: SessionRecord, run: RunRecord, index: int, step: ListenStep
    ) -> None:
        """Once per step, when the countdown ends: record the play and how it is heard.

        A file plays in voice through the step's voice job (started when the step was
        entered); this only records it, so the timer path never waits on voice.
        """
        existing = await self.bot.store.media.play_for_step(run.id, index)
        if existing is not None:
            return  # already recorded (also after a restart; the voice job resumes the music)
        track = await self.resolve_track(session, run, index)
        title = track.title if track else localize(step.title)
        if track is not None and step.then:  # a set: every piece, in order
            title = " · ".join([title, *(t.title for t in set_tracks(step))])[:300]
        mode = "link" if track is not None and track.url else "text"
        note: str | None = None
        if track is not None and track.file:
            failed = self._voice_failed.get((run.id, index))
            if failed is None:
                mode, note = "voice", f"voice channel {session.voice_channel_id}"
            else:
                mode, note = "text", failed[:300]
        await self.bot.store.media.record_play(
            session_id=session.id,
            run_id=run.id,
            step_index=index,
            title=title,
            artist=track.artist if track else "",
            url=track.url if track else None,
            file_name=track.file if track else None,
            nomination_id=track.nomination_id if track else None,
            mode=mode,
            note=note,
            now=self.bot.clock().timestamp(),
        )

    # ----------------------------------------------------------------- voice

    async def ensure_voice(self, session: SessionRecord, run: RunRecord) -> None:
        """Start the voice job of a running listen step that plays a file, unless it runs.

        Called when the step is entered (so the bot joins during the countdown), on every
        update (Resume re-plans the start), and after a restart (the piece resumes where it
        should be now).
        """
        index = run.step_index
        step = self.bot.runner.definition(run).steps[index]
        if not isinstance(step, ListenStep) or run.state != "running":
            return
        key = (run.id, index)
        guild_id = session.guild_id
        if self._voice_step.get(guild_id) == key or key in self._voice_failed:
            return
        if key in self._voice_left:
            return
        job = self._voice_jobs.get(guild_id)
        if job is not None and job[0] == key and not job[1].done():
            return
        state = _state(run)
        if phase(state) not in (COUNTDOWN, PLAYING):
            return
        own = step_track(step)
        if own is not None and not own.file:
            return  # a link or text card: nothing for voice (and no store reads per update)
        track = own or await self.resolve_track(session, run, index)
        if track is None or not track.file:
            return
        files = [(t.file, t.duration) for t in [track, *set_tracks(step)] if t.file]
        played = await self.bot.store.media.play_for_step(run.id, index)
        if played is not None and played.mode != "voice":
            return  # it fell back to the card earlier: that stays the honest story
        start_at = piece_start(state)
        if start_at is None:
            return
        self._cancel_voice_job(guild_id)
        task = asyncio.create_task(
            self._voice_job(session, key, files, start_at, step.volume),
            name=f"chorus-voice-{key}",
        )
        self._voice_jobs[guild_id] = (key, task)

    def _cancel_voice_job(self, guild_id: int, key: Key | None = None) -> bool:
        """Cancel the guild's voice job (for `key` only, if given); True if there was one."""
        job = self._voice_jobs.get(guild_id)
        if job is None or (key is not None and job[0] != key):
            return False
        self._voice_jobs.pop(guild_id, None)
        if job[1] is not asyncio.current_task():  # a job failing tidies up after itself
            job[1].cancel()
        return not job[1].done()

    def _voice_channel(self, session: SessionRecord, file: str) -> VoiceChannelLike:
        if session.voice_channel_id is None:
            raise VoiceUnavailable(
                f"The piece `{file}` is a file, and this session has no voice channel, so it "
                "wasn't played; members followed the text card. Open the session with "
                "`/session start voice_channel:` to play files in voice."
            )
        channel = self.bot.get_channel(session.voice_channel_id)
        if not isinstance(channel, discord.VoiceChannel | discord.StageChannel):
            raise VoiceUnavailable(
                "I couldn't find the session's voice channel, so the piece wasn't played "
                "in voice; members followed the text card."
            )
        return channel

    async def _voice_job(
        self,
        session: SessionRecord,
        key: Key,
        files: list[tuple[str, int | None]],
        start_at: float,
        volume: float,
    ) -> None:
        """Join the voice channel now, start the piece (or set) at `start_at`; any problem
        falls back to the card."""
        try:
            channel = self._voice_channel(session, files[0][0])
            pieces = []
            for file, seconds in files:
                path = resolve_media_path(self.bot.settings.media_dir, file)
                if not readable_file(path):
                    raise VoiceUnavailable(
                        f"I couldn't read `{file}` in the media folder, so it wasn't played in "
                        "voice; members followed the text card. Check the file is there and "
                        "readable (see /listen library)."
                    )
                pieces.append(Piece(path, seconds))
            await self.bot.voice.connect(channel)
            await self.bot.voice.play(channel, pieces, start_at=start_at, volume=volume)
        except (VoiceUnavailable, MediaPathError) as problem:
            log.info("voice playback fell back to text in session %s: %s", session.id, problem)
            await self.voice_failed(session, key, problem.message)
            return
        except Exception:
            log.exception("voice playback failed in session %s", session.id)
            await self.voice_failed(
                session,
                key,
                "I couldn't play the track in voice because of an unexpected error (the bot's "
                "log has the details). Members can follow the link or text card instead.",
            )
            return
        finally:
            job = self._voice_jobs.get(session.guild_id)
            if job is not None and job[0] == key and job[1] is asyncio.current_task():
                self._voice_jobs.pop(session.guild_id, None)
        self._voice_step[session.guild_id] = key
        self.listen_cards.notes[key] = (
            f"🔊 Playing now in <#{session.voice_channel_id}>. Join the voice channel to listen."
        )
        await self._redraw_key(session, key)

    async def _redraw_key(self, session: SessionRecord, key: Key) -> None:
        run = await self.bot.store.runs.get(key[0])
        if run is not None and run.live and run.step_index == key[1]:
            await self.redraw(session, run, key[1])

    async def voice_failed(self, session: SessionRecord, key: Key, message: str) -> None:
        """Fall back to the card: one message to the facilitator per step, the card says so."""
        if key in self._voice_failed:
            return
        self._voice_failed[key] = message
        if session.voice_channel_id is None:
            self.listen_cards.notes[key] = "Follow the card below while the group listens."
        else:
            self.listen_cards.notes[key] = (
                "Voice playback isn't available right now; follow the card below while the "
                "group listens."
            )
        joining = self._cancel_voice_job(session.guild_id, key)
        if self._voice_step.get(session.guild_id) == key or joining:
            self._voice_step.pop(session.guild_id, None)
            await self.bot.voice.stop(session.guild_id)
        played = await self.bot.store.media.play_for_step(*key)
        if played is not None and played.mode == "voice":
            await self.bot.store.media.update_play(played.id, mode="text", note=message[:300])
        await self.bot.live.tell_facilitator(session, message)
        await self._redraw_key(session, key)

    async def on_voice_problem(self, guild_id: int, message: str) -> None:
        """The player reports a break after the start (FFmpeg error, connection lost)."""
        key = self._voice_step.get(guild_id)
        if key is None:
            return
        run = await self.bot.store.runs.get(key[0])
        if run is None:
            return
        session = await self.bot.sessions.get(run.session_id)
        await self.voice_failed(session, key, message)

    def _voice_key(self, guild_id: int) -> Key | None:
        key = self._voice_step.get(guild_id)
        if key is None:
            job = self._voice_jobs.get(guild_id)
            key = job[0] if job is not None else None
        return key

    async def _bot_moved(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        """Someone disconnected or moved the bot while it played (or was about to)."""
        key = self._voice_key(member.guild.id)
        if key is None or before.channel is None or self.bot.voice.leaving(member.guild.id):
            return  # not playing, joining, or the player left by itself (the piece ended)
        if after.channel is not None and after.channel.id == before.channel.id:
            return  # mute, deafen: not a move
        run = await self.bot.store.runs.get(key[0])
        if run is None:
            return
        session = await self.bot.sessions.get(run.session_id)
        if before.channel.id != session.voice_channel_id:
            return  # our own move into the session's channel
        if after.channel is None:
            text = (
                f"Someone disconnected me from <#{before.channel.id}> during the piece, so the "
                "music stopped; members follow the card instead. It plays in voice again at "
                "the next listening step."
            )
        else:
            text = (
                f"Someone moved me from <#{before.channel.id}> to <#{after.channel.id}> during "
                "the piece, so I stopped the music there; members follow the card instead."
            )
        await self.voice_failed(session, key, text)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """After a (re)start: join again and resume each piece where it should be now."""
        for session in await self.bot.sessions.all_open():
            run = await self.bot.store.runs.live_for_session(session.id)
            if run is not None:
                await self.ensure_voice(session, run)

    @commands.Cog.listener()
    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        """Stop and leave when the last person leaves the channel the bot is playing in."""
        me = self.bot.user
        if me is not None and member.id == me.id:
            await self._bot_moved(member, before, after)
            return
        if member.bot or before.channel is None:
            return
        guild_id = member.guild.id
        playing_in = self.bot.voice.channel_of(guild_id)
        if playing_in is None or before.channel.id != playing_in:
            return
        if after.channel is not None and after.channel.id == playing_in:
            return
        if any(not m.bot for m in before.channel.members):
            return
        log.info("voice channel %s emptied; stopping playback", playing_in)
        key = self._voice_key(guild_id)
        if key is not None:
            self._voice_left.add(key)
        self._voice_step.pop(guild_id, None)
        self._cancel_voice_job(guild_id)
        await self.bot.voice.stop(guild_id)

    # ------------------------------------------------------------ components

    async def _live_step(self, run_id: int, index: int) -> tuple[SessionRecord, RunRecord, Any]:
        run = await self.bot.store.runs.get(run_id)
        if run is None or not run.live or run.step_index != index:
            raise Conflict("That step has ended.")
        session = await self.bot.sessions.get(run.session_id)
        return session, run, self.bot.runner.step(run)

    async def _after_contribution(self, session: SessionRecord, update: RunUpdate | None) -> None:
        self.bot.live.request_board(session.id)
        if update is not None:
            await self.bot.live.apply(update)

    async def on_react(self, interaction: discord.Interaction, args: list[str]) -> None:
        run_id, index, choice = int(args[0]), int(args[1]), int(args[2])
        session, _, step = await self._live_step(run_id, index)
        assert isinstance(step, ListenStep)
        await controls.ensure_joined(interaction, session)
        outcome = await self.bot.runner.contribute(
            run_id, index, interaction.user.id, "reaction", {"reaction": choice}
        )
        reaction = step.reflection.reactions[choice]
        shown = f"{reaction.emoji or ''} **{localize(reaction.label)}**".strip()
        verb = "changed your reaction to" if outcome.replaced else "reacted"
        await reply_ephemeral(
            interaction, f"Thank you, you {verb} {shown}. You can change it until the step ends."
        )
        await self._after_contribution(session, outcome.update)

    async def on_reflect_button(self, interaction: discord.Interaction, args: list[str]) -> None:
        run_id, index = int(args[0]), int(args[1])
        _, _, step = await self._live_step(run_id, index)
        assert isinstance(step, ListenStep)
        await send_form(interaction, ListenReflectForm(run_id, index, step))

    async def on_reflect_form(
        self, interaction: discord.Interaction, args: list[str], values: FormValues
    ) -> None:
        run_id, index = int(args[0]), int(args[1])
        await self.save_reflection(
            interaction, run_id, index, values.text("answer"), values.flag("share")
        )

    async def save_reflection(
        self, interaction: discord.Interaction, run_id: int, index: int, text: str, shared: bool
    ) -> None:
        session, _, _ = await self._live_step(run_id, index)
        await controls.ensure_joined(interaction, session)
        outcome = await self.bot.runner.contribute(
            run_id, index, interaction.user.id, "reflection", {"text": text, "shared": shared}
        )
        where = (
            "It will be shared with the group when the step ends."
            if shared
            else "It stays private."
        )
        verb = "updated" if outcome.replaced else "saved"
        await reply_ephemeral(interaction, f"💭 Thank you, your reflection is {verb}. {where}")
        await self._after_contribution(session, outcome.update)

    async def on_vote(self, interaction: discord.Interaction, args: list[str]) -> None:
        run_id, index = int(args[0]), int(args[1])
        session, run, step = await self._live_step(run_id, index)
        assert isinstance(step, VoteStep)
        data: Any = interaction.data or {}
        values = data.get("values") or []
        if not values:
            raise InvalidInput("Pick one of the choices in the menu.")
        choices = {c.key: c for c in await self.choices_for(session, run, index)}
        chosen = choices.get(str(values[0]))
        if chosen is None:
            raise InvalidInput("That choice is no longer on the list. Pick another one.")
        await controls.ensure_joined(interaction, session)
        outcome = await self.bot.runner.contribute(
            run_id,
            index,
            interaction.user.id,
            "vote",
            {"choice": chosen.key, "label": chosen.label},
        )
        verb = "is now" if outcome.replaced else "is"
        await reply_ephemeral(
            interaction,
            sentence(f"🗳️ Your vote {verb} **{chosen.label}**")
            + " You can change it while the vote is open.",
        )
        await self._after_contribution(session, outcome.update)

    async def refresh_live_vote(self, session: SessionRecord) -> None:
        """The playlist changed: re-draw a running playlist vote so it shows the new list."""
        run = await self.bot.runner.live_run(session.id)
        if run is None:
            return
        step = self.bot.runner.step(run)
        if isinstance(step, VoteStep) and step.choose_from == "playlist":
            await self.redraw(session, run, run.step_index)

    # ----------------------------------------------------------- /listen ...

    @listen.command(name="suggest", description="Add a song to this session's playlist")
    @app_commands.describe(
        title="The song's title",
        artist="Who made it (optional)",
        url="A link to it, starting with https:// (optional)",
        note="A line about why (optional)",
    )
    async def suggest(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 100],
        artist: app_commands.Range[str, 0, 100] | None = None,
        url: app_commands.Range[str, 0, 500] | None = None,
        note: app_commands.Range[str, 0, 200] | None = None,
    ) -> None:
        session = await controls.session_here(interaction)
        clean_title = clean_member_text(title, 100, single_line=True)
        if not clean_title:
            raise InvalidInput("Give the song a title.")
        link = (url or "").strip() or None
        if link is not None and (
            not link.lower().startswith(("https://", "http://")) or any(c.isspace() for c in link)
        ):
            raise InvalidInput("The link must be a web address starting with https://.")
        playlist = await self.bot.store.media.playlist(session.id)
        if len(playlist) >= PLAYLIST_MAX:
            raise Conflict(
                f"The playlist is full ({PLAYLIST_MAX} songs). A facilitator can remove one."
            )
        mine = [n for n in playlist if n.user_id == interaction.user.id]
        if len(mine) >= PER_MEMBER_MAX:
            raise Conflict(
                f"You've already added {PER_MEMBER_MAX} songs; leave room for the others. "
                "A facilitator can remove one of yours if you'd like to swap."
            )
        await controls.ensure_joined(interaction, session)
        nomination = await self.bot.store.media.add_nomination(
            session_id=session.id,
            user_id=interaction.user.id,
            title=clean_title,
            artist=clean_member_text(artist or "", 100, single_line=True),
            url=link,
            note=clean_member_text(note or "", 200, single_line=True) or None,
            now=self.bot.clock().timestamp(),
        )
        await reply_ephemeral(
            interaction,
            f"🎵 Added **{nomination.title}** to the playlist (entry #{nomination.id}). "
            "/listen playlist shows everything suggested so far.",
        )
        await self.refresh_live_vote(session)

    @listen.command(name="playlist", description="Show this session's playlist")
    async def playlist(self, interaction: discord.Interaction) -> None:
        session = await controls.session_here(interaction)
        nominations = await self.bot.store.media.playlist(session.id)
        hidden = await self.hidden_credit(session.guild_id, [n.user_id for n in nominations])
        names = await self.bot.store.members.names(
            session.guild_id, sorted({n.user_id for n in nominations if n.user_id is not None})
        )
        facilitator = is_facilitator(
            interaction.user, self.bot.guild_settings.for_guild(interaction.guild_id)
        )
        embed = playlist_embed(
            session.title, nominations, facilitator=facilitator, hidden_credit=hidden, names=names
        )
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NONE)

    @listen.command(name="remove", description="Remove an entry from the playlist (facilitators)")
    @app_commands.describe(entry="The entry's number, as /listen playlist shows it (#12 -> 12)")
    async def remove(self, interaction: discord.Interaction, entry: int) -> None:
        controls.facilitator_only(interaction)
        session = await controls.session_here(interaction)
        nomination = await self.bot.store.media.nomination(entry)
        if nomination is None or nomination.session_id != session.id or nomination.removed_at:
            raise NotFound(f"There's no entry #{entry} on this session's playlist.")
        await self.bot.store.media.remove_nomination(entry, self.bot.clock().timestamp())
        await reply_ephemeral(interaction, f"Removed **{nomination.title}** from the playlist.")
        await self.refresh_live_vote(session)

    @listen.command(name="now", description="What is playing and how long is left (facilitators)")
    async def now(self, interaction: discord.Interaction) -> None:
        controls.facilitator_only(interaction)
        session = await controls.session_here(interaction)
        run = await self.bot.runner.live_run(session.id)
        step = self.bot.runner.step(run) if run is not None else None
        if run is None or not isinstance(step, ListenStep):
            await reply_ephemeral(
                interaction, "Nothing is playing: the session isn't on a listening step."
            )
            return
        await reply_ephemeral(interaction, await self.now_playing(session, run, step))

    async def now_playing(self, session: SessionRecord, run: RunRecord, step: ListenStep) -> str:
        """One reply: the piece, where it is heard, and the time left."""
        index = run.step_index
        key = (run.id, index)
        track = await self.resolve_track(session, run, index)
        piece = (
            f"**{track.title}**" + (f" by {track.artist}" if track.artist else "")
            if track is not None
            else f"**{localize(step.title)}** (the piece is chosen by the vote)"
        )
        state = _state(run)
        current = phase(state)
        left = time_left(state, self.bot.clock().timestamp())
        pieces = [track, *set_tracks(step)] if track is not None and step.then else []
        duration = state.get("duration")
        if pieces and current == PLAYING and left is not None and duration:
            lengths = [float(t.duration or 0) for t in pieces]
            number, _ = piece_at(lengths, float(duration) - left)
            now_on = pieces[number]
            piece = f"Piece {number + 1} of {len(pieces)} of the set: **{now_on.title}**" + (
                f" by {now_on.artist}" if now_on.artist else ""
            )
        elif pieces:
            piece = f"A set of {len(pieces)} pieces, starting with {piece}"
        guild_id = session.guild_id
        failed = self._voice_failed.get(key)
        job = self._voice_jobs.get(guild_id)
        if track is None or not track.file:
            where = "Members play it from the link." if track and track.url else "Text card only."
        elif failed is not None:
            where = "Not in voice: " + failed
        elif self._voice_step.get(guild_id) == key:
            where = f"In voice in <#{session.voice_channel_id}>."
        elif job is not None and job[0] == key and not job[1].done():
            where = f"Joining <#{session.voice_channel_id}> for the start."
        else:
            where = "Not in voice."
        if run.state == "paused":
            timing = "Paused" + (f", {human_seconds(left)} left." if left else ".")
        elif current == COUNTDOWN:
            starts = state.get("wake_at")
            timing = (
                f"Starts <t:{int(starts)}:R>" if isinstance(starts, int | float) else "Starting"
            ) + (f"; {human_seconds(left)} until it ends." if left else ".")
        elif current == PLAYING:
            timing = f"{human_seconds(left)} left." if left is not None else "Playing."
        else:
            timing = "The piece has ended; the group is reflecting."
        volume = f" Volume {round(step.volume * 100)} %." if step.volume != 1.0 else ""
        return f"🎧 {piece}\n{timing}\n{where}{volume}"

    @listen.command(name="library", description="The audio files the bot can play in voice")
    async def library(self, interaction: discord.Interaction) -> None:
        guild_id, _ = require_guild(interaction)
        tracks = await self.bot.store.media.tracks(guild_id)
        known = {t.file_name for t in tracks}
        others = await asyncio.to_thread(self._other_files, known)
        await interaction.response.send_message(
            embed=library_embed(tracks, others), ephemeral=True, allowed_mentions=NONE
        )

    def _other_files(self, known: set[str | None]) -> list[str]:
        root = self.bot.settings.media_dir
        if not root.is_dir():
            return []
        found = []
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in AUDIO_SUFFIXES:
                relative = path.relative_to(root).as_posix()
                if relative not in known and not path.name.startswith("."):
                    found.append(relative)
            if len(found) >= 30:
                break
        return found

    @listen.command(name="upload", description="Add an audio file to the library (facilitators)")
    @app_commands.describe(
        file="An audio file (MP3, OGG, FLAC, WAV, M4A)",
        title="The piece's title (default: from the file's tags or name)",
        artist="Who made or performs it",
    )
    async def upload(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        title: app_commands.Range[str, 1, 100] | None = None,
        artist: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        guild_id, _ = require_guild(interaction)
        controls.facilitator_only(interaction)
        limit_mb = self.bot.settings.upload_max_mb
        if file.size > limit_mb * 1024 * 1024:
            raise InvalidInput(
                f"That file is {file.size / 1024 / 1024:.1f} MB; the limit is {limit_mb} MB. "
                "Try a shorter piece or a more compressed format (MP3 or OGG)."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        if len(data) > limit_mb * 1024 * 1024:
            raise InvalidInput(f"That file is larger than the {limit_mb} MB limit.")
        folder = self.bot.settings.media_dir / UPLOADS
        incoming = folder / f".incoming-{secrets.token_hex(8)}"
        await asyncio.to_thread(self._write, incoming, data)
        try:
            info = await probe_audio(incoming)
            if info is None:
                shown = clean_member_text(file.filename, 80, single_line=True)
                raise InvalidInput(
                    f"`{shown}` isn't an audio file I can play: I looked inside it, and found "
                    "no audio. Upload an MP3, OGG, FLAC, WAV or M4A file."
                )
            name = new_upload_name(info)
            final = resolve_media_path(self.bot.settings.media_dir, name)
            await asyncio.to_thread(incoming.rename, final)
        finally:
            if incoming.exists():
                await asyncio.to_thread(incoming.unlink)
        fallback = Path(file.filename).stem.replace("_", " ")
        piece = clean_member_text(title or info.title or fallback, 100, single_line=True)
        by = clean_member_text(artist or info.artist or "", 100, single_line=True)
        track = await self.bot.store.media.add_track(
            guild_id=guild_id,
            title=piece or "Untitled",
            artist=by,
            file_name=name,
            duration_seconds=info.duration,
            uploaded_by=interaction.user.id,
            now=self.bot.clock().timestamp(),
        )
        length = f" ({duration(info.duration)})" if info.duration else ""
        await reply_ephemeral(
            interaction,
            f"📥 Saved **{track.title}**"
            + (f" by {track.artist}" if track.artist else "")
            + f"{length} to the library as `{name}`. Use it in an activity's track with "
            f"`file: {name}`.",
        )

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    # --------------------------------------------------------------- summary

    async def summary_lines(self, session: SessionRecord) -> list[tuple[str, str]]:
        plays = await self.bot.store.media.plays(session.id)
        nominations = await self.bot.store.media.playlist(session.id)
        if not plays and not nominations:
            return []
        parts = []
        if plays:
            parts.append(
                plural(len(plays), "piece") + " heard: " + ", ".join(p.title for p in plays[:5])
            )
        if nominations:
            parts.append(plural(len(nominations), "song") + " suggested")
        return [("Listening", clean_member_text(" · ".join(parts), 1000))]


async def setup(bot: commands.Bot) -> None:
    assert isinstance(bot, ChorusBot)
    await bot.add_cog(ListeningCog(bot))
