"""A pytest plugin: every REST request the bot makes in the suite is held to Discord's limits.

simcord accepts some payloads Discord would refuse, so passing tests could hide messages that
production loses. This plugin wraps simcord's one HTTP chokepoint (`simcord.http.router.dispatch`,
which both discord.py's HTTP client and its webhook adapter go through) and checks each request:
messages (content, embeds, components, attachments), interaction responses (messages, modals,
autocomplete choices), scheduled events, and the synced command tree. A request over a limit
fails the test that sent it, with the path and the limit broken.

It also measures wall time from each interaction reaching the bot to the bot's first response
to it (Discord allows 3 s) and prints p50, p99, the worst and the slowest five in the terminal
summary. The target is 300 ms at p99 and 1 s at worst (issue 28). With
`CHORUS_FAIL_SLOW_REPLIES=1` an interaction answered after more than 1 s fails the test that
sent it; without it the summary only reports (a loaded developer machine is not the measure).

Limits and their sources: `bot/ui/limits.py`.
"""

from __future__ import annotations

import gc
import math
import os
import re
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import simcord.http.router as router
from pluggy import Result
from simcord.env import Env

from bot.ui import limits as L

Check = Callable[[str, Any], list[str]]


@dataclass
class Ledger:
    current: str = "(outside a test)"
    violations: list[tuple[str, str]] = field(default_factory=list)
    requests: int = 0
    started: dict[int, tuple[float, float, float, str, str]] = field(default_factory=dict)
    """interaction id -> (wall clock, process CPU time and GC time at dispatch, test, what)."""
    first_responses: list[tuple[float, float, float, str, str]] = field(default_factory=list)
    """(wall, CPU of this process, garbage collection, test, what) per interaction, seconds."""
    gc_seconds: float = 0.0
    """Time spent in Python's garbage collector so far (the suite's heap grows large)."""
    _gc_started: float = 0.0

    def on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_seconds += time.perf_counter() - self._gc_started

    def reported(self, test: str) -> list[str]:
        found = [v for t, v in self.violations if t == test]
        if os.environ.get(FAIL_SLOW_REPLIES) == "1":
            found += [
                f"{what}: first response after {wall * 1000:.0f} ms wall ({cpu * 1000:.0f} ms "
                f"CPU, {collected * 1000:.0f} ms GC), over the {SLOW_REPLY * 1000:.0f} ms budget"
                for wall, cpu, collected, t, what in self.first_responses
                if t == test and wall > SLOW_REPLY
            ]
        return found


FAIL_SLOW_REPLIES = "CHORUS_FAIL_SLOW_REPLIES"
SLOW_REPLY = 1.0
"""Seconds from an interaction reaching the bot to its first response: the worst allowed."""
REPLY_P99 = 0.3
"""The target for the suite's 99th percentile (reported, never failed on)."""


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share 0-1): at least `share` of them are <= it."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


LEDGER = Ledger()


# ---------------------------------------------------------------- checks


def _over(what: str, value: Any, limit: int) -> list[str]:
    if isinstance(value, str | list) and len(value) > limit:
        return [f"{what}: {len(value)} > {limit}"]
    return []


def check_embeds(where: str, embeds: Any) -> list[str]:
    if not isinstance(embeds, list):
        return []
    found = _over(f"{where}.embeds", embeds, L.EMBEDS_PER_MESSAGE)
    total = 0
    for n, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            continue
        at = f"{where}.embeds[{n}]"
        title, description = embed.get("title") or "", embed.get("description") or ""
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        found += _over(f"{at}.title", title, L.EMBED_TITLE)
        found += _over(f"{at}.description", description, L.EMBED_DESCRIPTION)
        found += _over(f"{at}.footer.text", footer, L.FOOTER_TEXT)
        found += _over(f"{at}.author.name", author, L.AUTHOR_NAME)
        fields = embed.get("fields") or []
        found += _over(f"{at}.fields", fields, L.EMBED_FIELDS)
        total += len(title) + len(description) + len(footer) + len(author)
        for m, item in enumerate(fields):
            name, value = item.get("name") or "", item.get("value") or ""
            found += _over(f"{at}.fields[{m}].name", name, L.FIELD_NAME)
            found += _over(f"{at}.fields[{m}].value", value, L.FIELD_VALUE)
            total += len(name) + len(value)
    if total > L.EMBED_TOTAL:
        found.append(f"{where}.embeds: {total} characters in total > {L.EMBED_TOTAL}")
    return found


