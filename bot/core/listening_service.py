"""Shared listening as a service: the session playlist and its caps, the media library and
uploads, plays, and a member's reaction, reflection or vote on a listen or vote step.

No Discord here: the cogs turn these results into messages. Every refusal is a domain error
(bot.core.errors) whose text the member sees as it is.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.activities import localize
from bot.core.clock import Clock
from bot.core.errors import Conflict, InvalidInput, NotFound
from bot.core.listening import ResolvedTrack, set_tracks, step_track, suggestion_credit
from bot.core.media_library import MediaLibrary
from bot.core.run_updates import ContributionOutcome
from bot.core.runner import Runner
from bot.core.step_moves import RunChanged
from bot.core.step_service import StepService
from bot.core.step_state import StepState
from bot.core.steps.listen import PIECE, ListenState, ListenStep
from bot.core.steps.vote import (
    VoteChoice,
    VoteStep,
    fixed_choices,
    playlist_choices,
    previous_choices,
    vote_step_for,
    winner,
)
from bot.core.text import clean_member_text
from bot.i18n import N_
from bot.records.media import NewNomination, NewPlay, NominationRecord, PlayRecord
from bot.records.sessions import RunRecord, SessionRecord
from bot.store.media import MemberQuotaReached, PlaylistFull
from bot.store.store import Store

PLAYLIST_MAX = 25  # what one vote menu can hold
PER_MEMBER_MAX = 3
STEP_ENDED = N_("That step has ended.")

ShownName = Callable[[str | None], str]
"""A stored display name made safe to show (empty when there is nothing to show)."""


@dataclass(frozen=True, slots=True)
class Playlist:
    """The session's playlist as a member may see it."""

    nominations: list[NominationRecord]
    hidden_credit: frozenset[int]
    """Members who asked not to be credited."""
    names: dict[int, str]
    """Stored display names of the members who suggested songs (raw: the ui makes them inert)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A song for the playlist, cleaned: one-line title (1-100), artist, link, note."""

    title: str
    artist: str
    url: str | None
    note: str | None


def clean_link(url: str | None) -> str | None:
    """A member's link, or None; raises InvalidInput unless it is one web address."""
    link = (url or "").strip() or None
    if link is not None and (
        not link.lower().startswith(("https://", "http://")) or any(c.isspace() for c in link)
    ):
        raise InvalidInput(N_("The link must be a web address starting with https://."))
    return link


