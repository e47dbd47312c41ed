"""Every public function of bot/ has a docstring (shapes, units, what it raises): every layer, the
entry points and the demo.

Public: a name without a leading underscore, defined at module level or as a method of a public
class (nested helpers and private classes are the module's own business). Properties count: they
are read like fields, and their docstring is the field's meaning.

What a public function raises itself is named in its docstring (`unnamed_raises`). The rule:
- counted: each `raise E(...)`, `raise E` or `raise E(...) from cause` in the function's own body
  (not in a nested function or class) that no enclosing `try` of the same function handles (an
  `except` naming E or one of its bases, or a bare `except`; a raise in a handler, `else` or
  `finally` is not handled by that same `try`);
- E is found from the raised expression: a class (`NotFound(...)`, `discord.Forbidden`), a call of
  a function of bot/ whose return annotation names exception classes (`changed_meanwhile(id)` ->
  Conflict; `VoiceUnavailable | None` -> VoiceUnavailable; a library's class counts when its name
  ends in Error or Exception: `format_error(...)` -> PydanticCustomError), or a local name bound
  in the same function to one of those (`missing = NotFound(...)`; `raise missing`);
- not counted: a bare `raise`, a raise of something given or caught (`raise exc`, a parameter or
  an `except ... as` name: the caller or the handler knows what it is) and `AssertionError`, which
  like `assert` guards what can't happen and is no part of the contract;
- named: the docstring has E's class name as a word, or the name of one of E's bases other than
  Exception and BaseException (`UserFacingError` names every refusal: NotFound, Conflict,
  InvalidInput, ...; `InvalidInput` names MediaPathError). Bases are read from bot/'s class
  statements and Python's built-in exceptions; a class from a library is taken as an Exception.

A time or a span given as a bare number says its unit (`unitless_times`): a public function's
parameter annotated `float` (or `float | None`) and named as a moment or a span (`now`, `at`,
`deadline`, `until`, `since`, `delay`, `timeout`, `interval`, `grace`, or ending in `_` and one of
those: `starts_at`, `step_deadline`), or its return when the function is so named, is explained
by its docstring, its class's or its module's ("Times are UTC timestamps in seconds.") with one
of: second, UTC, Unix, timestamp, epoch. Only floats: here an int so named is an id or minutes,
and a datetime carries its zone.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import simcord
from discord import app_commands

from tests.conftest import chorus_of

ROOT = Path(__file__).resolve().parent.parent
# Every package and module of bot/ (core and store first held; ui, cogs, voice, records, demo and
# the entry points since). A command callback's docstring is not its Discord description: every
# command names its `description=` (the catalogue extracts those), and a one-paragraph docstring
# gives discord.py's docstring parser no parameter descriptions to take.
LAYERS = ("bot",)

# Files other engineers are changing in this round; their owners write these docstrings. The lead
# removes an entry once its owner's work is merged (the test then holds that file too).
NOT_YET: set[str] = set()


Function = ast.FunctionDef | ast.AsyncFunctionDef


def public_functions(tree: ast.Module) -> Iterator[tuple[str, Function]]:
    """The public functions and methods of public classes (this module's rule of "public"), as
    (`Class.name` or `name`, node), in the order they are defined."""
    for node in tree.body:
        if isinstance(node, Function) and not node.name.startswith("_"):
            yield node.name, node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for member in node.body:
                if isinstance(member, Function) and not member.name.startswith("_"):
                    yield f"{node.name}.{member.name}", member


def undocumented(tree: ast.Module) -> list[str]:
    """Public functions and methods of public classes without a docstring, as `Class.name` or
    `name`, in the order they are defined."""
    return [name for name, node in public_functions(tree) if ast.get_docstring(node) is None]


def _bot_trees() -> dict[str, ast.Module]:
    return {
        path.relative_to(ROOT).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for layer in LAYERS
        for path in sorted((ROOT / layer).rglob("*.py"))
    }


def _missing() -> dict[str, list[str]]:
    return {name: found for name, tree in _bot_trees().items() if (found := undocumented(tree))}


def test_every_public_function_in_bot_has_a_docstring() -> None:
    missing = {name: found for name, found in _missing().items() if name not in NOT_YET}
    assert missing == {}, "write a docstring (shapes, units, raises) for: " + "; ".join(
        f"{name}: {', '.join(found)}" for name, found in missing.items()
    )


def test_the_not_yet_list_names_only_files_that_still_need_it() -> None:
    # An entry whose file is documented (or gone) is stale: drop it so the file is held again.
    assert sorted(NOT_YET - set(_missing())) == []


def test_undocumented_finds_public_functions_and_methods_only() -> None:
    tree = ast.parse(
        "def shown(): pass\n"
        "def _hidden(): pass\n"
        "def told():\n    '''Told.'''\n"
        "class Public:\n"
        "    def method(self): pass\n"
        "    @property\n    def field(self): return 1\n"
        "    def _own(self): pass\n"
        "class _Private:\n    def method(self): pass\n"
        "def outer():\n    '''Told.'''\n    def inner(): pass\n"
    )
    assert undocumented(tree) == ["shown", "Public.method", "Public.field"]


async def test_command_docstrings_change_no_text_discord_shows(env: simcord.Env) -> None:
    # discord.py takes a command's description from its callback's docstring when the decorator
    # names none, and parameter descriptions from docstring sections it recognises: neither may
    # happen here, so the texts stay the decorators' (and the catalogue's).
    commands = [
        c for c in chorus_of(env).tree.walk_commands() if isinstance(c, app_commands.Command)
    ]
    assert len(commands) > 50
    missing: list[str] = []
    for command in commands:
        doc = inspect.getdoc(command.callback)
        if doc is not None:
            assert command.description != doc.splitlines()[0], f"/{command.qualified_name}"
        else:
            missing.append(command.qualified_name)
        described = getattr(command.callback, "__discord_app_commands_param_description__", {})
        for parameter in command.parameters:
            assert parameter.description in {*described.values(), "…"}, (
                f"/{command.qualified_name} {parameter.name}: {parameter.description!r}"
            )
    assert missing == [], "command callbacks without a docstring"


# ----------------------------------------------------------------------------- what it raises

# `raise AssertionError(...)` marks what can't happen (as `assert` does), not a caller's concern.
NOT_A_CONTRACT = frozenset({"AssertionError"})
# Bases too broad to name a failure: "raises Exception" tells a caller nothing.
TOO_BROAD = frozenset({"Exception", "BaseException"})


def _last_name(node: ast.expr) -> str | None:
    """`NotFound` of `NotFound`, `errors.NotFound` and `NotFound(...)`; None for anything else."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _names_in(node: ast.expr | None) -> list[str]:
    """The class names a type expression lists: `A`, `m.A`, `(A, B)`, `A | B | None`."""
    if node is None:
        return []
    if isinstance(node, ast.Tuple):
        return [name for element in node.elts for name in _names_in(element)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _names_in(node.left) + _names_in(node.right)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a quoted annotation
        return _names_in(ast.parse(node.value, mode="eval").body)
    name = _last_name(node)
    return [] if name is None or isinstance(node, ast.Call) else [name]


class Exceptions:
    """The exception classes of bot/ and Python's built-ins, with their bases, and bot/'s
    functions that return an exception to raise (by name, from their return annotation)."""

    def __init__(self, trees: Iterable[ast.Module]) -> None:
        self.bases: dict[str, set[str]] = {}
        for name in dir(builtins):
            value = getattr(builtins, name)
            if isinstance(value, type) and issubclass(value, BaseException):
                self.bases[name] = {base.__name__ for base in value.__bases__} - {"object"}
        classes: dict[str, set[str]] = {}
        functions: list[Function] = []
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    classes.setdefault(node.name, set()).update(
                        name for base in node.bases for name in _names_in(base)
                    )
                elif isinstance(node, Function):
                    functions.append(node)
        # A class is an exception when one of its bases is (classes of bot/ named like a
        # built-in exception are taken as bot/'s).
        changed = True
        while changed:
            changed = False
            for name, bases in classes.items():
                if name not in self.bases and bases & (self.bases.keys() | {"Exception"}):
                    self.bases[name] = bases
                    changed = True
        self.factories: dict[str, set[str]] = {}
        for function in functions:
            made = {name for name in _names_in(function.returns) if self.is_exception(name)}
            if made:
                self.factories.setdefault(function.name, set()).update(made)

    def is_exception(self, name: str) -> bool:
        """Whether `name` is an exception class of bot/ or a built-in one, or named as a
        library's exception is (`PydanticCustomError`, `HTTPException`)."""
        return name in self.bases or name.endswith(("Error", "Exception"))

    def lineage(self, name: str) -> set[str]:
        """`name` and every base it has, transitively; a class this scan doesn't know (one of a
        library's) is taken as an Exception."""
        seen = {name}
        todo = [name]
        while todo:
            for base in self.bases.get(todo.pop(), {"Exception"}):
                if base not in seen:
                    seen.add(base)
                    todo.append(base)
        return seen | {"Exception", "BaseException"} if name not in self.bases else seen

    def raised(self, node: ast.expr, local: dict[str, set[str]]) -> set[str]:
        """The classes `raise <node>` raises; empty when it raises something given or caught."""
        name = _last_name(node)
        if name is None:
            return set()
        if self.is_exception(name) or (name[:1].isupper() and not isinstance(node, ast.Name)):
            return {name}
        if isinstance(node, ast.Call):
            return set(self.factories.get(name, set()))
        if isinstance(node, ast.Name):
            if name in local:
                return local[name]
            return {name} if name[:1].isupper() else set()
        return set()


def _handled(handlers: list[ast.ExceptHandler]) -> set[str]:
    caught: set[str] = set()
    for handler in handlers:
        caught.update(_names_in(handler.type) if handler.type is not None else {"BaseException"})
    return caught


def escaping_raises(function: Function, exceptions: Exceptions) -> list[tuple[str, int]]:
    """(class name, line) of each exception `function`'s own body raises and doesn't handle,
    by the rule of this module's docstring, in the order of the source."""
    own: list[ast.AST] = []

    def collect(node: ast.AST) -> None:
        own.append(node)
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, Function | ast.ClassDef | ast.Lambda):
                collect(child)

    for statement in function.body:
        collect(statement)
    local: dict[str, set[str]] = {}
    for node in own:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and isinstance(node.value, ast.Call):
                made = exceptions.raised(node.value, {})
                if made:
                    local.setdefault(target.id, set()).update(made)

    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, caught: frozenset[str]) -> None:
        if isinstance(node, Function | ast.ClassDef | ast.Lambda):
            return
        if isinstance(node, ast.Raise):
            if node.exc is not None:
                for name in sorted(exceptions.raised(node.exc, local)):
                    if name not in NOT_A_CONTRACT and not exceptions.lineage(name) & caught:
                        found.append((name, node.lineno))
            return
        if isinstance(node, ast.Try | ast.TryStar):
            inner = caught | _handled(node.handlers)
            for statement in node.body:
                visit(statement, inner)
            for part in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(part, caught)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, caught)

    for statement in function.body:
        visit(statement, frozenset())
    return found


