"""What bot/'s public functions raise and their docstrings leave unnamed, measured on a tree.

Run from anywhere: ``.venv/bin/python scripts/propagated_raises.py [--root PATH] [--list]``
(``--root`` another checkout, e.g. main before a change; ``--list`` every finding). Prints, per
layer (the folder under bot/):
- own: public functions raising an exception of their own that their docstring doesn't name
  (the rule tests/test_docstrings.py holds at none, `unnamed_raises`);
- let through: for the core services (public classes of bot/core holding the store), exceptions
  their public methods let through from what they call, named nowhere in their docstrings, by
  kind: refusal (a UserFacingError), storage (StorageUnavailable, which the one error path
  words), built-in (RuntimeError, ValueError: a closed writer, a row of another shape: bugs) and
  other (the rest, e.g. ConsentNeeded).

The call graph is a static approximation, so its counts are a floor: a call is followed when it
names a function of its own module or one imported from bot/, a method of `self` (its class and
bot/ bases) or of an attribute whose class the `__init__` tells (a parameter's annotation, a
constructor call, a class-level annotation); a store function's write jobs (its nested
functions, run by the writer) raise as it does, and the writer's entry points (`write`,
`submit`, `write_apart`, `transaction`) raise StorageUnavailable. A handler of the exception (or
a base) around the call stops it. Protocols, callbacks and other dynamic calls are not followed.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_docstrings import (  # noqa: E402 - the rule lives with its test
    TOO_BROAD,
    Exceptions,
    _handled,
    _names_in,
    escaping_raises,
    unnamed_raises,
)

Function = ast.FunctionDef | ast.AsyncFunctionDef
Key = tuple[str, str]  # (module, `name` or `Class.name`)
WRITER_ENTRIES = frozenset({"write", "submit", "write_apart", "transaction"})
BUILT_IN = frozenset({"RuntimeError", "ValueError"})
LAYERS = frozenset({"cogs", "core", "demo", "records", "settings", "store", "ui", "voice"})


@dataclass
class Tree:
    """bot/ of one checkout, parsed: its modules, functions, classes and imports."""

    root: Path
    modules: dict[str, tuple[str, ast.Module]] = field(default_factory=dict)
    functions: dict[Key, Function] = field(default_factory=dict)
    classes: dict[Key, ast.ClassDef] = field(default_factory=dict)
    imports: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    class_homes: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, root: Path) -> Tree:
        """Every module of `root`/bot."""
        tree = cls(root)
        for path in sorted((root / "bot").rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            module = ast.parse(path.read_text(encoding="utf-8"))
            tree.modules[name] = (path.relative_to(root).as_posix(), module)
        for name, (_path, module) in tree.modules.items():
            tree.imports[name] = dict(tree._imported(module))
            for node in module.body:
                if isinstance(node, Function):
                    tree.functions[(name, node.name)] = node
                elif isinstance(node, ast.ClassDef):
                    tree.classes[(name, node.name)] = node
                    tree.class_homes.setdefault(node.name, []).append(name)
                    for member in node.body:
                        if isinstance(member, Function):
                            tree.functions[(name, f"{node.name}.{member.name}")] = member
        return tree

    def _imported(self, module: ast.Module) -> Iterator[tuple[str, tuple[str, str]]]:
        # local name -> ("module", dotted) or (dotted module, name in it)
        for node in ast.walk(module):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot"):
                assert node.module is not None
                for alias in node.names:
                    dotted = f"{node.module}.{alias.name}"
                    target = (
                        ("module", dotted) if dotted in self.modules else (node.module, alias.name)
                    )
                    yield alias.asname or alias.name, target
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("bot") and alias.asname:
                        yield alias.asname, ("module", alias.name)

    def find(self, module: str, name: str) -> Key | None:
        """Where `name`, as used in `module`, is defined (following imports and re-exports);
        ("module", dotted) for a module."""
        for _hop in range(6):
            if (module, name) in self.classes or (module, name) in self.functions:
                return (module, name)
            target = self.imports.get(module, {}).get(name)
            if target is None or target[0] == "module":
                return target
            module, name = target
        return None

    def find_class(self, module: str, name: str) -> Key | None:
        """The class `name` used in `module`, or the only class of bot/ so named."""
        found = self.find(module, name)
        if found in self.classes:
            return found
        homes = self.class_homes.get(name, [])
        return (homes[0], name) if len(homes) == 1 else None

    def lineage(self, key: Key) -> list[Key]:
        """The class and its bot/ bases, nearest first."""
        seen: list[Key] = []
        todo = [key]
        while todo:
            current = todo.pop(0)
            if current in seen:
                continue
            seen.append(current)
            for base in self.classes[current].bases:
                for name in _names_in(base):
                    found = self.find_class(current[0], name)
                    if found is not None:
                        todo.append(found)
        return seen

    def method(self, owner: Key, name: str) -> Key | None:
        """The function `name` of class `owner` or its nearest bot/ base."""
        for module, cls in self.lineage(owner):
            if (module, f"{cls}.{name}") in self.functions:
                return (module, f"{cls}.{name}")
        return None

    def attributes(self, owner: Key) -> dict[str, Key]:
        """The classes of `owner`'s attributes, as its (and its bases') class-level annotations
        and `__init__` tell them."""
        found: dict[str, Key] = {}
        for module, cls in reversed(self.lineage(owner)):
            for node in self.classes[(module, cls)].body:
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    for name in _names_in(node.annotation):
                        if (hit := self.find_class(module, name)) is not None:
                            found[node.target.id] = hit
            init = self.functions.get((module, f"{cls}.__init__"))
            if init is not None:
                found.update(self._init_attributes(module, init))
        return found

    def _init_attributes(self, module: str, init: Function) -> dict[str, Key]:
        params = {a.arg: a.annotation for a in [*init.args.args, *init.args.kwonlyargs]}
        found: dict[str, Key] = {}
        value: ast.expr | None
        for node in ast.walk(init):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value, annotation = node.targets[0], node.value, None
            elif isinstance(node, ast.AnnAssign):
                target, value, annotation = node.target, node.value, node.annotation
            else:
                continue
            if not (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                continue
            names = _names_in(annotation)
            if isinstance(value, ast.Name) and value.id in params:
                names += _names_in(params[value.id])
            if isinstance(value, ast.Call):
                names += [n for n in _names_in(value.func) if n[:1].isupper()]
            for name in names:
                if (hit := self.find_class(module, name)) is not None:
                    found[target.attr] = hit
                    break
        return found


class Graph:
    """Each function's exceptions: its own and those its calls let through."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.exceptions = Exceptions(module for _path, module in tree.modules.values())
        self.own: dict[Key, set[str]] = {}
        self.calls: dict[Key, list[tuple[Key, frozenset[str]]]] = {}
        for key, function in tree.functions.items():
            self.own[key] = self._own(key, function)
            self.calls[key] = [
                (target, caught)
                for call, caught in _calls(function)
                if (target := self._target(key, call)) is not None and target != key
            ]
        self.raised = {key: set(own) for key, own in self.own.items()}
        changed = True
        while changed:
            changed = False
            for key, calls in self.calls.items():
                for target, caught in calls:
                    for name in self.raised.get(target, set()) - self.raised[key]:
                        if not self.exceptions.lineage(name) & caught:
                            self.raised[key].add(name)
                            changed = True

    def _own(self, key: Key, function: Function) -> set[str]:
        module, name = key
        own = {e for e, _line in escaping_raises(function, self.exceptions)}
        if module.startswith("bot.store"):
            for node in ast.walk(function):
                if node is not function and isinstance(node, Function):
                    own |= {e for e, _line in escaping_raises(node, self.exceptions)}
            if name.rpartition(".")[2] in WRITER_ENTRIES:
                own.add("StorageUnavailable")
        return own

    def _target(self, key: Key, call: ast.Call) -> Key | None:
        module, name = key
        owner = (module, name.partition(".")[0]) if "." in name else None
        func = call.func
        if isinstance(func, ast.Name):
            found = self.tree.find(module, func.id)
            if found in self.tree.functions:
                return found
            if found in self.tree.classes:
                return self.tree.method(found, "__init__")
            return None
        if isinstance(func, ast.Attribute):
            receiver = self._receiver(module, owner, func.value)
            if receiver is not None and receiver[0] == "module":
                found = self.tree.find(receiver[1], func.attr)
                return found if found in self.tree.functions else None
            if receiver is not None:
                return self.tree.method(receiver, func.attr)
        return None

    def _receiver(self, module: str, owner: Key | None, node: ast.expr) -> Key | None:
        if isinstance(node, ast.Name):
            if node.id == "self":
                return owner
            found = self.tree.find(module, node.id)
            return (
                found
                if found is not None and (found[0] == "module" or found in self.tree.classes)
                else None
            )
        if isinstance(node, ast.Attribute):
            inner = self._receiver(module, owner, node.value)
            if inner is None:
                return None
            if inner[0] == "module":
                found = self.tree.find(inner[1], node.attr)
                return found if found in self.tree.classes else None
            return self.tree.attributes(inner).get(node.attr)
        return None

    def kind(self, name: str) -> str:
        """refusal, storage, built-in or other (see the module's docstring)."""
        if "UserFacingError" in self.exceptions.lineage(name):
            return "refusal"
        if name == "StorageUnavailable":
            return "storage"
        return "built-in" if name in BUILT_IN else "other"


