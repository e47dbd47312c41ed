"""No import cycles among Chorus's modules (import-linter has no contract for them; grimp does
the graph, the same one `lint-imports` checks the layers on)."""

from __future__ import annotations

import grimp

from bot.core.steps import step_kinds
from tests.import_graph import cycles

# Type-only imports (under TYPE_CHECKING) that close a loop: a feature's helper module names its
# kind's model in annotations, and the kind's module imports those helpers for its handler. At
# run time the helpers never import the kind, so nothing loads half-initialised.
TYPE_ONLY_BACK_EDGES = {
    ("bot.core.listening", "bot.core.steps.listen"),
    ("bot.core.lyric_lines", "bot.core.steps.write"),
    ("bot.core.lyric_slots", "bot.core.steps.write"),
    ("bot.core.lyric_turns", "bot.core.steps.write"),
    ("bot.core.lyrics", "bot.core.steps.write"),
}


def _graph(*, type_checking: bool) -> grimp.ImportGraph:
    # No cache: a stale one (it is keyed by file times) would hide a new cycle.
    graph = grimp.build_graph(
        "bot", exclude_type_checking_imports=not type_checking, cache_dir=None
    )
    # The registries import kinds by name (importlib): edges grimp can't see but Python makes.
    for kind in step_kinds():
        graph.add_import(importer="bot.core.steps", imported=f"bot.core.steps.{kind.name}")
        graph.add_import(importer="bot.ui.steps", imported=f"bot.ui.steps.{kind.name}")
    return graph


def test_no_module_imports_itself_back_at_run_time() -> None:
    assert cycles(_graph(type_checking=False)) == []


def test_type_only_imports_close_no_loop_but_the_listed_ones() -> None:
    graph = _graph(type_checking=True)
    runtime = _graph(type_checking=False)
    for importer, imported in sorted(TYPE_ONLY_BACK_EDGES):
        assert graph.direct_import_exists(importer=importer, imported=imported)
        assert not runtime.direct_import_exists(importer=importer, imported=imported)
        graph.remove_import(importer=importer, imported=imported)
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in [("a.x", "a.y"), ("a.y", "a.z"), ("a.z", "a.x"), ("a.z", "a.w")]:
        graph.add_import(importer=importer, imported=imported)
    assert cycles(graph) == [["a.x", "a.y", "a.z"]]
