"""Tests mirror the tree (issue 17, item 7): every module of `bot/` with logic has its own test
module, `tests/<same folder>/test_<name>.py`, or an entry in `TESTED_BY`.

A module "with logic" has at least `MIN_LINES` lines, defines a function or method (not only
constants, records or names gathered from elsewhere) and is neither a package's `__init__.py`
nor a migration. `TESTED_BY` is the honest record of the rest: for each such module, the
existing test modules that exercise it. Each of them must exist and reach the module: it
imports it (`IMPORTS`), or it drives it, which is checked as (1) the `through` text (the slash
command, button or name the test uses) stands in the test module, and (2) the module is among
what the test module's imports load, counting the whole bot (its cogs loaded by name included)
for a test that starts one. An entry goes as soon as the module has a mirror of its own.

A registered step kind's two modules (`core/steps/<kind>.py`, `ui/steps/<kind>.py`) need
neither: `KINDS_TEST` exercises the model, handler and presenter of every kind of the registry,
so a kind added in its two files is covered as it is (an entry may still name the tests of a
kind's own rules).
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import grimp

from bot.chorus_bot import COGS
from bot.core.steps import step_kinds, step_type_names

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
MIN_LINES = 40
IMPORTS = ""
"""The test module imports the module itself."""

KINDS_TEST = ROOT / "tests" / "core" / "steps" / "test_kinds.py"
"""The test module that covers every registered step kind, reading the registry."""

TESTED_BY: dict[str, dict[str, str]] = {
    # module (under bot/) -> {test module: IMPORTS, or the text by which it drives the module}
    "app.py": {"tests/settings/test_gateway.py": IMPORTS, "tests/ui/test_components.py": IMPORTS},
    "catalogue_tool.py": {"tests/i18n/test_catalogue.py": IMPORTS},
    "cogs/access.py": {"tests/reliability/test_permission_matrix.py": "Manage Server"},
    "cogs/activities.py": {
        "tests/cogs/test_library.py": '"activity list"',
        "tests/cogs/test_session_flow.py": '"activity start"',
    },
    "cogs/attendance.py": {"tests/cogs/test_session_flow.py": 'label="Join"'},
    "cogs/checkin_notice.py": {"tests/cogs/test_pattern_notice.py": '"checkin notice on"'},
    "cogs/checkins/answers.py": {"tests/cogs/test_checkins.py": '"checkin now"'},
    "cogs/checkins/extras.py": {"tests/cogs/test_checkins.py": "note"},
    "cogs/controls.py": {"tests/cogs/test_session_flow.py": '"activity pause"'},
    "cogs/goals/answers.py": {"tests/cogs/test_goals.py": "goal"},
    "cogs/listening.py": {"tests/cogs/test_listen_cog.py": "test-listen"},
    "cogs/playlist.py": {"tests/cogs/test_listen_cog.py": '"listen suggest"'},
    "cogs/reflection.py": {"tests/cogs/test_reflect_review.py": 'label="Review answers"'},
    "cogs/reminders.py": {"tests/cogs/test_series_reminders.py": '"remind me"'},
    "cogs/schedule_events.py": {"tests/cogs/test_schedule.py": "scheduled_event"},
    "cogs/schedule_commands.py": {"tests/cogs/test_schedule.py": '"session schedule create"'},
    "cogs/schedule_start.py": {"tests/cogs/test_schedule.py": "Start Test flow"},
    "cogs/sessions.py": {"tests/cogs/test_session_flow.py": '"session join"'},
    "cogs/song.py": {"tests/cogs/test_lyrics.py": '"song title"'},
    "cogs/lyric_sheet.py": {"tests/cogs/test_lyrics.py": "the song sheet"},
    "core/schedule_drafts.py": {"tests/cogs/test_schedule_confirm.py": '"session schedule create"'},
    "core/checkin_saved.py": {"tests/core/test_checkin_batch.py": "Saved"},
    "store/checkin_answers.py": {
        "tests/core/test_checkin_batch.py": "bot/store/checkin_answers.py"
    },
    "core/run_updates.py": {"tests/core/test_contributing.py": IMPORTS},
    "core/schedule_outlet.py": {"tests/core/test_schedule_service.py": IMPORTS},
    "core/schedule_wake.py": {
        "tests/cogs/test_calendar.py": IMPORTS,
        "tests/cogs/test_series_reminders.py": '"remind me"',
    },
    "core/series_reminders.py": {"tests/cogs/test_series_reminders.py": "Interested"},
    "core/lyric_state.py": {"tests/core/test_step_state.py": IMPORTS},
    "core/lyric_shape.py": {"tests/core/test_lyric_lines.py": '"syllables": {"min"'},
    "core/steps/checkin.py": {"tests/core/test_activity_models.py": IMPORTS},
    "core/steps/goal.py": {"tests/core/test_goals.py": IMPORTS},
    "core/steps/listen.py": {
        "tests/core/test_listening.py": IMPORTS,
        "tests/core/test_listen_set.py": IMPORTS,
    },
    "core/steps/write.py": {"tests/core/test_lyrics.py": IMPORTS},
    "core/yaml_compose.py": {"tests/core/test_yaml_syntax.py": IMPORTS},
    "run_bot.py": {"tests/test_cli.py": 'run_cli("run"'},
    "store/attendance_job.py": {"tests/store/test_batched_writes.py": "joins"},
    "store/run_update_job.py": {"tests/store/test_batched_writes.py": "UPDATE activity_runs SET"},
    "store/store.py": {"tests/store/test_copy.py": IMPORTS},
    "ui/charts.py": {"tests/core/test_checkin_charts.py": IMPORTS},
    "ui/checkin_reports.py": {"tests/cogs/test_checkins.py": '"checkin history"'},
    "ui/checkin_schedule.py": {"tests/cogs/test_checkin_schedule.py": "Snooze 1 hour"},
    "ui/checkin_tags.py": {"tests/cogs/test_checkin_tags.py": "tags"},
    "ui/library.py": {"tests/cogs/test_library.py": '"activity upload"'},
    "ui/listening.py": {"tests/ui/test_templates_languages.py": IMPORTS},
    "ui/live_host.py": {"tests/cogs/test_restart.py": "restart("},
    "ui/lyrics.py": {"tests/cogs/test_lyrics.py": IMPORTS},
    "ui/lyrics_forms.py": {"tests/ui/test_templates_languages.py": IMPORTS},
    "ui/mydata.py": {"tests/cogs/test_mydata_exports.py": "chorus-mydata.csv"},
    "ui/pattern_notice.py": {"tests/cogs/test_pattern_notice.py": "A gentle note, just for you"},
    "ui/pools.py": {"tests/cogs/test_pools.py": "Another question"},
    "ui/series_reminders.py": {"tests/ui/test_series_reminder_buttons.py": IMPORTS},
    "ui/setup.py": {"tests/cogs/test_setup.py": '"setup show"'},
    "ui/steps/base.py": {"tests/ui/test_templates.py": IMPORTS},
    "ui/steps/breathe.py": {"tests/ui/test_schedule_privacy_step_ids.py": IMPORTS},
    "ui/steps/checkin.py": {"tests/ui/test_checkins.py": IMPORTS},
    "ui/steps/goal.py": {"tests/ui/test_goals.py": IMPORTS},
    "ui/steps/listen.py": {"tests/ui/test_step_buttons.py": IMPORTS},
    "ui/steps/reflect.py": {"tests/ui/test_shared_words.py": IMPORTS},
    "ui/steps/round.py": {"tests/ui/test_templates_languages.py": IMPORTS},
    "ui/steps/vote.py": {"tests/ui/test_step_buttons.py": IMPORTS},
    "ui/steps/write.py": {"tests/ui/test_step_buttons.py": IMPORTS},
}


def has_code(source: str) -> bool:
    """Whether a module defines a function or method (not only constants, records and names
    gathered from elsewhere)."""
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(ast.parse(source))
    )


def modules_with_logic() -> list[str]:
    """Paths under bot/ of the modules that need tests, e.g. "core/session.py"."""
    found = []
    for path in sorted(BOT.rglob("*.py")):
        relative = path.relative_to(BOT)
        if path.name == "__init__.py" or "migrations" in relative.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) >= MIN_LINES and has_code(source):
            found.append(relative.as_posix())
    return found


def mirror_of(module: str) -> Path:
    """tests/<folder>/test_<name>.py for bot/<folder>/<name>.py."""
    relative = Path(module)
    return ROOT / "tests" / relative.parent / f"test_{relative.stem}.py"


def dotted(module: str) -> str:
    return "bot." + module.removesuffix(".py").replace("/", ".")


def imported_modules(test: Path) -> set[str]:
    """Every `bot.*` name the test module imports: modules, and `module.name` for names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(test.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name == "bot" or name.startswith("bot.")}


