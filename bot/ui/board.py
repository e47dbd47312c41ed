"""The session board: one message per session, edited in place, never one post per action."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

import discord

from bot.core.checkins import K_MIN
from bot.core.steps import kind_named
from bot.core.text import shorten
from bot.i18n import _, ngettext
from bot.records.sessions import RunRecord, SessionRecord
from bot.ui.components import TypedButton, persistent_view
from bot.ui.format import (
    COLOUR_INFO,
    COLOUR_SESSION,
    field,
    name_list,
    plain_name,
    relative,
)


@dataclass(frozen=True, slots=True)
class ClosedState:
    """A closed session's limits and line, as the board shows them (counts, never names)."""

    capacity: int | None = None
    role_id: int | None = None
    invite_only: bool = False
    waiting: int = 0
    asking: int = 0

    def full(self, members: int) -> bool:
        """No place free for a newcomer (`members`: present besides the facilitator)."""
        return self.capacity is not None and (members >= self.capacity or self.waiting > 0)


@dataclass(frozen=True, slots=True)
class BoardState:
    """Everything the board shows, gathered by the presenter."""

    session: SessionRecord
    present: list[int]
    locale: str
    """The language of the board: the server's (bot/i18n/languages.py public_language)."""
    run: RunRecord | None = None
    activity_title: str | None = None
    step_title: str | None = None
    step_count: int = 0
    answered: int | None = None
    expected: int = 0
    step_kind: str = ""
    now: float = 0.0
    names: dict[int, str] = dataclass_field(default_factory=dict)
    voice_name: str | None = None
    closed: ClosedState | None = None
    step_fields: tuple[tuple[str, str], ...] = ()
    """(name, value) fields the current step's presenter adds (`board_fields`), e.g. who has
    the floor in a round."""


def _join_line(state: BoardState) -> str:
    """How to join, true to the session's limits."""
    closed, locale = state.closed, state.locale
    if closed is None:
        return _("Press **Join** to take part.", locale)
    rules = []
    if closed.role_id is not None:
        rules.append(
            _("Open to members with the {role} role.", locale, role=f"<@&{closed.role_id}>")
        )
    if closed.invite_only:
        rules.append(
            _("A closed group: press **Join** to ask the facilitator to let you in.", locale)
        )
    elif closed.full(_members(state)):
        rules.append(_("All places are taken: press **Join** to go on the waitlist.", locale))
    else:
        rules.append(_("Press **Join** to take part.", locale))
    return " ".join(rules)


def _members(state: BoardState) -> int:
    """Members present besides the facilitator (who leads and takes no place)."""
    return sum(1 for user_id in state.present if user_id != state.session.facilitator_id)


def _here_heading(state: BoardState) -> str:
    capacity = state.closed.capacity if state.closed else None
    if capacity is None:
        return _("Here now ({count})", state.locale, count=len(state.present))
    return _(
        "Here now ({count}): {taken} of {capacity} places taken",
        state.locale,
        count=len(state.present),
        taken=_members(state),
        capacity=capacity,
    )


def _line_text(closed: ClosedState, locale: str) -> str:
    parts = []
    if closed.waiting:
        parts.append(
            ngettext(
                "{count} waiting for a place", "{count} waiting for a place", closed.waiting, locale
            )
        )
    if closed.asking:
        parts.append(
            ngettext("{count} asking to join", "{count} asking to join", closed.asking, locale)
        )
    return ", ".join(parts)


