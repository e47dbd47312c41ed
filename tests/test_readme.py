"""The README is complete for an outsider: every slash command in the facilitator's guide,
every step kind the shipped activities use in the step-type list and the annotated example,
that example valid, and docs/architecture.md naming the same kinds.

The kinds come from the registry and the shipped activities, not from a list kept here: a kind
added in its two files needs no edit of the docs until an activity of the library uses it
(then facilitators meet it, and the README must explain it)."""

from __future__ import annotations

import re
from pathlib import Path

import simcord
from discord import app_commands

from bot.core.activity_loader import load_bytes
from bot.core.steps import step_type_names
from tests.conftest import chorus_of
from tests.kind_examples import used_kinds

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def annotated_example() -> str:
    after = README.index("A complete, annotated example")
    found = re.search(r"```yaml\n(.*?)```", README[after:], re.S)
    assert found is not None
    return found[1]


async def test_every_slash_command_is_in_the_facilitators_guide(env: simcord.Env) -> None:
    guide = section("Facilitator's guide")
    commands = sorted(
        "/" + c.qualified_name
        for c in chorus_of(env).tree.walk_commands()
        if isinstance(c, app_commands.Command)
    )
    assert len(commands) > 50
    # Named as written in Discord: `/song title`, `/session schedule edit ...`.
    missing = [c for c in commands if not re.search(re.escape(c) + r"(?![\w-])", guide)]
    assert not missing, f"add these to the README's Facilitator's guide: {missing}"


def step_types_list() -> str:
    listed = README[README.index("Step types:") :]
    return listed[: listed.index("\n\n")]


def test_every_step_kind_the_library_uses_is_listed_and_in_the_annotated_example() -> None:
    used = used_kinds()
    assert used and used <= set(step_type_names()), used - set(step_type_names())
    listed = step_types_list()
    example = annotated_example()
    for kind in sorted(used):
        assert f"`{kind}`" in listed, f"the step-type list omits {kind}"
        assert f"type: {kind}" in example, f"the annotated example has no {kind} step"
    assert "custom" in listed and '"1:30"' in listed, "scale: custom and m:ss are documented"


def test_the_docs_name_no_kind_that_is_not_registered() -> None:
    named = set(re.findall(r"^Step types: (.*?)\. Every step", step_types_list(), re.S)[0].split())
    kinds = {word.strip("`,") for word in named if word.startswith("`")}
    assert kinds and kinds <= set(step_type_names()), kinds - set(step_type_names())
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    row = re.search(
        r"^\| `core/steps/<kind>\.py` \|.*Kinds the shipped activities use[^:]*:(.*)$",
        architecture,
        re.M,
    )
    assert row is not None, "docs/architecture.md's core/steps/<kind>.py row names the kinds"
    in_row = set(re.findall(r"`(\w+)`", row[1]))
    assert used_kinds() <= in_row <= set(step_type_names()), (used_kinds(), in_row)


def test_the_annotated_example_is_a_valid_activity(tmp_path: Path) -> None:
    loaded = load_bytes(annotated_example().encode("utf-8"), "example.yaml", tmp_path)
    assert not isinstance(loaded, list), "\n".join(str(e) for e in loaded)
    assert {s.type for s in loaded.steps} >= used_kinds()
    prompt = loaded.steps[0]
    assert prompt.time_limit == 120, "m:ss is minutes and seconds"


def test_contributors_find_the_architecture_in_the_repository() -> None:
    contributors = section("For contributors")
    assert "(docs/architecture.md)" in contributors
    assert (ROOT / "docs" / "architecture.md").is_file()
    assert "shared folder" not in contributors


def test_the_venv_and_make_validate_are_documented() -> None:
    assert ".venv/bin/chorus" in README and "make validate" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^validate:", makefile, re.M)