def _calls(function: Function) -> list[tuple[ast.Call, frozenset[str]]]:
    """Each call in `function`'s own body with the exceptions handled around it."""
    found: list[tuple[ast.Call, frozenset[str]]] = []

    def visit(node: ast.AST, caught: frozenset[str]) -> None:
        if isinstance(node, Function | ast.ClassDef | ast.Lambda):
            return
        if isinstance(node, ast.Try | ast.TryStar):
            for statement in node.body:
                visit(statement, caught | _handled(node.handlers))
            for part in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(part, caught)
            return
        if isinstance(node, ast.Call):
            found.append((node, caught))
        for child in ast.iter_child_nodes(node):
            visit(child, caught)

    for statement in function.body:
        visit(statement, frozenset())
    return found


def layer(module: str) -> str:
    """The folder under bot/ (`bot` for the entry points beside them)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (module != "bot" and parts[1] in LAYERS) else "bot"


def own_findings(tree: Tree, graph: Graph) -> list[tuple[str, str]]:
    """(layer, `path: finding`) for each unnamed raise of a public function's own."""
    found: list[tuple[str, str]] = []
    for module, (path, parsed) in tree.modules.items():
        for finding in unnamed_raises(parsed, graph.exceptions):
            found.append((layer(module), f"{path}: {finding}"))
    return found


