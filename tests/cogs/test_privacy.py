"""/mydata, /forget (with a generic scan of every table), leaving the server, and reports."""

from __future__ import annotations

import json
import logging

import pytest

from tests.cogs.test_checkins import agree, care_messages, open_and_join, start
from tests.conftest import World, find_message
from tests.responses import fields_of, reply_to


async def every_row_with(world: World, user_id: int) -> list[tuple[str, str]]:
    """(table, column) for every INTEGER column of every table holding this id.

    Generic on purpose: a table added by a later migration is scanned without changing this.
    """
    db = world.bot().store.db
    found = []
    tables = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for (table,) in tables:
        for column in await db.fetch_all(f"PRAGMA table_info({table})"):
            name, declared = str(column[1]), str(column[2]).upper()
            if "INT" not in declared:
                continue
            hit = await db.fetch_one(f"SELECT 1 FROM {table} WHERE {name} = ? LIMIT 1", (user_id,))
            if hit is not None:
                found.append((str(table), name))
    return found


async def busy_session(world: World) -> None:
    """ana checks in before and after with a note, and writes a reflection; ben takes part."""
    ana, ben = world.members[:2]
    await open_and_join(world, ana, ben)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "4")
    reply = [
        m
        for m in world.channel.history(viewer=ana)
        if m.flags.ephemeral and "Your answer is saved" in (m.content or "")
    ][-1]
    shown = await ana.click(reply, label="Add a note")
    await ana.submit_modal(shown, {"note": "slow morning"})
    await agree(world, ben, "Arriving", "6")
    for person in (ana, ben):
        await person.click(find_message(world.channel, "Leaving"), label="7")
    await world.facilitator.slash(world.channel, "session end")


async def test_mydata_sends_everything_as_json(world: World) -> None:
    ana = world.members[0]
    await busy_session(world)
    result = await ana.slash(world.channel, "mydata")
    assert result.ephemeral
    files = reply_to(result).attachments
    assert [f.filename for f in files] == ["chorus-mydata.json"]
    # Counts read as words: "2 check-ins", "1 session attended", never "checkins"/"1 sessions".
    content = reply_to(result).content or ""
    assert "2 check-ins" in content and "1 session attended" in content, content
    assert "checkins" not in content and "1 sessions" not in content
    data = json.loads(await files[0].read())
    assert data["user_id"] == ana.id
    assert data["member"]["consent"] == "agreed"
    assert [(c["phase"], c["value"]) for c in data["checkins"]] == [("before", 4), ("after", 7)]
    assert data["checkins"][0]["note"] == "slow morning"
    assert data["checkins"][0]["session_title"] == "Tuesday circle"
    assert [a["session_title"] for a in data["attendance"]] == ["Tuesday circle"]
    assert {c["kind"] for c in data["contributions"]} == {"checkin"}
    # Nobody else's data is in it.
    text = json.dumps(data)
    assert str(world.members[1].id) not in text


async def test_forget_leaves_no_row_with_the_id(world: World) -> None:
    ana, ben = world.members[:2]
    await busy_session(world)
    before = await every_row_with(world, ana.id)
    assert {t for t, _ in before} >= {"checkins", "attendance", "contributions", "members"}
    asked = await ana.slash(world.channel, "forget")
    assert asked.ephemeral and "can't be undone" in (reply_to(asked).embeds[0].description or "")
    kept = await ana.click(reply_to(asked).message, label="Keep it")
    assert "Nothing was deleted" in reply_to(kept).content
    assert await every_row_with(world, ana.id) == before

    asked = await ana.slash(world.channel, "forget")
    done = await ana.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content
    assert await every_row_with(world, ana.id) == []
    # Others keep theirs; the shared session record stays.
    assert {t for t, _ in await every_row_with(world, ben.id)} >= {"checkins", "attendance"}
    notes = await world.bot().store.db.fetch_all("SELECT note FROM checkins")
    assert all(n[0] != "slow morning" for n in notes)


