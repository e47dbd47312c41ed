"""Why the bot can't play in a channel, and the facilitator's sentences for voice problems.

Each is a `VoiceUnavailable` carrying a catalogue sentence (English msgid) and its fields, worded
in the reader's language where it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.i18n import N_, format_list, gettext, ngettext
from bot.voice.player import VoiceChannelLike, VoiceUnavailable

FFMPEG_MISSING = N_(
    "I couldn't play the track in voice because FFmpeg isn't installed on the bot's computer. "
    "Members can still follow the text card; ask whoever runs the bot to install FFmpeg."
)
AUDIO_BROKE = N_(
    "The music stopped in voice before the end of the piece (the audio couldn't be read any "
    "further). Members can follow the card instead."
)
DISCONNECTED = N_(
    "I was disconnected from the voice channel in the middle of the piece, so the music "
    "stopped. Members can follow the card instead."
)
LOST_BEFORE_START = N_(
    "I lost the connection to {channel} before the piece started. Members can follow the link "
    "or text card instead."
)
NOT_STARTED = N_(
    "I couldn't start the track in voice ({error}). Members can follow the text card instead."
)
# Why a connection or a start failed, in members' words (discord.py's and FFmpeg's own texts are
# English and technical: they go to the log only).
TOOK_TOO_LONG = N_("it took too long")
VOICE_LIBRARIES_MISSING = N_("the bot's computer lacks the voice libraries")
NETWORK_FAILED = N_("the network connection to Discord's voice server failed")
VOICE_REFUSED = N_("Discord's voice connection refused")
FFMPEG_NOT_FOUND = N_("FFmpeg isn't installed on the bot's computer")
FILE_UNREADABLE = N_("the audio file couldn't be opened")
NOT_READY = N_("the voice connection wasn't ready")
FFMPEG_FAILED = N_("FFmpeg couldn't start")


def connect_reason(error: BaseException) -> str:
    """The catalogue text (msgid) that explains a failed voice connection to members."""
    text = str(error)
    if isinstance(error, TimeoutError) or not text:
        return TOOK_TOO_LONG
    if "PyNaCl" in text or "davey" in text or "opus" in text.lower():
        return VOICE_LIBRARIES_MISSING
    if isinstance(error, OSError):
        return NETWORK_FAILED
    return VOICE_REFUSED


def start_reason(error: BaseException) -> str:
    """The catalogue text (msgid) that explains why a piece couldn't start (FFmpeg or the
    voice client refused)."""
    text = str(error).lower()
    if "ffmpeg" in text and "not found" in text:
        return FFMPEG_NOT_FOUND
    if isinstance(error, FileNotFoundError | PermissionError | IsADirectoryError):
        return FILE_UNREADABLE
    if "not connected" in text or "already playing" in text:
        return NOT_READY
    return FFMPEG_FAILED


# Discord's own names of the permissions (as its settings show them, in each client language).
VIEW_CHANNEL = N_("View Channel")
CONNECT = N_("Connect")
SPEAK = N_("Speak")


class MissingVoicePermission(VoiceUnavailable):
    """The bot lacks voice permissions in a channel: their names (Discord's, translated) joined
    the language's way ("A and B", "A und B"), with the plural the count asks for."""

    def __init__(self, channel: str, permissions: Iterable[str]) -> None:
        self.channel = channel
        self.permissions = tuple(permissions)
        super().__init__(self.text(None))

    def text(self, locale: str | None) -> str:
        """The facilitator's sentence naming the missing permissions in `locale` (None: English)."""
        names = format_list([f"**{gettext(name, locale)}**" for name in self.permissions], locale)
        return ngettext(
            "I couldn't play the track in voice: I don't have the {names} permission in "
            "{channel}. Members can follow the link or text card instead; give me that "
            "permission to play in voice next time.",
            "I couldn't play the track in voice: I don't have the {names} permissions in "
            "{channel}. Members can follow the link or text card instead; give me those "
            "permissions to play in voice next time.",
            len(self.permissions),
            locale,
            names=names,
            channel=self.channel,
        )


def missing_permission(channel: VoiceChannelLike) -> MissingVoicePermission | None:
    """The voice permissions the bot lacks in `channel` (View Channel, Connect, Speak), as the
    error that names them, or None."""
    me = channel.guild.me
    perms = channel.permissions_for(me)
    wanted = (
        (VIEW_CHANNEL, perms.view_channel),
        (CONNECT, perms.connect),
        (SPEAK, perms.speak),
    )
    missing = [name for name, ok in wanted if not ok]
    if not missing:
        return None
    return MissingVoicePermission(channel.mention, missing)


def channel_problem(channel: VoiceChannelLike) -> VoiceUnavailable | None:
    """Why the bot can't play in `channel` (stage, permissions, full), as the error to raise
    (not raised here), or None."""
    if getattr(channel, "type", None) == discord.ChannelType.stage_voice:
        return VoiceUnavailable(
            N_(
                "I couldn't play the track: {channel} is a stage channel, where a bot has to be "
                "invited to speak. Members can follow the link or text card instead; choose an "
                "ordinary voice channel for the session to play files there."
            ),
            channel=channel.mention,
        )
    reason = missing_permission(channel)
    if reason is not None:
        return reason
    me = channel.guild.me
    limit = getattr(channel, "user_limit", 0) or 0
    members = list(getattr(channel, "members", []))
    inside = any(getattr(m, "id", None) == getattr(me, "id", 0) for m in members)
    full = bool(limit) and not inside and len(members) >= limit
    if full and not channel.permissions_for(me).move_members:
        return VoiceUnavailable(
            N_(
                "I couldn't play the track: {channel} is full ({limit} people, its user limit). "
                "Members can follow the link or text card instead; raise the limit or give me "
                "the **Move Members** permission so I can join a full channel."
            ),
            channel=channel.mention,
            limit=limit,
        )
    return None


# Why a session's piece wasn't heard in voice, found while it was to be played (the facilitator
# is told once; members follow the card).


def no_voice_channel(file: str) -> VoiceUnavailable:
    """The piece `file` is a file but the session has no voice channel."""
    return VoiceUnavailable(
        N_(
            "The piece {file} is a file, and this session has no voice channel, so it "
            "wasn't played; members followed the text card. Open the session with "
            "`/session start voice_channel:` to play files in voice."
        ),
        file=f"`{file}`",
    )


def voice_channel_gone() -> VoiceUnavailable:
    """The session's voice channel can't be found (deleted, or not a voice channel)."""
    return VoiceUnavailable(
        N_(
            "I couldn't find the session's voice channel, so the piece wasn't played "
            "in voice; members followed the text card."
        )
    )


def unexpected() -> VoiceUnavailable:
    """Playback failed for a reason nobody foresaw (the log has the traceback)."""
    return VoiceUnavailable(
        N_(
            "I couldn't play the track in voice because of an unexpected error (the "
            "bot's log has the details). Members can follow the link or text card "
            "instead."
        )
    )


def moved_away(channel_id: int, to_channel_id: int | None) -> VoiceUnavailable:
    """Someone disconnected the bot from `channel_id` (`to_channel_id` None) or moved it to
    another channel during the piece."""
    if to_channel_id is None:
        return VoiceUnavailable(
            N_(
                "Someone disconnected me from {channel} during the piece, so the music "
                "stopped; members follow the card instead. It plays in voice again at the "
                "next listening step."
            ),
            channel=f"<#{channel_id}>",
        )
    return VoiceUnavailable(
        N_(
            "Someone moved me from {channel} to {other} during the piece, so I stopped "
            "the music there; members follow the card instead."
        ),
        channel=f"<#{channel_id}>",
        other=f"<#{to_channel_id}>",
    )
