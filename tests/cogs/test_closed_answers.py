"""Closed sessions through the real bot: a member who isn't in (asking, in line, or taken out)
can't answer a step; they are told privately how to ask for a place, and nothing is saved."""

from __future__ import annotations

from tests.cogs.test_closed_sessions import board
from tests.cogs.test_reflect_review import WORDS
from tests.conftest import World, find_message
from tests.responses import reply_to


async def test_a_member_not_let_in_cannot_answer_and_is_told_how_to_ask(world: World) -> None:
    ana, ben, cai = world.members
    await world.facilitator.slash(
        world.channel, "session start", title="Closed circle", invite_only=True
    )
    asked = await ana.click(board(world), label="Join")
    assert "join by invitation" in reply_to(asked).content
    await ben.click(board(world), label="Join")
    manage = await world.facilitator.click(board(world), label="Manage")
    await world.facilitator.select(reply_to(manage).message, [f"admit:{ben.id}"])
    started = await world.facilitator.slash(world.channel, "activity start", activity="test-review")
    assert started.ephemeral, reply_to(started).content

    for member in (ana, cai):  # asking to join; never asked
        card = find_message(world.channel, "Reviewed reflection")
        shown = await member.click(card, label="Reflect")
        assert shown.modal is not None
        refused = await member.submit_modal(shown, {"answer": WORDS["ana"], "share": True})
        assert refused.ephemeral
        text = reply_to(refused).content or ""
        assert "**Closed circle** is a closed group and you're not in it yet" in text, text
        assert "wasn't saved" in text and "press **Join** on the session board" in text
    shown = await ben.click(find_message(world.channel, "Reviewed reflection"), label="Reflect")
    saved = await ben.submit_modal(shown, {"answer": WORDS["ben"], "share": True})
    assert "saved anonymously" in (reply_to(saved).content or "")

    bot = world.bot()
    run = await bot.store.runs.live_for_session(1)
    assert run is not None
    answers = await bot.store.contributions.for_step(run.id, 0)
    assert [c.payload.get("text") for c in answers] == [WORDS["ben"]]
    present = {a.user_id for a in await bot.store.sessions.present(1)}
    assert ana.id not in present and cai.id not in present