async def test_forget_covers_songs_nominations_and_reminders(world: World) -> None:
    """Lyric lines stay in the song without their author; everything else of theirs goes."""
    ana = world.members[0]
    await open_and_join(world, ana)
    db = world.bot().store.db
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO songs (id, guild_id, title, created_at) VALUES (1, ?, 'Ours', 0)",
            (world.guild.id,),
        )
        await conn.execute(
            "INSERT INTO song_lines (song_id, position, section, author_id, text, created_at)"
            " VALUES (1, 0, 'verse', ?, 'the kettle sings', 0)",
            (ana.id,),
        )
        await conn.execute(
            "INSERT INTO nominations (session_id, user_id, title, created_at)"
            " VALUES (1, ?, 'Blackbird', 0)",
            (ana.id,),
        )
        # Other features' tables (later migrations): reminders and a past schedule ana ran.
        await conn.execute(
            "INSERT INTO schedule_series (id, guild_id, channel_id, facilitator_id, title,"
            " duration_minutes, repeat, timezone, anchor_local, active, created_at)"
            " VALUES (1, ?, 1, ?, 'Old', 60, 'none', 'UTC', '2026-01-01T10:00', 0, 0)",
            (world.guild.id, ana.id),
        )
        await conn.execute(
            "INSERT INTO schedule_occurrences (id, series_id, guild_id, seq, starts_at, ends_at,"
            " created_at) VALUES (1, 1, ?, 0, 0, 1, 0)",
            (world.guild.id,),
        )
        await conn.execute(
            "INSERT INTO reminder_optins (guild_id, user_id, minutes_before, updated_at)"
            " VALUES (?, ?, 30, 0)",
            (world.guild.id, ana.id),
        )
        await conn.execute(
            "INSERT INTO sent_reminders (occurrence_id, user_id, via, sent_at)"
            " VALUES (1, ?, 'dm', 0)",
            (ana.id,),
        )
    exported = await ana.slash(world.channel, "mydata")
    data = json.loads(await reply_to(exported).attachments[0].read())
    assert [line["text"] for line in data["song_lines"]] == ["the kettle sings"]
    assert [n["title"] for n in data["nominations"]] == ["Blackbird"]
    assert data["reminder_optins"] and data["reminders_sent"] and data["schedules_facilitated"]
    asked = await ana.slash(world.channel, "forget")
    await ana.click(reply_to(asked).message, label="Delete my data")
    lines = await db.fetch_all("SELECT author_id, text FROM song_lines")
    assert [tuple(r) for r in lines] == [(None, "the kettle sings")]
    assert await db.fetch_all("SELECT * FROM nominations") == []
    assert await every_row_with(world, ana.id) == []


async def test_facilitator_with_an_active_schedule_is_asked_to_cancel_it_first(
    world: World,
) -> None:
    """Scheduled sessions open in the facilitator's name, so they cancel first; an open
    session does not hold /forget back (tests/cogs/test_privacy_scan.py forgets mid-session)."""
    await world.facilitator.slash(world.channel, "setup timezone", zone="Europe/Berlin")
    shown = await world.facilitator.slash(
        world.channel, "session schedule create", title="Friday circle", when="friday 18:00"
    )
    await world.facilitator.click(reply_to(shown).message, label="Confirm")
    asked = await world.facilitator.slash(world.channel, "forget")
    refused = await world.facilitator.click(reply_to(asked).message, label="Delete my data")
    assert "Cancel it" in reply_to(refused).content, reply_to(refused).content
    series = await world.bot().store.schedule.upcoming(world.guild.id, 10)
    assert series, "nothing was deleted"
    assert await every_row_with(world, world.facilitator.id) != []


