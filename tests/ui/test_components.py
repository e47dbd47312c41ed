"""Typed component families: one id spec builds and parses every id of a family."""

from __future__ import annotations

import pytest

from bot.ui import limits
from bot.ui.board import BoardButton
from bot.ui.components import FAMILIES, TypedComponent, compile_spec, yes_or_no


def test_a_family_builds_the_id_it_parses() -> None:
    item = BoardButton.button("Join", action="join", session_id=42)
    assert item.custom_id == "chorus:board:join:42"
    match = BoardButton.__discord_ui_compiled_template__.fullmatch(item.custom_id)
    assert match is not None
    assert (match["action"], int(match["session_id"])) == ("join", 42)
    assert (item.action, item.session_id) == ("join", 42)


def test_fields_are_typed_and_ids_bounded() -> None:
    template, fields = compile_spec("chorus:x:{n:int}:{name}:{w:word}")
    assert [name for name, _ in fields] == ["n", "name", "w"]
    assert template.fullmatch("chorus:x:-3:a.b_C-1:ab_c")
    assert not template.fullmatch("chorus:x:3a:ok:ab")
    with pytest.raises(ValueError, match="bad custom id"):
        BoardButton.custom_id_for(action="Join Now", session_id=1)
    with pytest.raises(ValueError, match="bad custom id"):
        BoardButton.custom_id_for(action="j" * limits.CUSTOM_ID, session_id=1)
    with pytest.raises(ValueError, match="twice"):
        compile_spec("chorus:{a}:{a}")


def test_building_an_id_without_a_field_or_with_a_stray_one_says_which() -> None:
    with pytest.raises(ValueError, match=r"missing fields \['session_id'\], unknown fields \[\]"):
        BoardButton.custom_id_for(action="join")
    with pytest.raises(ValueError, match=r"missing fields \[\], unknown fields \['run_id'\]"):
        BoardButton.custom_id_for(action="join", session_id=1, run_id=2)
    with pytest.raises(ValueError, match=r"missing fields \['session_id'\].*\['run_id'\]"):
        BoardButton.button("Join", action="join", run_id=1)


def test_a_yesno_field_takes_only_yes_or_no() -> None:
    template, fields = compile_spec("chorus:x:{answer:yesno}:{n:int}")
    assert fields[0] == ("answer", yes_or_no)
    assert template.fullmatch("chorus:x:yes:1") and template.fullmatch("chorus:x:no:1")
    for other in ("maybe", "yesno", "Yes", "nope", ""):
        assert not template.fullmatch(f"chorus:x:{other}:1"), other


def _sample(convert: object) -> object:
    return 1 if convert is int else "yes" if convert is yes_or_no else "x"


def test_no_two_families_claim_the_same_id() -> None:
    # discord.py dispatches a click to every class whose template matches: one owner per id.
    import bot.app  # noqa: F401  (loads every family)

    for family in FAMILIES:
        sample = family.id_format.format(
            **{name: _sample(convert) for name, convert in family.fields}
        )
        owners = [f for f in FAMILIES if f.__discord_ui_compiled_template__.fullmatch(sample)]
        assert owners == [family], sample


def _in_memory_components(source: str) -> list[str]:
    """What in `source` would keep a component or form in process memory, with a timeout or a
    random id: a View without ``timeout=None``, a View subclass, a Modal subclass other than
    `ChorusForm`'s base, a ``@discord.ui.button``/``select`` decorator, a Button or Select
    without ``custom_id=`` (and no ``url=``: a link routes nothing)."""
    import ast

    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            keywords = {k.arg: k.value for k in node.keywords}
            if name.endswith("ui.View"):
                timeout = keywords.get("timeout")
                if not (isinstance(timeout, ast.Constant) and timeout.value is None):
                    found.append(f"{node.lineno}: {name}() without timeout=None")
            if name.endswith(("ui.Button", "ui.Select")) and not (
                {"custom_id", "url"} & set(keywords)
            ):
                found.append(f"{node.lineno}: {name}() with a random id")
        elif isinstance(node, ast.ClassDef):
            for base in map(ast.unparse, node.bases):
                if base.endswith("ui.View") or (
                    base.endswith("ui.Modal") and node.name != "ChorusForm"
                ):
                    found.append(f"{node.lineno}: class {node.name}({base})")
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    for decorator in item.decorator_list:
                        text = ast.unparse(decorator)
                        if text.startswith(("discord.ui.button", "discord.ui.select", "ui.button")):
                            found.append(f"{decorator.lineno}: @{text.split('(')[0]}")
    return sorted(found, key=lambda f: int(f.split(":")[0]))


def test_no_component_or_form_lives_in_memory_with_a_timeout_or_a_random_id() -> None:
    # Everything a member can press or submit is answered by a typed family (or a typed form
    # id) whatever time they took and across a restart (the schedule preview's Confirm was the
    # last one that wasn't: tests/cogs/test_schedule_confirm.py).
    from pathlib import Path

    bot = Path(__file__).resolve().parents[2] / "bot"
    found = [
        f"{path.relative_to(bot.parent)}:{where}"
        for path in sorted(bot.rglob("*.py"))
        for where in _in_memory_components(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_scan_finds_each_kind_of_in_memory_component() -> None:
    sample = """
import discord
class Confirm(discord.ui.View):
    @discord.ui.button(label="Confirm")
    async def confirm(self, interaction, button): ...
class Ask(discord.ui.Modal, title="Ask"): ...
class ChorusForm(discord.ui.Modal): ...
def views():
    discord.ui.View(timeout=600)
    discord.ui.View()
    discord.ui.View(timeout=None)
    discord.ui.Button(label="Go")
    discord.ui.Button(label="Site", url="https://example.org")
    discord.ui.Select(options=[], custom_id="chorus:x:1")
"""
    assert _in_memory_components(sample) == [
        "3: class Confirm(discord.ui.View)",
        "4: @discord.ui.button",
        "6: class Ask(discord.ui.Modal)",
        "9: discord.ui.View() without timeout=None",
        "10: discord.ui.View() without timeout=None",
        "12: discord.ui.Button() with a random id",
    ]


def test_a_step_position_is_step_index_in_every_family() -> None:
    # One name per idea (docs/architecture.md, "Names"): the field is named in the template's
    # groups only, so the ids already posted keep their text.
    import bot.app  # noqa: F401  (loads every family but the kinds')
    from bot.ui.form_ids import FORM_FAMILIES, FormId
    from bot.ui.steps import presenters

    presenters()  # the kinds' families load with their presenters
    families: list[type[TypedComponent] | type[FormId]] = [*FAMILIES, *FORM_FAMILIES]
    fields = {
        (family.__name__, name)
        for family in families
        if family.__module__.startswith("bot.")
        for name, _ in family.fields
    }
    assert not {pair for pair in fields if pair[1] == "index"}
    with_step = {family for family, name in fields if name == "step_index"}
    assert {"ReactButton", "VoteSelect", "RoundButton", "LyricsButton", "RoundFormId"} <= with_step