STARTS_A_BOT = re.compile(
    r"\b(world|env|bot)\s*:\s*(World|simcord\.Env|ChorusBot|DemoWorld)\b"
    r"|\b(create_bot|make_bot|start_world|build_world|restart_bot)\("
    r"|from tests\.(conftest|cogs\.\w+|demo\.\w+) import"
)
RUNS_THE_PROGRAM = re.compile(r'"-m", "bot"')
"""A test that runs `python -m bot ...` in a child process reaches what `bot.__main__` loads."""


@cache
def graph() -> grimp.ImportGraph:
    built = grimp.build_graph("bot", cache_dir=None)
    # Imports by name that grimp can't see: the cogs a bot loads, the kinds' registries.
    for cog in COGS:
        built.add_import(importer="bot.chorus_bot", imported=cog)
    for kind in step_kinds():
        built.add_import(importer="bot.core.steps", imported=f"bot.core.steps.{kind.name}")
        built.add_import(importer="bot.ui.steps", imported=f"bot.ui.steps.{kind.name}")
    return built


def reached_by(test: Path) -> set[str]:
    """The modules of bot/ that the test module's imports load (and the whole bot, when the
    test starts one)."""
    modules = graph().modules
    roots = {name for name in imported_modules(test) if name in modules}
    if STARTS_A_BOT.search(test.read_text(encoding="utf-8")):
        roots.add("bot.app")
    if RUNS_THE_PROGRAM.search(test.read_text(encoding="utf-8")):
        roots.add("bot.__main__")
    reached = set(roots)
    for root in roots:
        reached |= graph().find_upstream_modules(root)
    return reached