@pytest.mark.parametrize("ended", [False, True], ids=["mid-session", "after the session"])
async def test_nobody_is_told_on_behalf_of_a_forgotten_facilitator(
    world: World, ended: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """A member asks Chorus to tell the facilitator they are finding things hard, but the
    facilitator has used /forget: nobody is contacted in their place (not the other
    facilitators either: the member chose to tell one person), and the member is told so,
    with the support resources again."""
    fran = world.facilitator
    ana, quiet = world.members[:2]
    gil = world.guild.add_member(world.env.create_user("gil"), roles=[world.facilitator_role])
    await open_and_join(world, ana, quiet)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "1")
    care = care_messages(world, ana)
    assert len(care) == 1
    if ended:
        await fran.slash(world.channel, "session end")
    asked = await fran.slash(world.channel, "forget")
    done = await fran.click(reply_to(asked).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content
    caplog.clear()
    caplog.set_level(logging.INFO, logger="chorus")
    told = await ana.click(care[0], label="Let the facilitator know")
    content = reply_to(told).content or ""
    assert told.ephemeral and "no longer has a facilitator I can contact" in content, content
    assert "I've let the facilitator know" not in content
    assert "findahelpline.com" in (reply_to(told).embeds[0].description or "")
    for person in (fran, gil):
        dm = person.user.dm_channel
        assert dm is None or not dm.history(), f"{person.name} was contacted"
    assert "could not reach facilitator" not in caplog.text
    assert "nobody was contacted" in caplog.text
    assert await every_row_with(world, fran.id) == []


async def test_leaving_the_server_deletes_data_after_the_grace_period(world: World) -> None:
    ana = world.members[0]
    await busy_session(world)
    bot = world.bot()
    world.guild.remove_member(ana)
    await world.env.settle()
    member = await bot.store.members.get(world.guild.id, ana.id)
    assert member is not None and member.left_guild_at is not None
    assert bot.get_cog("PrivacyCog") is not None
    # Within the grace period nothing goes; the daily timer runs the purge in virtual time.
    await world.env.advance_time(29 * 86400)
    assert await every_row_with(world, ana.id) != []
    await world.env.advance_time(2 * 86400)
    assert await every_row_with(world, ana.id) == []


async def test_session_report_is_for_facilitators_and_suppresses_small_groups(
    world: World,
) -> None:
    await busy_session(world)
    refused = await world.members[0].slash(world.channel, "session report")
    assert refused.ephemeral and "Only facilitators" in reply_to(refused).content
    result = await world.facilitator.slash(world.channel, "session report", session=1)
    assert result.ephemeral
    embed = reply_to(result).embeds[0]
    fields = fields_of(embed)
    assert fields["Attendance"] == "3 people"
    assert "Arriving: fewer than 3" in fields["Participation per step"]
    assert "Leaving: fewer than 3" in fields["Participation per step"]
    assert "Too few answers" in fields["Mood shift (mood, 0-10)"]
    text = json.dumps(embed.to_dict())
    assert "slow morning" not in text and "out of 10" not in text
    png = await reply_to(result).attachments[0].read()
    assert png.startswith(b"\x89PNG")


async def test_group_trends_chart(world: World) -> None:
    await busy_session(world)
    refused = await world.members[0].slash(world.channel, "group trends")
    assert "Only facilitators" in reply_to(refused).content
    result = await world.facilitator.slash(world.channel, "group trends", weeks=4)
    assert result.ephemeral
    description = reply_to(result).embeds[0].description or ""
    assert "1 session · 3 people · mood shift not shown" in description
    assert "1 sessions" not in description
    # Only the week with a session is listed; the empty weeks are one line, not filler.
    assert description.count("session ·") == 1 and "0 sessions" not in description
    assert "No sessions in the other weeks." in description
    png = await reply_to(result).attachments[0].read()
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("days", [1, 400])
async def test_history_after_checkins(world: World, days: int) -> None:
    await busy_session(world)
    result = await world.members[0].slash(world.channel, "checkin history", days=days)
    description = reply_to(result).embeds[0].description or ""
    assert "checked in 2 times" in description and "ranged from 4 to 7 out of 10" in description
    assert "felt better at the end in 1" in description
