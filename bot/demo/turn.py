"""One member looking at one message: what a behaviour is given, and what the crowd shares."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import discord
from simcord.actors import MemberActor
from simcord.results import InteractionResult

from bot.demo.controls import Control, modal_fields
from bot.demo.reading import Reading
from bot.demo.words import Words


@dataclass
class CrowdState:
    """What the members of one crowd share: how they read and write (the server's language),
    which things each has done already (`done`), what each remembers between steps
    (`memory`, by member id; 0 is the group's, e.g. the song's lines) and the actions so far."""

    reading: Reading
    words: Words
    done: set[tuple[object, ...]] = field(default_factory=set)
    memory: dict[int, dict[str, Any]] = field(default_factory=dict)
    actions: int = 0


@dataclass
class Turn:
    """One member looking at one message, with the controls of one area on it."""

    crowd: CrowdState
    member: MemberActor
    message: discord.Message
    controls: list[Control]
    rng: random.Random
    marked: list[tuple[object, ...]] = field(default_factory=list)

    def once(self, *key: object) -> bool:
        """True the first time this member reaches `key`; later calls are False."""
        full = (self.member.id, *key)
        if full in self.crowd.done:
            return False
        self.crowd.done.add(full)
        self.marked.append(full)
        return True

    def first(self, action: str) -> Control | None:
        """The first enabled control of this area whose first argument is `action`."""
        return next((c for c in self.controls if c.args[:1] == [action] and not c.disabled), None)

    def chance(self, probability: float) -> bool:
        """True with `probability` (0 to 1), from the crowd's seeded random numbers."""
        return self.rng.random() < probability

    @property
    def memory(self) -> dict[str, Any]:
        """What this member remembers between steps (their mood, lines they have used)."""
        return self.crowd.memory.setdefault(self.member.id, {})

    async def click(self, control: Control) -> InteractionResult:
        """The member clicks `control` on the turn's message (counted as an action); discord's
        answer as simcord gives it."""
        self.crowd.actions += 1
        return await self.member.click(self.message, custom_id=control.custom_id)

    async def fill_modal(self, shown: InteractionResult, text: str, *, share: bool) -> None:
        """Answer every text input with `text` (cut to its limit) and tick boxes with `share`."""
        if shown.modal is None:
            return  # refused (an ephemeral explains why): nothing to fill in
        values: dict[str, Any] = {}
        for item in modal_fields(shown):
            if item.get("type") == discord.ComponentType.text_input.value:
                limit = int(item.get("max_length") or 4000)
                values[str(item["custom_id"])] = text[:limit]
            elif item.get("type") == discord.ComponentType.checkbox.value:
                values[str(item["custom_id"])] = share
        self.crowd.actions += 1
        await self.member.submit_modal(shown, values)
