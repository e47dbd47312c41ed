"""No user-facing English literal: every text a member reads goes through `_()`/`ngettext()`.

The catalogue tests (test_catalogue.py) prove that every *marked* text is extracted and
translated; this test proves that nothing the bot writes escapes the marking. It reads the source
of bot/cogs, bot/ui, bot/core and bot/voice with `ast` (nothing is imported or run) and fails on any string
literal with letters in it that reaches a user-facing sink without passing through a marking call:

- message content: ``send``/``send_message``/``reply``/``edit*``/followups and ``reply_ephemeral``;
- embeds: ``Embed(title=, description=)``, ``add_field(name=, value=)``, ``set_footer(text=)``,
  ``set_author(name=)`` and assignments to ``.title``/``.description``;
- components and forms: ``label=``, ``placeholder=``, ``SelectOption(description=)``, a modal's
  ``title`` (class keyword, constructor or ``super().__init__``), ``.label``/``.placeholder`` set,
  a form's ``Label(text=, description=)`` and ``TextDisplay``, and what ``register_form(what=)``
  names (worded later by the give-back reply, so an ``N_`` text is right there);
- refusals: the first argument of ``UserFacingError`` and every subclass of it in bot/, and
  every field it fills in (an ``N_`` text there is fine: the error path words it);
- Discord scheduled events: ``create_scheduled_event``/``edit`` ``name=``/``description=``;
- attachments' alt text ``File(description=)``, ``create_thread(name=)``, a channel's
  ``edit(topic=)``, a text input's ``default=`` and autocomplete ``Choice(name=)``;
- chart words: matplotlib axis labels, titles, texts and legend labels;
- activity-file problems (bot/core/yaml_marks.py, yaml_syntax.py, the loader, error_wording.py
  and the format's validators): the message of ``YamlProblem``, ``SyntaxProblem``,
  ``ActivityError`` and Chorus's YAML limits, and every field of a ``Wording`` or
  ``format_error`` (their templates are catalogued by keyword, and
  `test_every_worded_template_is_a_literal` holds them to literals the extractor can read).

A literal "reaches" a sink when it is in the sink's argument (through f-strings, ``+``, ``if``
expressions, ``join``), in a local or module constant the argument names (including what is
``append``-ed to it), or in a ``return`` of a function whose call is such an argument (followed
from function to function by name). Marked calls (``_``, ``gettext``, ``ngettext``, ``N_``) end the
search: what is inside them is in the catalogue.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot/cogs", "bot/ui", "bot/core", "bot/voice")
"""Folders (every .py file in them) and single files."""

ALLOWED = (
    # Discord markup around a value: mentions, timestamps (<t:123:R>), custom emoji.
    re.compile(r"<(@[!&]?|#|t:|a?:\w+:)[^>]*>"),
    re.compile(r":[tTdDfFR]>"),
    # Addresses: a link is the same in every language.
    re.compile(r"https?://\S+"),
)
"""Parts of a literal that are not words; what is left must have no letters."""
ALLOWED_TEXTS = frozenset(
    {
        # Drawn once in the chart process at start-up to load fonts; nobody ever sees it.
        "warm up",
        # Activity files' own notation, written the same in every language: durations as the
        # files write them (90s, 5m, 1h30m) and YAML's booleans.
        "0h",
        "0m",
        "0s",
        "true",
        "false",
        # /checkin now's scale values, typed as they are in every language (0-10, 1-5, sam).
        "sam",
    }
)

MARKING = frozenset(
    {"_", "gettext", "ngettext", "N_", "pgettext", "Wording", "plural", "format_error"}
)
WORDED = frozenset({"Wording", "plural", "format_error"})
"""Calls whose template is catalogued by keyword (bot/catalogue_tool.py) and worded for the
reader later: their fields are shown inside the text, so a field is a sink of its own."""
CONTENT_SINKS = {
    # function or method name: (positional indices, keywords) that carry text a member reads
    "send": ((0,), ("content",)),
    "send_message": ((0,), ("content",)),
    "reply": ((0,), ("content",)),
    "edit": ((), ("content", "topic")),
    "edit_message": ((), ("content",)),
    "edit_original_response": ((), ("content",)),
    "edit_original_message": ((), ("content",)),
    "reply_ephemeral": ((1,), ("content",)),
    "answer_deferred": ((), ("content",)),
    "add_field": ((), ("name", "value")),
    "insert_field_at": ((), ("name", "value")),
    "set_field_at": ((), ("name", "value")),
    "set_footer": ((), ("text",)),
    "set_author": ((), ("name",)),
    "Embed": ((), ("title", "description")),
    "SelectOption": ((), ("label", "description")),
    "create_scheduled_event": ((), ("name", "description")),
    "Modal": ((), ("title",)),
    # Attachments' alt text, threads' names, a form's pre-filled answer, autocomplete choices.
    "File": ((), ("description",)),
    "create_thread": ((), ("name",)),
    "TextInput": ((), ("default",)),
    "Choice": ((), ("name",)),
    # Chorus's own builders: a typed button's label, a link button's label, a form's title.
    "button": ((0,), ("label",)),
    "link_button": ((0,), ("label",)),
    "ChorusForm": ((0,), ("title",)),
    # A form's other texts: a label's text and description, text shown above the inputs.
    "Label": ((), ("text", "description")),
    "TextDisplay": ((0,), ("content",)),
    # Chart words (matplotlib): axis labels, titles, texts on the axes, legend labels.
    "set_ylabel": ((0,), ("ylabel",)),
    "set_xlabel": ((0,), ("xlabel",)),
    "set_title": ((0,), ("label",)),
    "suptitle": ((0,), ("t",)),
    "text": ((2,), ("s",)),
    "_message": ((1,), ()),
    # Activity-file problems a facilitator reads (worded in their language by the ui).
    "YamlProblem": ((3,), ("message",)),
    "SyntaxProblem": ((1,), ("message",)),
    "ActivityError": ((4,), ("message",)),
    "_ChorusLimit": ((1,), ("message",)),
}
EVERYWHERE = ("label", "placeholder")
"""Keywords that carry a member-read text in any call (buttons, selects, text inputs)."""
ATTRIBUTES = frozenset({"title", "description", "label", "placeholder", "content"})
"""Attributes that carry a member-read text when assigned (embed.title = ..., button.label)."""
REFUSAL_ROOTS = frozenset({"UserFacingError"})
WORDED_LATER_SINKS = {"register_form": ("what",)}
"""Keywords whose text the receiver words in the reader's language itself (`give_back` words
what a form held): an ``N_`` text is right there, an unmarked literal is a leak."""


@dataclass(frozen=True)
class Leak:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def has_words(text: str) -> bool:
    """Whether a literal (or a literal part of an f-string) holds letters outside markup."""
    if text in ALLOWED_TEXTS:
        return False
    for allowed in ALLOWED:
        text = allowed.sub("", text)
    return any(char.isalpha() for char in text)


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


class Source:
    """One scanned file: its tree, its functions and module constants by name."""

    def __init__(self, path: Path) -> None:
        self.path = path.relative_to(ROOT).as_posix()
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=self.path)
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def scope(self, node: ast.AST) -> ast.AST:
        """The function around a node (or the module)."""
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return node
        return self.tree


class Scan:
    """Finds every literal with words that reaches a sink unmarked, in the scanned files."""

    def __init__(self, files: list[Path]) -> None:
        self.sources = [Source(path) for path in files]
        self.functions: dict[str, list[tuple[Source, ast.AST]]] = {}
        self.constants: dict[str, list[tuple[Source, ast.expr]]] = {}
        self.refusals = set(REFUSAL_ROOTS)
        for source in self.sources:
            for node in ast.walk(source.tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    self.functions.setdefault(node.name, []).append((source, node))
            for stmt in source.tree.body:
                for target, value in _assignments(stmt):
                    self.constants.setdefault(target, []).append((source, value))
        self._find_refusal_classes()
        self.leaks: set[Leak] = set()
        self.nodes: list[tuple[Source, ast.expr]] = []
        """The leaking literals themselves (for tools that rewrite them)."""
        self._followed: set[tuple[str, int, bool]] = set()

    def _find_refusal_classes(self) -> None:
        classes = [
            node
            for source in self.sources
            for node in ast.walk(source.tree)
            if isinstance(node, ast.ClassDef)
        ]
        grew = True
        while grew:
            grew = False
            for cls in classes:
                bases = {_name(base) for base in cls.bases}
                if cls.name not in self.refusals and bases & self.refusals:
                    self.refusals.add(cls.name)
                    grew = True

    def run(self) -> set[Leak]:
        for source in self.sources:
            for _node, value, refusal in self._sinks(source):
                self.follow(source, value, translated_later=refusal)
        return self.leaks

    def _sinks(self, source: Source) -> Iterator[tuple[ast.AST, ast.expr, bool]]:
        """(sink node, the expression it shows, whether it is a refusal's text)."""
        for node in ast.walk(source.tree):
            if isinstance(node, ast.Call):
                name = _name(node.func)
                positions, keywords = CONTENT_SINKS.get(name or "", ((), ()))
                refusal = name in self.refusals
                if refusal:
                    positions = (0,)
                if name == "__init__":
                    keywords = ("title",)
                for keyword in node.keywords:
                    if keyword.arg in WORDED_LATER_SINKS.get(name or "", ()):
                        yield node, keyword.value, True
                for index in positions:
                    if index < len(node.args):
                        yield node, node.args[index], refusal
                # core never talks to Discord: a `label=` there is data the ui words later.
                anywhere = () if source.path.startswith("bot/core/") else EVERYWHERE
                # A Wording's (or format_error's) fields are shown inside its text.
                fields = name in WORDED
                for keyword in node.keywords:
                    if keyword.arg in (*keywords, *anywhere) or (fields and keyword.arg):
                        yield node, keyword.value, False
                    elif refusal and keyword.arg:
                        # A refusal's fields are shown inside its text: the error path words an
                        # N_ text there, but an English constant (a list of examples) stays English.
                        yield node, keyword.value, True
            elif isinstance(node, ast.ClassDef):
                for keyword in node.keywords:
                    if keyword.arg == "title":
                        yield node, keyword.value, False
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and target.attr in ATTRIBUTES
                        and node.value is not None
                    ):
                        yield node, node.value, False

    def follow(self, source: Source, value: ast.expr, translated_later: bool = False) -> None:
        """Report the literals in an expression that flows to a sink, following names and calls.

        ``translated_later``: the sink words the text itself (a refusal: the error path
        translates it), so a text marked with ``N_`` is fine there; anywhere else an ``N_`` text
        reaching a sink unwrapped by ``_()`` is shown in English, and is reported.
        """
        key = (source.path, id(value), translated_later)
        if key in self._followed:
            return
        self._followed.add(key)
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            if has_words(value.value):
                self.leaks.add(Leak(source.path, value.lineno, value.value))
                self.nodes.append((source, value))
        elif isinstance(value, ast.JoinedStr):
            # The f-string's own text, with each {value} as "0" (markup such as <t:{at}:R> stays
            # whole); the format spec ({when:%H:%M}) is not text; the values inside are followed.
            skeleton = "".join(
                "0" if isinstance(part, ast.FormattedValue) else str(part.value)
                for part in value.values
                if isinstance(part, ast.FormattedValue | ast.Constant)
            )
            if has_words(skeleton):
                self.leaks.add(Leak(source.path, value.lineno, skeleton))
                self.nodes.append((source, value))
            for part in value.values:
                if isinstance(part, ast.FormattedValue):
                    self.follow(source, part.value, translated_later)
        elif isinstance(value, ast.BinOp):
            self.follow(source, value.left, translated_later)
            self.follow(source, value.right, translated_later)
        elif isinstance(value, ast.IfExp):
            self.follow(source, value.body, translated_later)
            self.follow(source, value.orelse, translated_later)
        elif isinstance(value, ast.BoolOp):
            for each in value.values:
                self.follow(source, each, translated_later)
        elif isinstance(value, ast.List | ast.Tuple | ast.Set):
            for each in value.elts:
                self.follow(source, each, translated_later)
        elif isinstance(value, ast.ListComp | ast.GeneratorExp):
            self.follow(source, value.elt, translated_later)
        elif isinstance(value, ast.Dict):
            for each in value.values:
                self.follow(source, each, translated_later)
        elif isinstance(value, ast.Subscript | ast.Await | ast.Starred):
            self.follow(source, value.value, translated_later)
        elif isinstance(value, ast.Name):
            self._follow_name(source, value, translated_later)
        elif isinstance(value, ast.Attribute):
            # A module constant read through its module (ui.PASSED_STEP) or a class constant.
            for owner, constant in self.constants.get(value.attr, []):
                self.follow(owner, constant, translated_later)
        elif isinstance(value, ast.Call):
            self._follow_call(source, value, translated_later)

    def _follow_name(self, source: Source, name: ast.Name, translated_later: bool) -> None:
        scope = source.scope(name)
        found = False
        for node in ast.walk(scope):
            for target, assigned in _assignments(node):
                if target == name.id:
                    found = True
                    self.follow(source, assigned, translated_later)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == name.id
                and node.func.attr in ("append", "extend", "insert")
            ):
                found = True
                for arg in node.args:
                    self.follow(source, arg, translated_later)
        if not found:
            for owner, constant in self.constants.get(name.id, []):
                if owner is source:
                    self.follow(owner, constant, translated_later)

    def _follow_call(self, source: Source, call: ast.Call, translated_later: bool) -> None:
        name = _name(call.func)
        if name == "N_" and not translated_later:
            text = call.args[0] if call.args else call
            shown = str(text.value) if isinstance(text, ast.Constant) else "N_(...)"
            self.leaks.add(Leak(source.path, call.lineno, f"N_ without _(): {shown}"))
            return
        if name in MARKING:
            return
        if isinstance(call.func, ast.Attribute) and name in ("join", "format", "strip"):
            # "\n".join(lines): the separator and the joined parts both reach the sink.
            self.follow(source, call.func.value, translated_later)
            for arg in call.args:
                self.follow(source, arg, translated_later)
            return
        if name in ("str", "shorten", "fit", "truncate", "escape_markdown"):
            for arg in call.args[:1]:
                self.follow(source, arg, translated_later)
            return
        for owner, function in self.functions.get(name or "", []):
            for node in ast.walk(function):
                returned = isinstance(node, ast.Return) and node.value is not None
                if returned and owner.scope(node) is function:
                    assert isinstance(node, ast.Return) and node.value is not None
                    self.follow(owner, node.value, translated_later)


