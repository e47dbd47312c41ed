"""/mydata format:csv and format:chart: the CSV parses with `csv` and matches the database row
for row, on the member's own clock; the chart is a PNG; both are private."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.exports import CSV_COLUMNS
from tests.cogs.test_checkins import agree, open_and_join, rows, start
from tests.cogs.test_goals import rate_all, set_goal
from tests.conftest import World, find_message
from tests.responses import reply_to

NOTE = '=HYPERLINK("x") & a slow morning, 日本'


async def member_data(world: World) -> None:
    """ana: a goal rated in one session, a check-in pair with a note, a check-in schedule."""
    ana, ben = world.members[:2]
    await set_goal(world, ana, "sleep better", first=True)
    await open_and_join(world, ana)
    await start(world, "test-goal-step")
    await rate_all(world, ana, ["4 · Good"])
    await world.facilitator.slash(world.channel, "session end")
    await world.env.advance_time(3600)
    await open_and_join(world, ana, ben)
    await start(world, "test-checkin-pair")
    await ana.click(find_message(world.channel, "Arriving"), label="4")
    reply = [
        m
        for m in world.channel.history(viewer=ana)
        if m.flags.ephemeral and "Your answer is saved" in (m.content or "")
    ][-1]
    shown = await ana.click(reply, label="Add a note")
    await ana.submit_modal(shown, {"note": NOTE})
    await agree(world, ben, "Arriving", "6")
    for person in (ana, ben):
        await person.click(find_message(world.channel, "Leaving"), label="7")
    await world.facilitator.slash(world.channel, "session end")
    await ana.slash(
        world.channel,
        "checkin schedule set",
        days="daily",
        time="19:00",
        timezone="America/Sao_Paulo",
    )


def local(ts: object) -> str:
    at = datetime.fromtimestamp(float(str(ts)), UTC)
    return at.astimezone(ZoneInfo("America/Sao_Paulo")).isoformat(timespec="seconds")


async def test_csv_parses_and_matches_the_database(world: World) -> None:
    ana = world.members[0]
    await member_data(world)
    tagged = await ana.slash(world.channel, "checkin tag add", tags="Draußen, =played music")
    assert "Draußen" in (reply_to(tagged).content or ""), reply_to(tagged).content
    result = await ana.slash(world.channel, "mydata", format="csv")
    assert result.ephemeral
    [attachment] = reply_to(result).attachments
    assert attachment.filename == "chorus-mydata.csv"
    text = (await attachment.read()).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(table[0].keys()) == CSV_COLUMNS
    assert "America/Sao_Paulo" in (reply_to(result).content or "")

    checkins = await rows(
        world,
        "SELECT created_at, session_id, scale, phase, value, note FROM checkins"
        " WHERE user_id = ? ORDER BY created_at, id",
        ana.id,
    )
    ratings = await rows(
        world,
        "SELECT r.created_at, r.value, g.text FROM goal_ratings r JOIN goals g ON g.id = r.goal_id"
        " WHERE g.user_id = ? ORDER BY r.created_at",
        ana.id,
    )
    contributions = await rows(
        world,
        "SELECT c.created_at, c.kind, c.payload FROM contributions c WHERE c.author_id = ?"
        " ORDER BY c.created_at",
        ana.id,
    )
    assert len(checkins) == 2 and len(ratings) == 1 and contributions
    assert [r["record"] for r in table].count("checkin") == len(checkins)
    assert [r["record"] for r in table].count("goal_rating") == len(ratings)
    assert [r["record"] for r in table].count("contribution") == len(contributions)
    assert len(table) == len(checkins) + len(ratings) + len(contributions)

    found = [r for r in table if r["record"] == "checkin"]
    for row, (created, session_id, scale, phase, value, note) in zip(found, checkins, strict=True):
        assert row["local_time"] == local(created) and row["timezone"] == "America/Sao_Paulo"
        assert (row["session_id"], row["scale"], row["phase"], row["value"]) == (
            str(session_id),
            scale,
            phase,
            str(value),
        )
        # Member text that a spreadsheet would run as a formula starts with an apostrophe.
        assert row["note"] == ("" if note is None else "'" + str(note))
    assert found[0]["note"] == "'" + NOTE
    tags = await rows(
        world,
        "SELECT t.checkin_id, t.tag FROM checkin_tags t JOIN checkins c ON c.id = t.checkin_id"
        " WHERE t.user_id = ? ORDER BY c.created_at, t.tag",
        ana.id,
    )
    assert [tag for _, tag in tags] == ["=played music", "Draußen"]
    ids = [
        r[0]
        for r in await rows(
            world, "SELECT id FROM checkins WHERE user_id = ? ORDER BY created_at, id", ana.id
        )
    ]
    for row, checkin_id in zip(found, ids, strict=True):
        own = [tag for cid, tag in tags if cid == checkin_id]
        assert row["tags"] == ("'" if own and own[0].startswith("=") else "") + "; ".join(own)
    assert found[-1]["tags"] == "'=played music; Draußen"
    [rating] = [r for r in table if r["record"] == "goal_rating"]
    assert (rating["value"], rating["goal"], rating["local_time"]) == (
        str(ratings[0][1]),
        ratings[0][2],
        local(ratings[0][0]),
    )
    for row, (created, kind, payload) in zip(
        [r for r in table if r["record"] == "contribution"], contributions, strict=True
    ):
        assert row["contribution_kind"] == kind and row["local_time"] == local(created)
        assert json.loads(row["payload"].lstrip("'")) == json.loads(str(payload))
    assert [r["utc_time"] for r in table] == sorted(r["utc_time"] for r in table)
    assert str(world.members[1].id) not in text


async def test_chart_is_a_private_png(world: World) -> None:
    ana = world.members[0]
    await member_data(world)
    result = await ana.slash(world.channel, "mydata", format="chart")
    assert result.ephemeral
    [attachment] = reply_to(result).attachments
    assert attachment.filename == "chorus-summary.png"
    assert (await attachment.read()).startswith(b"\x89PNG\r\n\x1a\n")
    assert "2 check-ins" in (reply_to(result).content or "")
    assert "1 goal." in (reply_to(result).content or "")
    empty = await world.members[2].slash(world.channel, "mydata", format="chart")
    assert empty.ephemeral and "0 check-ins" in (reply_to(empty).content or "")