def unnamed_raises(tree: ast.Module, exceptions: Exceptions) -> list[str]:
    """`Class.name raises E (line N)` for each exception a public function raises itself that its
    docstring doesn't name (the rule of this module's docstring), in the order of the source."""
    found: list[str] = []
    for qualified, function in public_functions(tree):
        doc = ast.get_docstring(function) or ""
        words = set(re.findall(r"\w+", doc))
        for name, line in escaping_raises(function, exceptions):
            if not (exceptions.lineage(name) - TOO_BROAD) & words:
                found.append(f"{qualified} raises {name} (line {line})")
    return found


def test_every_public_function_in_bot_names_what_it_raises() -> None:
    trees = _bot_trees()
    exceptions = Exceptions(trees.values())
    unnamed = {
        name: found for name, tree in trees.items() if (found := unnamed_raises(tree, exceptions))
    }
    assert unnamed == {}, "name in the docstring (Raises X when ...): " + "; ".join(
        f"{name}: {', '.join(found)}" for name, found in unnamed.items()
    )


def test_unnamed_raises_follows_the_rule() -> None:
    tree = ast.parse(
        "class Refusal(Exception): pass\n"
        "class Late(Refusal): pass\n"
        "def made() -> Late | None: ...\n"
        "def named():\n    '''Raises Late when late.'''\n    raise Late()\n"
        "def by_base():\n    '''Raises Refusal when late.'''\n    raise Late\n"
        "def silent():\n    '''Nothing said.'''\n    raise Late('x') from None\n"
        "def handled():\n    try:\n        raise Late()\n    except Refusal:\n        pass\n"
        "def in_handler():\n    try:\n        pass\n    except Late:\n        raise KeyError()\n"
        "def through_else():\n    try:\n        pass\n    except Late:\n        pass\n"
        "    else:\n        raise ValueError\n"
        "def given(exc):\n    try:\n        pass\n    except Late as error:\n        raise error\n"
        "    raise exc\n"
        "def again():\n    try:\n        pass\n    except Late:\n        raise\n"
        "def guard():\n    raise AssertionError('unreachable')\n"
        "def inner():\n    def hidden():\n        raise Late()\n    return hidden\n"
        "def factory():\n    raise made()\n"
        "def kept():\n    missing = Late()\n    raise missing\n"
        "def broad():\n    '''Raises Exception.'''\n    raise Late()\n"
        "def library():\n    raise yaml.YAMLError('bad')\n"
        "class Public:\n    def method(self):\n        raise Refusal()\n"
        "class _Private:\n    def method(self):\n        raise Refusal()\n"
    )
    assert unnamed_raises(tree, Exceptions([tree])) == [
        "silent raises Late (line 12)",
        "in_handler raises KeyError (line 22)",
        "through_else raises ValueError (line 29)",
        "factory raises Late (line 48)",
        "kept raises Late (line 51)",
        "broad raises Late (line 54)",
        "library raises YAMLError (line 56)",
        "Public.method raises Refusal (line 59)",
    ]