class ListeningService(StepService):
    def __init__(
        self,
        store: Store,
        clock: Clock,
        runner: Runner,
        media_dir: Path,
        shown_name: ShownName,
        server_language: Callable[[int], str],
    ) -> None:
        super().__init__(store, clock, runner, server_language)
        self.media = MediaLibrary(store, clock, media_dir)
        """The server's media library (uploads and the media folder's other files)."""
        self._shown_name = shown_name

    # ------------------------------------------------------------- the step

    async def live_run_of(self, session_id: int) -> RunRecord | None:
        """The session's live run, None when no activity is running."""
        return await self._store.runs.live_for_session(session_id)

    async def live_step(self, run_id: int, step_index: int) -> tuple[SessionRecord, RunRecord, Any]:
        """The run and its step, while the run is live at `step_index`.

        Raises Conflict when the step has ended, NotFound when the session is gone."""
        run = await self._store.runs.get(run_id)
        if run is None or not run.live or run.step_index != step_index:
            raise Conflict(STEP_ENDED)
        session = await self._session(run.session_id)
        return session, run, self._runner.step(run)

    async def _session(self, session_id: int) -> SessionRecord:
        session = await self.session(session_id)
        if session is None:
            raise NotFound(N_("That session no longer exists."))
        return session

    async def session(self, session_id: int) -> SessionRecord | None:
        """The session with this id, None when there is none."""
        return await self._store.sessions.get(session_id)

    # ------------------------------------------------------- what a card needs

    async def hidden_credit(self, guild_id: int, user_ids: Sequence[int | None]) -> frozenset[int]:
        """Those of `user_ids` who asked not to be credited."""
        hidden = set()
        for uid in {u for u in user_ids if u is not None}:
            member = await self._store.members.get(guild_id, uid)
            if member is not None and member.credit_opt_out:
                hidden.add(uid)
        return frozenset(hidden)

    async def _names(self, guild_id: int, user_ids: Sequence[int | None]) -> dict[int, str]:
        ids = sorted({u for u in user_ids if u is not None})
        return await self._store.members.names(guild_id, ids) if ids else {}

    async def choices_for(
        self, session: SessionRecord, run: RunRecord, step_index: int, locale: str
    ) -> list[VoteChoice]:
        """The choices of the vote step at `step_index`: its own (labels in ``locale``), the answers
        of the step before, or the session's playlist (credited by shown name, unless a member
        asked not to be)."""
        step = self._runner.step_at(run, step_index)
        assert isinstance(step, VoteStep)
        if step.options:
            return fixed_choices(step, locale)
        if step.choose_from == "previous":
            earlier = await self._store.contributions.for_step(run.id, step_index - 1)
            return previous_choices(earlier)
        nominations = await self._store.media.playlist(session.id)
        users = [n.user_id for n in nominations]
        hidden = await self.hidden_credit(session.guild_id, users)
        names = await self._names(session.guild_id, users)
        shown = {uid: name for uid, raw in names.items() if (name := self._shown_name(raw))}
        return playlist_choices(nominations, hidden, shown)

    async def resolve_track(
        self, session: SessionRecord, run: RunRecord, step_index: int
    ) -> ResolvedTrack | None:
        """The piece a listen step plays: its own, or the winner of the latest vote before it
        (its words in the server's language).

        A `from_vote` piece is decided once, while the step is the run's current one (its card
        is drawn as the step starts, so during the countdown), with its length (`_timed`), and
        kept in the run's step state (`ListenState.piece`, by the runner's compare-and-set,
        `Runner.decide_state`), so the card, the voice player and /listen name the same piece
        after a withdrawn vote, a /forget, a restart or a shard hand-over. A state without the
        key (stored before it existed, or a step not current) is decided from the votes as
        before; so is a run that ended (also meanwhile: its card still shows the piece) or
        kept changing in other processes."""
        step = self._runner.step_at(run, step_index)  # its pools as drawn
        assert isinstance(step, ListenStep)
        locale = self._server_language(session.guild_id)
        own = step_track(step, locale)
        if own is not None:
            return own
        piece = _stored_piece(run, step_index)
        if piece is not None:
            return await self._credited(session, piece)
        if not _current(run, step_index):
            return await self._vote_winner(session, run, step_index, locale)

        async def decide(live: RunRecord) -> ResolvedTrack | None:
            stored = _stored_piece(live, step_index)
            if stored is not None:
                return await self._credited(session, stored)  # decided meanwhile, elsewhere
            decided = await self._vote_winner(session, live, step_index, locale)
            if decided is not None and _current(live, step_index):
                state = StepState.shown(live).with_values({PIECE: decided.stored()})
                await self._runner.save_state(live, state)
            return decided

        try:
            async with self._runner.holding([run.id]):
                return await self._runner.decide_state(run.id, decide)
        except (NotFound, RunChanged):
            return await self._vote_winner(session, run, step_index, locale)

    async def _vote_winner(
        self, session: SessionRecord, run: RunRecord, step_index: int, locale: str
    ) -> ResolvedTrack | None:
        """The winner of the latest vote before the listen step at `step_index`, from the
        votes now (None: no vote before it, or no votes)."""
        activity = self._runner.definition(run)
        vote_index = vote_step_for(activity.steps, step_index)
        if vote_index is None:
            return None
        votes = await self._store.contributions.for_step(run.id, vote_index)
        top = winner(await self.choices_for(session, run, vote_index, locale), votes)
        if top is None or top.choice.track is None:
            return None
        return await self._timed(session.guild_id, top.choice.track)

    async def _timed(self, guild_id: int, piece: ResolvedTrack) -> ResolvedTrack:
        """The piece with its length (whole seconds, rounded up so the step never ends before
        the music): its own (a vote option's track's `duration`), else, for a file, the length
        the server's media library recorded for it at upload. A link suggested for the
        playlist has none (members don't give one): it stays untimed."""
        if piece.duration is not None or not piece.file:
            return piece
        for track in await self._store.media.tracks(guild_id):
            if track.file_name == piece.file and track.duration_seconds:
                return dataclasses.replace(piece, duration=math.ceil(track.duration_seconds))
        return piece

    async def _credited(self, session: SessionRecord, piece: ResolvedTrack) -> ResolvedTrack:
        """A stored piece with its suggester's credit as the vote showed it (none once they
        asked not to be credited, or after /forget nulled their id)."""
        uid = piece.suggested_by
        if uid is None or uid in await self.hidden_credit(session.guild_id, [uid]):
            return dataclasses.replace(piece, suggested_by=None) if uid is not None else piece
        names = await self._names(session.guild_id, [uid])
        shown = self._shown_name(names.get(uid))
        return dataclasses.replace(piece, credit=suggestion_credit(shown))

    # ------------------------------------------------------------ contributing

    async def react(
        self, session: SessionRecord, run_id: int, step_index: int, user_id: int, choice: int
    ) -> ContributionOutcome:
        """A member's reaction (its index among the step's reactions); replaces their earlier
        one. Its label is stored in the session's language (the runner's StepContext). Raises
        Conflict when the step has ended, NotFound when the run has, InvalidInput for an unknown
        reaction."""
        payload = {"reaction": choice}
        return await self._runner.contribute(run_id, step_index, user_id, "reaction", payload)

    async def reflect(
        self, run_id: int, step_index: int, user_id: int, text: str, shared: bool
    ) -> ContributionOutcome:
        """A member's reflection after the music (shared with the group at the end, or not).
        Raises Conflict when the step has ended, NotFound when the run has."""
        return await self._runner.contribute(
            run_id, step_index, user_id, "reflection", {"text": text, "shared": shared}
        )

    async def choice(
        self,
        session: SessionRecord,
        run: RunRecord,
        step_index: int,
        values: Sequence[str],
        locale: str,
    ) -> VoteChoice:
        """The vote choice a member picked from the menu's selected `values` (its label in
        ``locale``).

        Raises InvalidInput when nothing was picked or the choice has left the list."""
        if not values:
            raise InvalidInput(N_("Pick one of the choices in the menu."))
        choices = {c.key: c for c in await self.choices_for(session, run, step_index, locale)}
        chosen = choices.get(str(values[0]))
        if chosen is None:
            raise InvalidInput(N_("That choice is no longer on the list. Pick another one."))
        return chosen

    async def vote(
        self, run_id: int, step_index: int, user_id: int, chosen: VoteChoice
    ) -> ContributionOutcome:
        """A member's vote; it replaces their earlier one until the vote ends. Raises Conflict
        when the step has ended, NotFound when the run has."""
        return await self._runner.contribute(
            run_id, step_index, user_id, "vote", {"choice": chosen.key, "label": chosen.label}
        )

    # -------------------------------------------------------------- playlist

    def suggestion(
        self, title: str, artist: str | None, url: str | None, note: str | None
    ) -> Suggestion:
        """A member's song made safe to store. Raises InvalidInput (no title, not a web link)."""
        clean_title = clean_member_text(title, 100, single_line=True)
        if not clean_title:
            raise InvalidInput(N_("Give the song a title."))
        return Suggestion(
            title=clean_title,
            artist=clean_member_text(artist or "", 100, single_line=True),
            url=clean_link(url),
            note=clean_member_text(note or "", 200, single_line=True) or None,
        )

    async def suggest(
        self, session: SessionRecord, user_id: int, song: Suggestion
    ) -> NominationRecord:
        """Add a member's song to the session's playlist; the caps are checked in the same write
        as the insert, so two members adding the 25th song at once can't both get in.

        Raises Conflict when the playlist is full or the member already added their songs."""
        try:
            new = NewNomination(
                session_id=session.id,
                user_id=user_id,
                title=song.title,
                artist=song.artist,
                url=song.url,
                note=song.note,
            )
            return await self._store.media.add_nomination(
                new, self.now(), playlist_max=PLAYLIST_MAX, per_member_max=PER_MEMBER_MAX
            )
        except PlaylistFull as full:
            raise Conflict(
                N_("The playlist is full ({limit} songs). A facilitator can remove one."),
                limit=full.limit,
            ) from None
        except MemberQuotaReached as quota:
            raise Conflict(
                N_(
                    "You've already added {limit} songs; leave room for the others. A facilitator can remove one of yours if you'd like to swap."
                ),
                limit=quota.limit,
            ) from None

    async def playlist(self, session: SessionRecord) -> Playlist:
        """The session's playlist as members may see it: the entries not removed, who asked not to
        be credited, and the stored names of those who suggested songs."""
        nominations = await self._store.media.playlist(session.id)
        users = [n.user_id for n in nominations]
        return Playlist(
            nominations=nominations,
            hidden_credit=await self.hidden_credit(session.guild_id, users),
            names=await self._names(session.guild_id, users),
        )

    async def remove(self, session: SessionRecord, entry: int) -> NominationRecord:
        """Take entry #`entry` off the session's playlist. Raises NotFound when it isn't on it."""
        nomination = await self._store.media.nomination(entry)
        missing = NotFound(N_("There's no entry #{entry} on this session's playlist."), entry=entry)
        if nomination is None or nomination.session_id != session.id or nomination.removed_at:
            raise missing
        if not await self._store.media.remove_nomination(entry, self.now()):
            raise missing  # removed by someone else meanwhile
        return nomination

    # ----------------------------------------------------------------- plays

    async def play_for_step(self, run_id: int, step_index: int) -> PlayRecord | None:
        """The play recorded for a listen step (`step_index` in the run's activity), None before its
        countdown ended."""
        return await self._store.media.play_for_step(run_id, step_index)

    async def start_play(
        self, session: SessionRecord, run: RunRecord, step_index: int, voice_problem: str | None
    ) -> None:
        """Once per step, when the countdown ends: record the play and how it is heard (in
        voice unless `voice_problem` says why not, from the link, or from the text card).
        A repeat (also after a restart) keeps the first record."""
        if await self._store.media.play_for_step(run.id, step_index) is not None:
            return
        step = self._runner.step_at(run, step_index)
        assert isinstance(step, ListenStep)
        track = await self.resolve_track(session, run, step_index)
        locale = self._server_language(session.guild_id)
        title = track.title if track else localize(step.title, locale)
        if track is not None and step.then:  # a set: every piece, in order
            title = " · ".join([title, *(t.title for t in set_tracks(step, locale))])[:300]
        mode = "link" if track is not None and track.url else "text"
        note: str | None = None
        if track is not None and track.file:
            if voice_problem is None:
                mode, note = "voice", f"voice channel {session.voice_channel_id}"
            else:
                mode, note = "text", voice_problem[:300]
        play = NewPlay(
            session_id=session.id,
            run_id=run.id,
            step_index=step_index,
            title=title,
            artist=track.artist if track else "",
            url=track.url if track else None,
            file_name=track.file if track else None,
            nomination_id=track.nomination_id if track else None,
            mode=mode,
            note=note,
        )
        await self._store.media.record_play(play, self.now())

    async def fell_back_to_text(self, run_id: int, step_index: int, why: str) -> None:
        """Voice failed: a play recorded as heard in voice is now heard from the card."""
        played = await self._store.media.play_for_step(run_id, step_index)
        if played is not None and played.mode == "voice":
            await self._store.media.update_play(played.id, mode="text", note=why[:300])

    async def end_play(self, run_id: int, step_index: int) -> None:
        """Mark the step's play as ended now (once). Raises StorageUnavailable when the write can't
        be committed."""
        await self._store.media.end_play(run_id, step_index, self.now())

    async def summary(self, session: SessionRecord) -> tuple[list[PlayRecord], int]:
        """The pieces heard in the session and how many songs were suggested."""
        plays = await self._store.media.plays(session.id)
        nominations = await self._store.media.playlist(session.id)
        return plays, len(nominations)


def _current(run: RunRecord, step_index: int) -> bool:
    """True while step `step_index` is the live run's current one (its state is the step's)."""
    return run.step_index == step_index and run.live


def _stored_piece(run: RunRecord, step_index: int) -> ResolvedTrack | None:
    """The piece decided for listen step `step_index` and kept in the run's step state, while
    the step is current (None: undecided, or the step isn't current)."""
    if not _current(run, step_index):
        return None
    stored = StepState.shown(run).kind(ListenState).piece
    return ResolvedTrack.from_stored(stored) if stored is not None else None
