"""The simulated members of one channel: they take part on their own, as real users, so a
session feels alive.

A `Crowd` looks at the newest messages in the session channel. For every button or menu whose
custom id is `chorus:<area>:...`, each member may act through the behaviour registered for that
area (`bot/demo/behaviours.py`). Choices come from a seeded random generator: the same seed and
the same starting database give the same session.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import InitVar, dataclass, field

import discord
from simcord.actors import MemberActor
from simcord.backend.errors import SetupError
from simcord.builders import ChannelHandle

from bot.demo.behaviours import BEHAVIOURS
from bot.demo.controls import Control, controls_of, embed_text, visible_to
from bot.demo.reading import Reading, reading
from bot.demo.turn import CrowdState, Turn
from bot.demo.words import WORDS

log = logging.getLogger("chorus.demo")


# How much longer than a tap an area's action takes: writing a few words, or a line of a song.
SLOWER = {"reflect": 3.0, "listenreflect": 3.0, "lyrics": 3.0}
# A breathe card says when the pattern ends ("... from <t:S:t> to <t:E:t>"): members follow
# the pattern and press Done near its end, as a person would, not seconds after it appears.
DONE_BEFORE_END = (0.0, 6.0)


def follows_until(
    message: discord.Message, area: str, cards: Reading | None = None
) -> float | None:
    """When a member doing what this message asks is done with it (UTC seconds), if it says."""
    if area != "breathe":
        return None
    found = (cards or reading("en")).pattern_end.search(embed_text(message))
    return float(found[1]) if found else None


@dataclass
class Crowd:
    """The simulated members of one channel, acting on the newest messages.

    `pace` is the (min, max) seconds a member takes to react to something new (longer to
    write, see SLOWER; a breathing pattern is followed to near its end); the live demo uses a
    few seconds, scripted runs (0, 0), which act at once. Times are read from `clock` (UTC
    seconds; the demo passes simcord's virtual clock), against when a message was posted or
    last edited. Each member's action holds `turns`, when given, so it never overlaps a click
    from the page or a tick of the clock.
    """

    channel: ChannelHandle
    members: InitVar[Sequence[MemberActor]]
    seed: int = 7
    pace: tuple[float, float] = (0.0, 0.0)
    lookback: int = 12
    strict: bool = False
    clock: Callable[[], float] = time.time
    turns: asyncio.Lock | None = None
    language: str = "en"
    # The members read the cards in the server's language, and write in it too.
    state: CrowdState = field(init=False)
    areas: dict[int, Collection[str] | None] = field(init=False, default_factory=dict)
    actors: list[MemberActor] = field(init=False, default_factory=list)

    def __post_init__(self, members: Sequence[MemberActor]) -> None:
        self.state = CrowdState(reading(self.language), WORDS.get(self.language, WORDS["en"]))
        for member in members:
            self.add(member)

    @property
    def actions(self) -> int:
        """How many clicks, selections and form submissions the members have made."""
        return self.state.actions

    def add(self, member: MemberActor, *, areas: Collection[str] | None = None) -> None:
        """Add someone who acts only in `areas` (all known areas when None)."""
        self.actors.append(member)
        self.areas[member.id] = areas

    def _rng(self, member: MemberActor, *key: object) -> random.Random:
        return random.Random(":".join(str(k) for k in (self.seed, member.name, *key)))

    def due(self, member: MemberActor, message: discord.Message, area: str) -> float:
        """When this member acts on this message (UTC seconds): after their own delay from
        when it was posted or last edited, and not before they have followed a pattern."""
        if self.pace == (0.0, 0.0):
            return float("-inf")
        seen = message.edited_at or message.created_at
        rng = self._rng(member, message.id, area, seen)
        at = seen.timestamp() + rng.uniform(*self.pace) * SLOWER.get(area, 1.0)
        until = follows_until(message, area, self.state.reading)
        if until is not None:
            at = max(at, until - rng.uniform(*DONE_BEFORE_END))
        return at

    def _ready(self, member: MemberActor, message: discord.Message, area: str) -> bool:
        return self.clock() >= self.due(member, message, area)

    async def step(self) -> int:
        """One look at the channel: every member acts on whatever is ready. Returns actions."""
        before = self.actions
        messages = [m for m in self.channel.history()[-self.lookback :] if m.components]
        for message in reversed(messages):
            by_area: dict[str, list[Control]] = {}
            for control in controls_of(message):
                by_area.setdefault(control.area, []).append(control)
            for area, controls in by_area.items():
                act = BEHAVIOURS.get(area)
                if act is None:
                    continue
                for member in self.actors:
                    allowed = self.areas.get(member.id)
                    if allowed is not None and area not in allowed:
                        continue
                    if not visible_to(message, member):
                        continue
                    if not self._ready(member, message, area):
                        continue
                    rng = self._rng(member, *controls[0].args[:3], area)
                    turn = Turn(self.state, member, message, controls, rng)
                    try:
                        async with self.turns or contextlib.nullcontext():
                            await act(turn)
                    except SetupError:
                        # Someone else's action is running: forget the attempt, retry next pass.
                        self.state.done.difference_update(turn.marked)
                        if self.strict:
                            raise
                        return self.actions - before
                    except Exception:
                        if self.strict:
                            raise
                        log.exception("%s could not act on %s", member.name, area)
        return self.actions - before

    async def settle(self, rounds: int = 40) -> int:
        """Scripted runs: act until nobody has anything left to do."""
        total = 0
        for _ in range(rounds):
            acted = await self.step()
            total += acted
            if not acted:
                break
        return total