def _time_line(state: BoardState) -> str:
    run, locale = state.run, state.locale
    if run is None:
        return _("No activity running", locale)
    if run.state == "paused":
        left = run.paused_remaining
        if not left:
            return _("⏸ Paused", locale)
        return _(
            "⏸ Paused, {minutes} min {seconds} s left",
            locale,
            minutes=int(left // 60),
            seconds=int(left % 60),
        )
    if run.step_deadline is None:
        return _("No time limit: the facilitator moves on", locale)
    if run.step_deadline <= state.now:
        return _("Time's up: waiting for the facilitator", locale)
    return _("Step ends {when}", locale, when=relative(run.step_deadline))


def _private_counts(kind_name: str) -> bool:
    """Whether the kind declares its counts private (`StepKind.private_counts`); a kind the
    registry doesn't know (any more) is taken as private."""
    try:
        return kind_named(kind_name).private_counts
    except KeyError:
        return True


def _answers_line(state: BoardState) -> str:
    answered = state.answered or 0
    if answered < K_MIN and _private_counts(state.step_kind):
        return _("fewer than {k} answered so far", state.locale, k=K_MIN)
    total = max(state.expected, answered)
    return ngettext(
        "{count} of {total} answered",
        "{count} of {total} answered",
        answered,
        state.locale,
        total=total,
    )


def board_embed(state: BoardState) -> discord.Embed:
    """The session board as an embed, worded in the state's locale: the activity and step, who is
    present, how many answered, a closed session's places."""
    session, locale = state.session, state.locale
    ended = session.status == "ended"
    facilitator = plain_name(state.names.get(session.facilitator_id)) or _("a facilitator", locale)
    embed = discord.Embed(
        title=shorten(f"🎶 {session.title}", 256),
        colour=COLOUR_INFO if ended else COLOUR_SESSION,
        description=(
            _("This session has ended. Thank you for being here.", locale)
            if ended
            else (
                _(
                    "Facilitated by **{facilitator}**. Press **Join** to take part.",
                    locale,
                    facilitator=facilitator,
                )
                if state.closed is None
                else _(
                    "Facilitated by **{facilitator}**. {how_to_join}",
                    locale,
                    facilitator=facilitator,
                    how_to_join=_join_line(state),
                )
            )
        ),
    )
    if session.voice_channel_id and not ended:
        voice = (
            f"🔊 {plain_name(state.voice_name)}"
            if state.voice_name
            else f"<#{session.voice_channel_id}>"
        )
        embed.add_field(name=_("Voice", locale), value=voice, inline=True)
    if not ended:
        embed.add_field(
            name=(
                _("Here now ({count})", locale, count=len(state.present))
                if state.closed is None or state.closed.capacity is None
                else _here_heading(state)
            ),
            value=field(name_list(state.present, state.names, locale=locale)),
            inline=False,
        )
        if state.closed is not None and _line_text(state.closed, locale):
            embed.add_field(
                name=_("Waitlist", locale), value=_line_text(state.closed, locale), inline=False
            )
    if state.run is None and not ended:
        embed.add_field(
            name=_("Activity", locale),
            value=_("No activity running. A facilitator starts one with /activity start.", locale),
            inline=False,
        )
    if state.run is not None and state.activity_title and not ended:
        step = (
            _(
                "Step {number} of {total}: **{title}**",
                locale,
                number=state.run.step_index + 1,
                total=state.step_count,
                title=state.step_title,
            )
            if state.step_title
            else ""
        )
        embed.add_field(
            name=_("Activity", locale),
            value=field(f"**{state.activity_title}**\n{step}"),
            inline=False,
        )
        embed.add_field(name=_("Time", locale), value=_time_line(state), inline=True)
        if state.answered is not None:
            embed.add_field(name=_("Answers", locale), value=_answers_line(state), inline=True)
        for name, value in state.step_fields:
            embed.add_field(name=shorten(name, 256), value=field(value), inline=False)
    embed.set_footer(
        text=_(
            "Your check-ins are private unless you choose to share them. /session status shows "
            "this privately.",
            locale,
        )
    )
    return embed


class BoardButton(TypedButton, spec="chorus:board:{action:word}:{session_id:int}"):
    """The board's controls: `action` is join, leave, manage (a closed session's waitlist and
    members, facilitators only), next, pause, resume, extend or stop."""

    action: str
    session_id: int


def board_view(state: BoardState) -> discord.ui.View | None:
    """The board's buttons for the state (Join, Leave, the facilitator's controls); None once the
    session has ended."""
    session, locale = state.session, state.locale
    if session.status == "ended":
        return None
    sid = session.id
    success, primary, danger = (
        discord.ButtonStyle.success,
        discord.ButtonStyle.primary,
        discord.ButtonStyle.danger,
    )
    items = [
        BoardButton.button(
            _("Join", locale), action="join", session_id=sid, style=success, emoji="👋", row=0
        ),
        BoardButton.button(_("Leave", locale), action="leave", session_id=sid, row=0),
    ]
    if state.closed is not None:
        items.append(
            BoardButton.button(
                _("Manage", locale), action="manage", session_id=sid, emoji="🗝", row=0
            )
        )
    run = state.run
    if run is not None:
        paused = run.state == "paused"
        items += [
            BoardButton.button(
                _("Next", locale), action="next", session_id=sid, style=primary, emoji="⏭", row=1
            ),
            BoardButton.button(
                _("Resume", locale) if paused else _("Pause", locale),
                action="resume" if paused else "pause",
                session_id=sid,
                emoji="▶" if paused else "⏸",
                row=1,
            ),
            BoardButton.button(
                _("+2 min", locale), action="extend", session_id=sid, emoji="⏱", row=1
            ),
            BoardButton.button(
                _("Stop", locale), action="stop", session_id=sid, style=danger, emoji="⏹", row=1
            ),
        ]
    return persistent_view(*items)
