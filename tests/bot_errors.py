"""Which of the errors simcord caught in a test are failures, and where each came from.

A refusal (`bot.ui.errors.is_expected`: UserFacingError, NotFound, Conflict, StorageUnavailable,
Discord's 403 ...) is normal only where the one error path answers it: an interaction's handler
(a slash command through the command tree's `on_error`, a component or form through
`ComponentRoutes.route` / `route_form`), where the member gets a private reply. Escaping an event
listener (`on_voice_state_update`, `on_member_remove`, `on_raw_reaction_add`, ...), a task or a
timer's callback, the same refusal tells nobody: discord.py only logs it. So it fails the test,
like any unexpected error anywhere.

simcord records errors without saying where they came from; the origin is read from the error
itself: an app command's error is wrapped in discord.py's `AppCommandError`; a listener's
traceback starts in `Client._run_event` (whose `event_name` and `coro` name the event and the
listener); a component's or modal's in discord.py's view dispatch; anything else is a task's or a
timer callback's, named by the first of Chorus's own functions in its traceback.

Chorus's timers and background jobs (the deadline timer, the daily purge, the debouncer) catch
what they run and log it with its traceback at ERROR, so simcord never sees it: `LoggedRefusals`
collects such log lines of Chorus's own loggers that carry a refusal (a refusal is no bug: it is
handled where it is raised, or logged as what it is, at WARNING or below).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, FrameType, TracebackType
from typing import Literal

import discord
from discord import app_commands
from discord.ui.modal import Modal
from discord.ui.view import View, ViewStore

from bot.ui.errors import is_expected, unwrap

ROOT = Path(__file__).resolve().parent.parent
OUR_CODE = (str(ROOT / "bot"), str(ROOT / "tests"))

# Where discord.py catches what an interaction's component or modal callback raised.
INTERACTION_DISPATCH: frozenset[CodeType] = frozenset(
    {
        View._scheduled_task.__code__,
        Modal._scheduled_task.__code__,
        ViewStore.schedule_dynamic_item_call.__code__,
    }
)
LISTENER_DISPATCH = discord.Client._run_event.__code__
# The one listener that is an interaction's handler: forms are routed from it (`route_form`).
INTERACTION_EVENTS = frozenset({"on_interaction"})
# Chorus's own loggers: named "chorus..." or after their module ("bot....").
OUR_LOGGERS = ("chorus", "bot.")

Kind = Literal["interaction", "listener", "task"]


@dataclass(frozen=True)
class Origin:
    """Where an error was raised from: `kind` ("interaction": a command, component or form
    handler; "listener": a gateway event's listener; "task": a task or a timer's callback),
    `where` (e.g. "listener RoundCog._voice_moved for on_voice_state_update") and `raised_at`
    (the last line of Chorus's own code in its traceback, "bot/cogs/round.py:230"; "" when none)."""

    kind: Kind
    where: str
    raised_at: str


def _frames(error: BaseException) -> list[tuple[FrameType, int]]:
    traceback: TracebackType | None = error.__traceback__
    frames: list[tuple[FrameType, int]] = []
    while traceback is not None:
        frames.append((traceback.tb_frame, traceback.tb_lineno))
        traceback = traceback.tb_next
    return frames


def _ours(frame: FrameType) -> bool:
    return frame.f_code.co_filename.startswith(OUR_CODE)


def _place(frame: FrameType, line: int) -> str:
    return f"{Path(frame.f_code.co_filename).relative_to(ROOT)}:{line}"


def _name(coro: object) -> str:
    return str(getattr(coro, "__qualname__", None) or getattr(coro, "__name__", repr(coro)))


def origin_of(error: BaseException) -> Origin:
    """Where `error` (as simcord recorded it) came from; see the module's docstring."""
    inner = unwrap(error)
    frames = _frames(inner)
    ours = [(frame, line) for frame, line in frames if _ours(frame)]
    raised_at = _place(*ours[-1]) if ours else ""
    if isinstance(error, app_commands.AppCommandError):
        command = getattr(error, "command", None)
        name = getattr(command, "qualified_name", None)
        where = f"command /{name}" if name else "the command tree"
        return Origin("interaction", where, raised_at)
    for frame, _ in frames:
        if frame.f_code is LISTENER_DISPATCH:
            event = str(frame.f_locals.get("event_name", "?"))
            listener = _name(frame.f_locals.get("coro"))
            kind: Kind = "interaction" if event in INTERACTION_EVENTS else "listener"
            return Origin(kind, f"listener {listener} for {event}", raised_at)
        if frame.f_code in INTERACTION_DISPATCH:
            return Origin("interaction", "a component or form callback", raised_at)
    first = f"{ours[0][0].f_code.co_qualname}" if ours else "outside Chorus's code"
    return Origin("task", f"task or timer {first}", raised_at)


def failures(errors: Iterable[BaseException]) -> list[str]:
    """One line per error among `errors` (simcord's `Env.errors`) that fails a test: an
    unexpected error wherever it was raised, and a refusal anywhere but an interaction's handler.
    Each line names where the error came from and the error; [] when none fails."""
    found: list[str] = []
    for error in errors:
        origin = origin_of(error)
        at = f" (raised at {origin.raised_at})" if origin.raised_at else ""
        if not is_expected(error):
            found.append(f"unexpected error in {origin.where}{at}: {unwrap(error)!r}")
        elif origin.kind != "interaction":
            found.append(
                f"a refusal escaped {origin.where}{at}, where nobody is told: {unwrap(error)!r}"
                " (handle what its callees raise: log it and carry on, or tell the facilitator)"
            )
    return found


class LoggedRefusals(logging.Handler):
    """A logging handler (on the root logger, for the length of a test) keeping the records of
    Chorus's own loggers at ERROR or above whose traceback is a refusal (`is_expected`)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep `record` if it is one of those (never raises)."""
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and record.name.startswith(OUR_LOGGERS) and is_expected(error):
            self.records.append(record)

    def failures(self) -> list[str]:
        """One line per kept record: the logger, its message, where the refusal was raised and
        the refusal; [] when none was kept."""
        found = []
        for record in self.records:
            assert record.exc_info is not None and record.exc_info[1] is not None
            error = record.exc_info[1]
            origin = origin_of(error)
            at = f" (raised at {origin.raised_at})" if origin.raised_at else ""
            found.append(
                f"a refusal logged as an error by {record.name} ({record.getMessage()!r}){at}:"
                f" {unwrap(error)!r} (handle it where it is raised, or log it below ERROR)"
            )
        return found