def kind_modules() -> set[str]:
    """The two modules (under bot/) of every registered step kind that lives in bot/."""
    return {
        f"{layer}/steps/{kind.name}.py"
        for kind in step_kinds()
        for layer in ("core", "ui")
        if (BOT / layer / "steps" / f"{kind.name}.py").exists()
    }


def test_every_module_with_logic_has_a_mirror_or_says_which_tests_exercise_it() -> None:
    covered = kind_modules()
    missing = [
        m
        for m in modules_with_logic()
        if not mirror_of(m).exists() and m not in TESTED_BY and m not in covered
    ]
    assert not missing, (
        f"no tests/<folder>/test_<name>.py and no TESTED_BY entry for {missing}: add a test "
        "module, or name the test modules that exercise it"
    )


def test_the_kinds_test_covers_every_registered_kind() -> None:
    text = KINDS_TEST.read_text(encoding="utf-8")
    # It reads the registry and names no kind: every kind it parametrizes comes from there.
    assert "KINDS = [kind.name for kind in step_kinds()]" in text
    for test in ("model", "handler", "presenter"):
        assert re.search(rf'@pytest.mark.parametrize\("name", KINDS\)\ndef test_the_{test}', text)
    named = set(re.findall(r'"(\w+)"', text)) & set(step_type_names())
    assert not named, f"{KINDS_TEST.name} names kinds: {named}"
    assert "core/steps/prompt.py" in kind_modules() and "ui/steps/prompt.py" in kind_modules()
    assert "core/steps/base.py" not in kind_modules()


def test_an_entry_goes_when_its_module_has_a_mirror_or_is_gone() -> None:
    with_logic = set(modules_with_logic())
    stale = sorted(m for m in TESTED_BY if m not in with_logic or mirror_of(m).exists())
    assert not stale, (
        f"TESTED_BY entries to remove (module gone, small, without code, or mirrored): {stale}"
    )


def test_every_named_test_module_exists_and_reaches_its_module() -> None:
    problems = []
    for module, tests in sorted(TESTED_BY.items()):
        assert tests, f"{module}: name at least one test module"
        for name, through in tests.items():
            test = ROOT / name
            if not test.exists():
                problems.append(f"{module}: {name} does not exist")
                continue
            if through == IMPORTS:
                if not {dotted(module)} & imported_modules(test):
                    problems.append(f"{module}: {name} does not import it")
                continue
            if through not in test.read_text(encoding="utf-8"):
                problems.append(f"{module}: {name} has no {through!r}")
            if dotted(module) not in reached_by(test):
                problems.append(f"{module}: nothing {name} imports (or starts) loads it")
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_module_without_tests(tmp_path: Path) -> None:
    # The rule itself: a module of 40 lines is one with logic, its mirror is named by its path.
    assert "core/session.py" in modules_with_logic()
    assert "store/migrations/sqlite/0001_initial.sql" not in modules_with_logic()
    assert all(not m.endswith("__init__.py") for m in modules_with_logic())
    assert has_code("def f() -> None: ...\n") and has_code("class A:\n    def g(self): ...\n")
    assert not has_code("from dataclasses import dataclass\n@dataclass\nclass A:\n    x: int\n")
    assert mirror_of("core/steps/vote.py") == ROOT / "tests" / "core" / "steps" / "test_vote.py"
    assert dotted("cogs/checkins/answers.py") == "bot.cogs.checkins.answers"
    # A test module that starts a bot reaches every cog; one that imports a core module only
    # reaches what that module imports.
    starts = tmp_path / "test_starts.py"
    starts.write_text("async def test_x(world: World) -> None: ...\n")
    assert "bot.cogs.song" in reached_by(starts)
    core_only = tmp_path / "test_core_only.py"
    core_only.write_text("from bot.core.steps.vote import fixed_choices\n")
    assert "bot.core.steps.vote" in reached_by(core_only)
    assert "bot.cogs.song" not in reached_by(core_only)
    assert "bot.core.steps.vote" in imported_modules(core_only)