def check_component(where: str, component: Any) -> list[str]:
    """One component of a message or a modal, and its children."""
    if not isinstance(component, dict):
        return []
    found = _over(f"{where}.custom_id", component.get("custom_id") or "", L.CUSTOM_ID)
    kind = component.get("type")
    if kind == 1:  # action row
        children = component.get("components") or []
        found += _over(f"{where}.components", children, L.BUTTONS_PER_ROW)
        for n, child in enumerate(children):
            found += check_component(f"{where}.components[{n}]", child)
    elif kind == 2:  # button
        found += _over(f"{where}.label", component.get("label") or "", L.BUTTON_LABEL)
    elif kind in (3, 5, 6, 7, 8):  # selects
        found += _over(
            f"{where}.placeholder", component.get("placeholder") or "", L.SELECT_PLACEHOLDER
        )
        options = component.get("options") or []
        found += _over(f"{where}.options", options, L.SELECT_OPTIONS)
        for n, option in enumerate(options):
            at = f"{where}.options[{n}]"
            found += _over(f"{at}.label", option.get("label") or "", L.OPTION_LABEL)
            found += _over(f"{at}.value", option.get("value") or "", L.OPTION_VALUE)
            found += _over(
                f"{at}.description", option.get("description") or "", L.OPTION_DESCRIPTION
            )
    elif kind == 4:  # text input
        found += _over(f"{where}.label", component.get("label") or "", L.TEXT_INPUT_LABEL)
        found += _over(
            f"{where}.placeholder", component.get("placeholder") or "", L.TEXT_INPUT_PLACEHOLDER
        )
        found += _over(f"{where}.value", component.get("value") or "", L.TEXT_INPUT_VALUE)
        for key in ("min_length", "max_length"):
            value = component.get(key)
            if isinstance(value, int) and not 0 <= value <= L.TEXT_INPUT_VALUE:
                found.append(f"{where}.{key}: {value} not in 0..{L.TEXT_INPUT_VALUE}")
    elif kind == 10:  # text display
        found += _over(f"{where}.content", component.get("content") or "", L.TEXT_DISPLAY)
    elif kind == 18:  # label
        found += _over(f"{where}.label", component.get("label") or "", L.LABEL_TEXT)
        found += _over(
            f"{where}.description", component.get("description") or "", L.LABEL_DESCRIPTION
        )
        found += check_component(f"{where}.component", component.get("component"))
    return found


def check_message(where: str, body: Any) -> list[str]:
    if not isinstance(body, dict):
        return []
    found = _over(f"{where}.content", body.get("content") or "", L.CONTENT)
    found += check_embeds(where, body.get("embeds"))
    rows = body.get("components") or []
    found += _over(f"{where}.components (action rows)", rows, L.ACTION_ROWS)
    for n, row in enumerate(rows):
        found += check_component(f"{where}.components[{n}]", row)
    return found


def check_modal(where: str, body: Any) -> list[str]:
    if not isinstance(body, dict):
        return []
    found = _over(f"{where}.title", body.get("title") or "", L.MODAL_TITLE)
    found += _over(f"{where}.custom_id", body.get("custom_id") or "", L.CUSTOM_ID)
    parts = body.get("components") or []
    found += _over(f"{where}.components", parts, L.MODAL_COMPONENTS)
    for n, part in enumerate(parts):
        found += check_component(f"{where}.components[{n}]", part)
    return found


def check_choices(where: str, choices: Any) -> list[str]:
    if not isinstance(choices, list):
        return []
    found = _over(f"{where}.choices", choices, L.AUTOCOMPLETE_CHOICES)
    for n, choice in enumerate(choices):
        found += _over(f"{where}.choices[{n}].name", choice.get("name") or "", L.CHOICE_NAME)
        value = choice.get("value")
        if isinstance(value, str):
            found += _over(f"{where}.choices[{n}].value", value, L.CHOICE_VALUE)
    return found


def _command_text(option: dict[str, Any]) -> int:
    size = len(option.get("name") or "") + len(option.get("description") or "")
    for choice in option.get("choices") or []:
        size += len(str(choice.get("name") or "")) + len(str(choice.get("value") or ""))
    return size + sum(_command_text(o) for o in option.get("options") or [])


