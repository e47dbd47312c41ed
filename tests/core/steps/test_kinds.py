"""Every registered step kind, whichever it is: its model loads an example step, its handler
answers every call of the step interface, its presenter renders the card at the start, closed
and after it within Discord's limits.

The kinds come from the registry (`step_kinds()`) and their example steps from
tests/kind_examples.py, so a kind added in its two files is covered here with no edit; this
module stands for every `bot/core/steps/<kind>.py` and `bot/ui/steps/<kind>.py` in
tests/test_tree_mirror.py. A kind's own rules deserve their own tests beside this one
(tests/core/steps/test_<kind>.py).
"""

from __future__ import annotations

import typing
from dataclasses import replace
from typing import Any

import discord
import pytest

from bot.core.errors import UserFacingError
from bot.core.step_state import StepState
from bot.core.steps import Press, Pressed, StepContext, StepKind, Wake, step_handlers, step_kinds
from bot.records.sessions import ContributionRecord
from bot.ui.steps import presenters
from bot.ui.steps.base import MessagePayload, StepScene
from tests.discord_limits import check_message
from tests.kind_examples import activity_of, example_step
from tests.ui.test_templates import FACILITATOR, MEMBERS, NAMES, STARTED, run, session

KINDS = [kind.name for kind in step_kinds()]


def registered(name: str) -> StepKind[Any]:
    (kind,) = [kind for kind in step_kinds() if kind.name == name]
    return kind


def the_step(name: str) -> Any:
    (step,) = activity_of([example_step(registered(name))]).steps
    return step


def context(step: Any, state: dict[str, Any] | None = None) -> StepContext[Any]:
    return StepContext(
        run=run(0),
        step=step,
        present=[FACILITATOR, *MEMBERS],
        now=STARTED + 5,
        state=state or {},
        facilitator_id=FACILITATOR,
        language="en",
    )


def test_the_registry_lists_each_kind_once_in_author_order() -> None:
    kinds = step_kinds()
    assert kinds, "no kinds found"
    assert len(set(KINDS)) == len(KINDS)
    assert list(kinds) == sorted(kinds, key=lambda kind: (kind.order, kind.name))


@pytest.mark.parametrize("name", KINDS)
def test_the_model_is_named_by_its_module_and_loads_its_example(name: str) -> None:
    kind = registered(name)
    assert typing.get_args(kind.model.model_fields["type"].annotation) == (name,)
    assert kind.model.__module__.rsplit(".", 1)[-1] == name
    step = the_step(name)
    assert isinstance(step, kind.model) and step.type == name and step.title
    if kind.form is not None:
        assert kind.form.fields[0].key == "title" and len(kind.form.fields) <= 5


@pytest.mark.parametrize("name", KINDS)
def test_the_handler_answers_the_whole_step_interface(name: str) -> None:
    handler = step_handlers()[name]
    assert handler.kind == name
    step = the_step(name)
    ctx = context(step)
    assert isinstance(handler.one_answer_per_member(step), bool)
    entered = handler.enter(ctx)
    assert isinstance(entered, Wake)
    assert entered.at is None or entered.at >= ctx.now
    ctx = replace(ctx, state=dict(entered.state))
    assert isinstance(handler.is_complete(ctx, []), bool)
    woken = handler.on_wake(ctx)
    assert isinstance(woken, Wake)
    left = handler.refuse_leaving(ctx, True)
    assert left is None or isinstance(left, str | UserFacingError)
    changed = handler.attendance_changed(replace(ctx, present=[FACILITATOR, *MEMBERS[:2]]))
    assert changed is None or isinstance(changed, Wake)
    assert isinstance(handler.resumed(ctx.state, 60.0), dict)
    for leads in (True, False):
        press = Press(action="answer", member_id=FACILITATOR if leads else MEMBERS[0], leads=leads)
        try:
            pressed = handler.pressed(step, press)
        except UserFacingError as refusal:
            assert refusal.message, f"{name} refuses a press without saying why"
        else:
            assert isinstance(pressed, Pressed)


@pytest.mark.parametrize("name", KINDS)
def test_the_kind_s_state_type_reads_what_its_handler_keeps(name: str) -> None:
    """A kind that keeps state of its own declares its type (`StepKind.state`) in its own
    module or a ``bot/core/<kind>_state.py`` of its own, and that type reads every state the handler returns: the one it
    enters with and the one after its timer. Readers elsewhere get it from
    `StepState.kind`."""
    kind = registered(name)
    handler = step_handlers()[name]
    step = the_step(name)
    entered = handler.enter(context(step))
    if kind.state is None:
        assert not entered.state, f"{name} keeps state without declaring its type"
        return
    # Its own module, or a core module of its own beside it (round_state.py, lyric_state.py:
    # kept apart so the kind module stays about its handler) that no other kind shares.
    home = kind.state.__module__
    assert home == kind.model.__module__ or (
        home.startswith("bot.core.")
        and home.endswith("_state")
        and home not in ("bot.core.step_state", "bot.core.steps.base")
        and not home.startswith("bot.core.steps.")
    ), home
    sharing = [
        k for k in KINDS if k != name and getattr(registered(k).state, "__module__", None) == home
    ]
    assert sharing == [], f"{name}'s state module {home} is shared with {sharing}"
    woken = handler.on_wake(context(step, dict(entered.state)))
    for state in (entered.state, woken.state, {}):
        saved = StepState.parse(StepState({**state, "wake_at": entered.at}).text())
        assert isinstance(saved.kind(kind.state), kind.state)


def payload_problems(payload: MessagePayload) -> list[str]:
    """What in `payload` Discord would refuse (the test plugin's checks, tests/discord_limits.py),
    or an empty message."""
    body: dict[str, Any] = {
        "content": payload.content,
        "embeds": [embed.to_dict() for embed in payload.all_embeds],
        "components": payload.view.to_components() if payload.view is not None else [],
    }
    found = check_message("card", body)
    if not (payload.content or payload.all_embeds or payload.files):
        found.append("an empty message")
    return found


def contributions() -> list[ContributionRecord]:
    return [
        ContributionRecord(
            id=n,
            run_id=1,
            step_index=0,
            author_id=member,
            kind="answer",
            payload={"text": "Rain", "value": 7},
            created_at=STARTED + 2,
            updated_at=STARTED + 2,
        )
        for n, member in enumerate(MEMBERS, 1)
    ]


@pytest.mark.parametrize("name", KINDS)
def test_the_presenter_renders_the_card_open_closed_and_after(name: str) -> None:
    presenter = presenters()[name]
    assert presenter.kind == name
    step = the_step(name)
    activity = activity_of([example_step(registered(name))])
    scene = StepScene(
        session=session(), run=run(0), activity=activity, step=step, step_index=0, locale="en"
    )
    opened = presenter.render(scene)
    assert not payload_problems(opened), payload_problems(opened)
    ended = replace(
        scene,
        run=replace(run(0), state="finished", step_index=1),
        contributions=contributions(),
        names=NAMES,
    )
    closed = presenter.render_closed(ended)
    assert not payload_problems(closed), payload_problems(closed)
    if closed.view is not None:
        assert all(
            getattr(item, "disabled", True) or (isinstance(item, discord.ui.Button) and item.url)
            for item in closed.view.children
        ), f"{name}'s closed card still offers buttons"
    for after in presenter.after_exit(ended):
        assert not payload_problems(after), payload_problems(after)
