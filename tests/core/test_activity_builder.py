"""The activity builder's draft: a header, steps from each kind's form, the YAML an activity
file holds, read back from its fenced message, and refusals for what can't be read or fit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.activities import Activity, Catalog
from bot.core.activity_builder import (
    DRAFT_MAX,
    check_draft,
    draft_id,
    fenced,
    new_draft,
    offered_kind,
    parse,
    render,
    step_forms,
    step_from_form,
)
from bot.core.errors import InvalidInput
from bot.core.guild_library import GuildLibrary
from bot.core.steps import step_kinds
from bot.settings import ServerLimits
from bot.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
GUILD = 5


def clock() -> datetime:
    return datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def library(store: Store, tmp_path: Path) -> GuildLibrary:
    shipped = Catalog.load([ROOT / "activities"], tmp_path / "media")
    found = GuildLibrary(store, clock, shipped, ServerLimits())
    await found.load()
    return found


def test_the_builder_offers_the_registered_kinds_that_have_a_form_in_their_order() -> None:
    offered = list(step_forms())
    with_form = [kind.name for kind in step_kinds() if kind.form is not None]
    assert offered == with_form and "prompt" in offered and "reflect" in offered


def test_a_draft_round_trips_through_its_message_and_validates_as_an_activity() -> None:
    draft = new_draft("evening", "  Evening circle ", " A calm close ", 20)
    draft["steps"].append(
        step_from_form("prompt", {"title": " Arrive ", "text": "Settle in.", "time_limit": "2m"})
    )
    draft["steps"].append(
        step_from_form("reflect", {"title": "Look back", "question": "What stayed?"})
    )
    assert draft["title"] == "Evening circle" and draft["summary"] == "A calm close"
    assert draft["steps"][0] == {
        "type": "prompt",
        "title": "Arrive",
        "text": "Settle in.",
        "time_limit": "2m",
    }
    text = render(draft)
    assert text.startswith("id: evening\ntitle: Evening circle\n")  # keys in written order
    message = fenced(text)
    assert message.startswith("```yaml\n") and message.endswith("```")
    assert parse(message) == draft
    activity = Activity.model_validate(parse(message))
    assert [step.type for step in activity.steps] == ["prompt", "reflect"]


def test_an_unknown_kind_an_unreadable_draft_or_one_too_long_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no step kind called “dance”"):
        step_from_form("dance", {"title": "x"})
    for broken in ("no fence at all", "```yaml\n- a list\n```", "```yaml\nid: [unclosed\n```"):
        with pytest.raises(InvalidInput, match="can't read this draft"):
            parse(broken)
    with pytest.raises(InvalidInput, match="too long to build here"):
        fenced("x" * (DRAFT_MAX + 1))


def test_only_a_kind_the_builder_offers_opens_a_form() -> None:
    assert offered_kind("prompt") == "prompt"
    for kind in ("", "dance"):
        with pytest.raises(InvalidInput, match="Choose a kind of step from the list"):
            offered_kind(kind)


async def test_a_drafts_id_is_in_the_format_and_free_here(library: GuildLibrary) -> None:
    assert draft_id(library, GUILD, "  evening-circle ") == "evening-circle"
    for bad in ("Evening Circle", "two--hyphens", "x" * 65):
        with pytest.raises(InvalidInput, match="up to 64 lowercase letters"):
            draft_id(library, GUILD, bad)
    with pytest.raises(InvalidInput, match="is already taken here") as taken:
        draft_id(library, GUILD, "go-around")
    assert "/activity copy" in taken.value.message


async def test_a_step_is_added_only_when_the_draft_still_validates(library: GuildLibrary) -> None:
    draft = new_draft("evening", "Evening", "A calm close", 20)
    fine = step_from_form("prompt", {"title": "Arrive", "text": "Settle in."})
    check_draft(library, {**draft, "steps": [fine]})
    broken = {**fine, "time_limit": "forever"}
    with pytest.raises(InvalidInput, match="That step can't be added yet: ") as refused:
        check_draft(library, {**draft, "steps": [broken]})
    assert "time_limit" in refused.value.message