def check_command(where: str, command: Any) -> list[str]:
    if not isinstance(command, dict):
        return []
    found = _over(f"{where}.name", command.get("name") or "", L.COMMAND_NAME)
    if command.get("type", 1) == 1:
        found += _over(
            f"{where}.description", command.get("description") or "", L.COMMAND_DESCRIPTION
        )
    options = command.get("options") or []
    found += _over(f"{where}.options", options, L.COMMAND_OPTIONS)
    found += _over(f"{where}.choices", command.get("choices") or [], L.AUTOCOMPLETE_CHOICES)
    for n, option in enumerate(options):
        found += check_command(f"{where}.options[{n}]", {**option, "type": 1})
    for n, choice in enumerate(command.get("choices") or []):
        found += _over(f"{where}.choices[{n}].name", choice.get("name") or "", L.CHOICE_NAME)
    return found


def check_commands(where: str, body: Any) -> list[str]:
    found: list[str] = []
    for n, command in enumerate(body if isinstance(body, list) else []):
        at = f"{where}[{n}:{command.get('name')}]"
        found += check_command(at, command)
        total = _command_text(command)
        if total > L.COMMAND_TOTAL:
            found.append(f"{at}: {total} characters in total > {L.COMMAND_TOTAL}")
    return found


def check_event(where: str, body: Any) -> list[str]:
    if not isinstance(body, dict):
        return []
    found = _over(f"{where}.name", body.get("name") or "", L.EVENT_NAME)
    found += _over(f"{where}.description", body.get("description") or "", L.EVENT_DESCRIPTION)
    location = (body.get("entity_metadata") or {}).get("location") or ""
    found += _over(f"{where}.entity_metadata.location", location, L.EVENT_LOCATION)
    return found


def check_files(where: str, files: list[Any]) -> list[str]:
    found: list[str] = []
    for item in files:
        fp = getattr(item, "fp", None)
        if fp is None or not hasattr(fp, "seek"):
            continue
        position = fp.tell()
        fp.seek(0, 2)
        size = fp.tell()
        fp.seek(position)
        name = getattr(item, "filename", None) or "?"
        if size > L.ATTACHMENT_BYTES:
            found.append(f"{where} file {name}: {size} bytes")
        if len(name) > L.FILE_NAME or not L.FILE_NAME_RULE.match(name):
            found.append(f"{where} file name {name!r} breaks bot.ui.limits.FILE_NAME_RULE")
    return found


# A number written with a grouping or decimal separator where Discord expects bare digits: a
# timestamp <t:…>, a mention <@…> <@&…> <#…> or a command mention </name:…> (i18n fills
# quantities the reader's way; ids, snowflakes and timestamps must never be).
SEPARATED_MARKUP = re.compile(r"<(?:t:|@[!&]?|#|/[^<>:\s]+:)-?\d+[.,\u00a0\u202f\u2009' ]\d")
# A custom id carrying a number written for people ("1.000", "1,000", "1 000").
SEPARATED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,\u00a0\u202f\u2009]\d{3})+(?!\d)")


def check_numbers(where: str, body: Any, key: str = "") -> list[str]:
    """Every string of a request body: Discord markup holds bare digits, custom ids hold no
    number written for people."""
    if isinstance(body, dict):
        return [p for k, v in body.items() for p in check_numbers(f"{where}.{k}", v, str(k))]
    if isinstance(body, list):
        return [p for n, v in enumerate(body) for p in check_numbers(f"{where}[{n}]", v, key)]
    if not isinstance(body, str):
        return []
    if key == "custom_id" and (hit := SEPARATED_NUMBER.search(body)):
        return [f"{where}: a localised number {hit[0]!r} in a custom id"]
    if hit := SEPARATED_MARKUP.search(body):
        return [f"{where}: a separator inside Discord markup {hit[0]!r}…"]
    return []


CALLBACK = re.compile(r"^/interactions/(\d+)/[^/]+/callback$")
MESSAGES = re.compile(
    r"^/(channels/\d+/messages(/\d+)?|webhooks/\d+/[^/]+(/messages/(@original|\d+))?)$"
)
COMMANDS = re.compile(r"^/applications/\d+(/guilds/\d+)?/commands(/\d+)?$")
EVENTS = re.compile(r"^/guilds/\d+/scheduled-events(/\d+)?$")


def check_request(method: str, path: str, body: Any, files: list[Any]) -> list[str]:
    where = f"{method} {path}"
    found = check_files(where, files)
    if method not in ("POST", "PATCH", "PUT"):
        return found
    found += check_numbers(where, body)
    if match := CALLBACK.match(path):
        del match
        if not isinstance(body, dict):
            return found
        kind, data = body.get("type"), body.get("data") or {}
        if kind in (4, 7):
            found += check_message(where, data)
        elif kind == 9:
            found += check_modal(where, data)
        elif kind == 8:
            found += check_choices(where, data.get("choices"))
        return found
    if MESSAGES.match(path):
        return found + check_message(where, body)
    if COMMANDS.match(path):
        return found + check_commands(where, body if method == "PUT" else [body])
    if EVENTS.match(path):
        return found + check_event(where, body)
    return found