def _assignments(node: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield target.id, node.value
    elif (
        isinstance(node, ast.AnnAssign | ast.AugAssign)
        and node.value is not None
        and isinstance(node.target, ast.Name)
    ):
        yield node.target.id, node.value


def scanned_files() -> list[Path]:
    files = []
    for name in SCANNED:
        place = ROOT / name
        files.extend([place] if place.is_file() else sorted(place.rglob("*.py")))
    return files


def test_every_user_facing_literal_is_marked_for_the_catalogue() -> None:
    leaks = Scan(scanned_files()).run()
    shown = "\n".join(str(leak) for leak in sorted(leaks, key=lambda x: (x.path, x.line)))
    assert not leaks, (
        f"{len(leaks)} texts reach members without _()/ngettext() (wrap them, run "
        f"`make messages`, translate them in bot/locales/*/chorus.po):\n{shown}"
    )


def test_the_scan_finds_texts_in_each_kind_of_sink() -> None:
    # The detector itself, on a small module: every unmarked sink is found, marked ones are not.
    sample = """
import discord
from bot.i18n import _, N_
class Nope(UserFacingError): ...
PASSED = "You passed"
STOPPED = N_("Stopped")
REFUSED = N_("Refused")
TRY = "`friday` or `monday`"
def worded(n):
    return f"{n} songs"
async def handler(interaction, locale):
    await interaction.response.send_message("Saved!")
    await reply_ephemeral(interaction, PASSED)
    await interaction.followup.send(content=worded(3))
    embed = discord.Embed(title="Settings", description=_("Fine", locale))
    embed.add_field(name=_("Ok", locale), value="none")
    embed.set_footer(text="<t:1:R> " + "left")
    lines = []
    lines.append("a line")
    embed.description = "\\n".join(lines)
    discord.ui.Button(label="Go", custom_id="chorus:go")
    raise Nope("Not here")
    raise Nope(N_("Try {examples}"), examples=TRY)
    discord.File(buffer, filename="chart.png", description="Your mood chart")
    await channel.create_thread(name="Song ideas")
    discord.ui.TextInput(label=_("Line", locale), default="Write here")
    app_commands.Choice(name="Every week", value="weekly")
    await channel.edit(topic="Group sessions")
    bot.register_form(GoalForm, handler, what="your goal")
    bot.register_form(StepForm, handler, what=N_("your step"))
    discord.ui.Label(text="Your goal", description=_("Private", locale), component=box)
    discord.ui.TextDisplay("Read this first")
class Form(discord.ui.Modal, title="Your answer"): ...
async def fine(interaction, locale):
    raise Nope(N_("Fine {x}"), x=1, what=N_("the examples"))
    raise Nope(REFUSED)
    await reply_ephemeral(interaction, _(STOPPED, locale))
    await reply_ephemeral(interaction, STOPPED)
    await interaction.response.send_message(f"<@{interaction.user.id}> <t:{1}:R> 🎵")
"""
    path = ROOT / "tests" / "i18n" / "_sample_for_scan.py"
    path.write_text(sample, encoding="utf-8")
    try:
        found = {leak.text for leak in Scan([path]).run()}
    finally:
        path.unlink()
    assert found == {
        "Saved!",
        "You passed",
        "0 songs",
        "Settings",
        "none",
        "left",
        "a line",
        "Go",
        "Not here",
        "`friday` or `monday`",
        "Your answer",
        "Your mood chart",
        "Song ideas",
        "Write here",
        "Every week",
        "Group sessions",
        "your goal",
        "Your goal",
        "Read this first",
        "N_ without _(): Stopped",
    }


def worded_calls(files: list[Path]) -> Iterator[tuple[str, ast.Call]]:
    """Every ``Wording(...)``, ``Wording.plural(...)`` and ``format_error(...)`` call."""
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in WORDED:
                yield path.relative_to(ROOT).as_posix(), node


def unreadable_templates(files: list[Path]) -> list[str]:
    """Worded calls whose template the catalogue extractor can't read (not a plain literal)."""
    found = []
    for where, call in worded_calls(files):
        name = _name(call.func)
        texts = {"format_error": call.args[1:2], "plural": call.args[:2]}.get(
            name or "", call.args[:1]
        )
        if where == "bot/core/format_base.py" and name == "Wording":
            continue  # format_error hands its (keyword-extracted) template on
        if not texts or not all(
            isinstance(text, ast.Constant) and isinstance(text.value, str) for text in texts
        ):
            found.append(f"{where}:{call.lineno}: {ast.unparse(call)[:80]}")
    return found


def test_every_worded_template_is_a_literal() -> None:
    # A template held in a variable is never extracted, so it would be shown in English.
    files = sorted((ROOT / "bot").rglob("*.py"))
    assert not unreadable_templates(files)
    # The activity-file problems are worded this way: the guard covers them.
    calls = {where for where, _call in worded_calls(files)}
    assert {
        "bot/core/yaml_marks.py",
        "bot/core/yaml_compose.py",
        "bot/core/yaml_syntax.py",
        "bot/core/activity_loader.py",
        "bot/core/error_wording.py",
        "bot/core/activity_models.py",
        "bot/core/field_texts.py",
        "bot/core/steps/write.py",
    } <= calls


def test_the_scan_finds_unworded_activity_file_problems() -> None:
    sample = """
from bot.i18n import Wording
from bot.core.format_base import format_error
TEMPLATE = "must not be empty"
def problems(raw, exc, value, node, path):
    yield YamlProblem(1, 1, (), "file is not valid UTF-8 text")
    yield YamlProblem(1, 1, (), Wording("file is empty"))
    yield ActivityError("a.yaml", 1, 1, "", f"internal error: {exc!r}")
    yield SyntaxProblem(node, message="a tab is used for indentation")
    raise _ChorusLimit(node, f"nesting is deeper than {24} levels")
    raise format_error("version", "expected a version; got {got}{hint}", got=value, hint=" (quote it)")
    raise format_error("text", TEMPLATE)
    yield Wording("{problem} here", problem=Wording("fine"))
    yield Wording.plural("{count} more error", "{count} more errors", 3)
"""
    path = ROOT / "tests" / "i18n" / "_sample_for_worded_scan.py"
    path.write_text(sample, encoding="utf-8")
    try:
        found = {leak.text for leak in Scan([path]).run()}
        unreadable = unreadable_templates([path])
    finally:
        path.unlink()
    assert found == {
        "file is not valid UTF-8 text",
        "internal error: 0",
        "a tab is used for indentation",
        "nesting is deeper than 0 levels",
        " (quote it)",
    }
    assert len(unreadable) == 1 and "TEMPLATE" in unreadable[0]


def test_the_scan_covers_the_whole_interface() -> None:
    # A moved folder (or file) must not silently fall out of the scan.
    assert len(scanned_files()) > 100
    assert all((ROOT / name).exists() for name in SCANNED)
    assert ROOT / "bot" / "voice" / "refusals.py" in scanned_files()
    # Voice problems are refusals, so every text they carry is held to the catalogue.
    assert {"VoiceUnavailable", "MissingVoicePermission", "MediaPathError"} <= Scan(
        scanned_files()
    ).refusals
