"""Embeds for the media library and the session playlist."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.core.text import shorten
from bot.store.media import NominationRecord, TrackRecord
from bot.ui.format import COLOUR_INFO, COLOUR_SESSION, DESCRIPTION_MAX, duration, plain_name


def nomination_line(
    n: NominationRecord, hidden_credit: frozenset[int], names: Mapping[int, str] | None = None
) -> str:
    line = f"`#{n.id}` **{n.title}**" + (f" — {n.artist}" if n.artist else "")
    if n.url:
        line += f" · [link]({n.url})"
    if n.user_id is None or n.user_id in hidden_credit:
        who = "someone"
    else:
        # A name, never a raw mention: inside an embed it shows as <@id> to many viewers.
        who = plain_name((names or {}).get(n.user_id)) or "a member"
    line += f"\n  suggested by {who}"
    if n.note:
        line += f": *{shorten(n.note, 200)}*"
    return line


def playlist_embed(
    title: str,
    nominations: Sequence[NominationRecord],
    *,
    facilitator: bool,
    hidden_credit: frozenset[int] = frozenset(),
    names: Mapping[int, str] | None = None,
) -> discord.Embed:
    if nominations:
        body = "\n".join(nomination_line(n, hidden_credit, names) for n in nominations)
    else:
        body = "Nothing here yet. Add a song with `/listen suggest`."
    embed = discord.Embed(
        title=shorten(f"🎵 Playlist · {title}", 256),
        description=shorten(body, DESCRIPTION_MAX),
        colour=COLOUR_SESSION,
    )
    hint = "Add a song with /listen suggest."
    if facilitator:
        hint += " Facilitators remove an entry with /listen remove and its #number."
    embed.set_footer(text=hint)
    return embed


def library_embed(tracks: Sequence[TrackRecord], other_files: Sequence[str]) -> discord.Embed:
    lines = []
    for t in tracks:
        length = f" · {duration(t.duration_seconds)}" if t.duration_seconds else ""
        lines.append(
            f"**{t.title}**" + (f" — {t.artist}" if t.artist else "") + f"{length}\n"
            f"  `file: {t.file_name}`"
        )
    if other_files:
        lines.append("\n**Other files in the media folder**")
        lines.extend(f"`{name}`" for name in other_files)
    embed = discord.Embed(
        title="🎼 Media library",
        description=shorten(
            "\n".join(lines) or "The library is empty. Add a file with `/listen upload`.",
            DESCRIPTION_MAX,
        ),
        colour=COLOUR_INFO,
    )
    embed.set_footer(text="Use a file in an activity with track: {title, artist, file: <path>}.")
    return embed