# ---------------------------------------------------------------- wiring


def _describe(interaction: Any) -> str:
    name = getattr(interaction, "command_name", None)
    if name:
        return f"/{name}"
    return f"interaction type {getattr(interaction, 'type', '?')}"


@pytest.fixture(autouse=True, scope="session")
def _watch_simcord_http() -> Iterator[None]:
    real_dispatch = router.dispatch
    real_notify = Env._notify_dispatch_observers

    def dispatch(backend: Any, method: str, path: str, **kwargs: Any) -> Any:
        LEDGER.requests += 1
        body = kwargs.get("json")
        for problem in check_request(method, path, body, list(kwargs.get("files") or [])):
            LEDGER.violations.append((LEDGER.current, problem))
        if method == "POST" and (match := CALLBACK.match(path)):
            started = LEDGER.started.pop(int(match[1]), None)
            if started is not None:
                at, cpu, collected, test, what = started
                LEDGER.first_responses.append(
                    (
                        time.perf_counter() - at,
                        time.process_time() - cpu,
                        LEDGER.gc_seconds - collected,
                        test,
                        what,
                    )
                )
        return real_dispatch(backend, method, path, **kwargs)

    def notify(self: Env, interaction: Any) -> None:
        what = _describe(interaction)
        LEDGER.started[int(interaction.id)] = (
            time.perf_counter(),
            time.process_time(),
            LEDGER.gc_seconds,
            LEDGER.current,
            what,
        )
        real_notify(self, interaction)

    router.dispatch = dispatch
    gc.callbacks.append(LEDGER.on_gc)
    # The plugin wraps simcord's dispatch hook for the whole run (restored below).
    Env._notify_dispatch_observers = notify  # type: ignore[method-assign]
    try:
        yield
    finally:
        router.dispatch = real_dispatch
        gc.callbacks.remove(LEDGER.on_gc)
        Env._notify_dispatch_observers = real_notify  # type: ignore[method-assign]  # restore


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    LEDGER.current = item.nodeid


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Result[pytest.TestReport], None]:
    """A test whose requests broke a limit fails, with each broken limit named."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if call.when not in ("call", "teardown"):
        return
    found = LEDGER.reported(item.nodeid)
    fresh = found[item.stash.get(_REPORTED, 0) :]
    if not fresh:
        return
    item.stash[_REPORTED] = len(found)
    text = (
        "Requests Discord would refuse (see bot/ui/limits.py) or answered too late:\n"
        + "\n".join(f"  {v}" for v in fresh)
    )
    if report.failed:
        report.sections.append(("Discord limits", text))
        return
    report.outcome = "failed"
    report.longrepr = text


_REPORTED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    write = terminalreporter.write_line
    terminalreporter.section("Discord limits")
    write(
        f"{LEDGER.requests} REST requests checked against Discord's limits: "
        f"{len(LEDGER.violations)} violations"
    )
    for test, problem in LEDGER.violations[:20]:
        write(f"  {test}: {problem}")
    timed = sorted(LEDGER.first_responses, reverse=True)
    if timed:
        write(
            f"{len(timed)} interactions answered; slowest interaction to first response "
            "(wall time, Discord allows 3 s; this process's CPU time and garbage collection "
            "meanwhile):"
        )
        for seconds, cpu, collected, test, what in timed[:5]:
            write(
                f"  {seconds * 1000:7.0f} ms wall ({cpu * 1000:4.0f} ms CPU, "
                f"{collected * 1000:4.0f} ms GC)  {what}  {test}"
            )
        walls = [t[0] for t in timed]
        p50, p99 = percentile(walls, 0.5), percentile(walls, 0.99)
        slow = [t for t in timed if t[0] > SLOW_REPLY]
        write(
            f"  p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms (target < "
            f"{REPLY_P99 * 1000:.0f} ms: {'met' if p99 < REPLY_P99 else 'NOT met'}), worst "
            f"{walls[0] * 1000:.0f} ms; {len(slow)} of {len(timed)} over "
            f"{SLOW_REPLY:.0f} s wall"
            + (
                ""
                if os.environ.get(FAIL_SLOW_REPLIES) == "1"
                else f" (reported; {FAIL_SLOW_REPLIES}=1 fails them)"
            )
        )
    unanswered = list(LEDGER.started.values())
    if unanswered:
        write(f"{len(unanswered)} interactions never answered by an interaction callback")