def let_through(tree: Tree, graph: Graph) -> list[tuple[str, str, str]]:
    """(layer, kind, `path: Class.method lets E through`) for each exception a core service's
    public method lets through from its calls, named nowhere in its docstring."""
    found: list[tuple[str, str, str]] = []
    for (module, name), function in tree.functions.items():
        owner, _dot, method = name.partition(".")
        if not module.startswith("bot.core") or not method:
            continue
        if owner.startswith("_") or method.startswith("_"):
            continue
        attributes = tree.attributes((module, owner))
        if "_store" not in attributes and "store" not in attributes:
            continue
        words = set(re.findall(r"\w+", ast.get_docstring(function) or ""))
        for exception in sorted(graph.raised[(module, name)] - graph.own[(module, name)]):
            if exception == "AssertionError":
                continue
            if (graph.exceptions.lineage(exception) - TOO_BROAD) & words:
                continue
            path = tree.modules[module][0]
            found.append(
                (layer(module), graph.kind(exception), f"{path}: {name} lets {exception} through")
            )
    return found


def main(argv: list[str] | None = None) -> int:
    """Print the counts (and with --list every finding) for the tree at --root."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="a checkout (default: this one)")
    parser.add_argument("--list", action="store_true", help="print every finding too")
    args = parser.parse_args(argv)
    tree = Tree.parse(args.root.resolve())
    graph = Graph(tree)
    own = own_findings(tree, graph)
    through = let_through(tree, graph)
    by_layer = Counter(found_layer for found_layer, _text in own)
    print(f"own raises unnamed in the docstring: {len(own)} {dict(sorted(by_layer.items()))}")
    functions = Counter(text.partition(" raises ")[0] for _layer, text in own)
    print(f"  in {len(functions)} public functions")
    kinds = Counter(kind for _layer, kind, _text in through)
    methods = {text.partition(" lets ")[0] for _layer, _kind, text in through}
    print(
        f"core services' methods letting an unnamed exception through: {len(methods)} "
        f"({len(through)} exceptions: {dict(sorted(kinds.items()))})"
    )
    if args.list:
        for _layer, text in own:
            print("  own", text)
        for _layer, kind, text in through:
            print(f"  {kind}", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