# ----------------------------------------------------------------------------- units

_MOMENT_OR_SPAN = re.compile(
    r"(?:^|_)(?:at|now|deadline|until|since|delay|timeout|interval|grace)$", re.IGNORECASE
)
_UNIT = re.compile(r"second|\bUTC\b|\bUnix\b|timestamp|epoch", re.IGNORECASE)


def _is_float(annotation: ast.expr | None) -> bool:
    """Whether `annotation` is `float` or `float | None` (quoted or not)."""
    names = _names_in(annotation)
    return "float" in names and set(names) <= {"float", "None"}


def unitless_times(tree: ast.Module) -> list[str]:
    """`Class.name: parameter` (or `: return`) for each bare-number time or span of a public
    function whose docstring, class docstring and module docstring all leave its unit unsaid
    (the rule of this module's docstring), in the order of the source."""
    module_says = bool(_UNIT.search(ast.get_docstring(tree) or ""))
    class_says = {
        node.name: bool(_UNIT.search(ast.get_docstring(node) or ""))
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    found: list[str] = []
    for qualified, function in public_functions(tree):
        owner = qualified.partition(".")[0] if "." in qualified else ""
        if module_says or class_says.get(owner) or _UNIT.search(ast.get_docstring(function) or ""):
            continue
        arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
        unsaid = [
            argument.arg
            for argument in arguments
            if _MOMENT_OR_SPAN.search(argument.arg) and _is_float(argument.annotation)
        ]
        if _MOMENT_OR_SPAN.search(function.name) and _is_float(function.returns):
            unsaid.append("return")
        found += [f"{qualified}: {name}" for name in unsaid]
    return found


def test_every_bare_number_time_in_bot_says_its_unit() -> None:
    unsaid = {name: found for name, tree in _bot_trees().items() if (found := unitless_times(tree))}
    assert unsaid == {}, "say the unit (seconds, UTC timestamp) in the docstring: " + "; ".join(
        f"{name}: {', '.join(found)}" for name, found in unsaid.items()
    )


def test_unitless_times_follows_the_rule() -> None:
    tree = ast.parse(
        "def told(now: float):\n    '''At `now` (a UTC timestamp).'''\n"
        "def bare(now: float, starts_at: float | None, user_id: int, at: datetime):\n"
        "    '''Bare.'''\n"
        "def minutes(until: int):\n    '''Minutes.'''\n"
        "def next_deadline() -> float:\n    '''When.'''\n"
        "def wait(delay: 'float'):\n    '''Waits.'''\n"
        "def flatness(value: float):\n    '''Not a time.'''\n"
        "class Clock:\n    '''Times are Unix seconds.'''\n    def tick(self, now: float): pass\n"
        "class Plain:\n    def tick(self, now: float): pass\n"
    )
    assert unitless_times(tree) == [
        "bare: now",
        "bare: starts_at",
        "next_deadline: return",
        "wait: delay",
        "Plain.tick: now",
    ]
    module_says = ast.parse("'''Times are UTC timestamps.'''\ndef tick(now: float): pass\n")
    assert unitless_times(module_says) == []
