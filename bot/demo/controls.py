"""What a simulated member sees of a message: its buttons and menus, its text, a form's inputs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import discord
from simcord.actors import MemberActor
from simcord.results import InteractionResult


@dataclass(frozen=True)
class Control:
    """One interactive component of a message, reduced to what a member needs."""

    custom_id: str
    label: str
    kind: str  # "button" or "select"
    disabled: bool
    options: tuple[str, ...] = ()

    @property
    def area(self) -> str:
        """The legacy id's area (`chorus:<area>:...`), or '' for any other id."""
        parts = self.custom_id.split(":")
        return parts[1] if len(parts) > 1 and parts[0] == "chorus" else ""

    @property
    def args(self) -> list[str]:
        """The id's parts after the area."""
        return self.custom_id.split(":")[2:]


def flatten_components(components: Iterable[Any]) -> Iterable[Any]:
    """Every leaf component of `components`, action rows opened."""
    for component in components:
        children = getattr(component, "children", None)
        if children is not None:
            yield from flatten_components(children)
        else:
            yield component


def controls_of(message: discord.Message) -> list[Control]:
    """The message's buttons and menus that carry a custom id (link buttons have none)."""
    found = []
    for item in flatten_components(message.components):
        custom_id = getattr(item, "custom_id", None)
        if not custom_id:
            continue
        options = tuple(o.value for o in getattr(item, "options", ()) or ())
        kind = "select" if isinstance(item, discord.SelectMenu) else "button"
        label = str(getattr(item, "label", "") or getattr(item, "placeholder", "") or "")
        found.append(Control(custom_id, label, kind, bool(item.disabled), options))
    return found


def visible_to(message: discord.Message, member: MemberActor) -> bool:
    """A private (ephemeral) reply is seen only by the person whose action it answers; before,
    members tried each other's private buttons, failed, and never answered that step."""
    if not message.flags.ephemeral:
        return True
    metadata = message.interaction_metadata
    return metadata is not None and metadata.user.id == member.id


def embed_text(message: discord.Message) -> str:
    """Every embed's title, description and fields of `message` as one text, a line each."""
    parts = []
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


def question_of(message: discord.Message) -> str:
    """A step's question: the first bold line of its embed."""
    for embed in message.embeds:
        found = re.search(r"\*\*(.+?)\*\*", embed.description or "")
        if found:
            return found[1]
    return ""


def modal_fields(shown: InteractionResult) -> list[dict[str, Any]]:
    """The inputs of the modal a click opened, as raw component payloads (labels attached)."""
    found: list[dict[str, Any]] = []

    def walk(node: Any, label: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, label)
        elif isinstance(node, dict):
            own = str(node.get("label") or label)
            if "custom_id" in node and node.get("type") not in (1, 18):
                found.append({**node, "label": own})
            for key in ("components", "component"):
                if key in node:
                    walk(node[key], own)

    walk((shown.modal or {}).get("components", []), "")
    return found
