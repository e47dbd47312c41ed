"""/setup through the real bot: each server's own settings, changed from Discord and recorded."""

from __future__ import annotations

from typing import Any

import discord
import simcord
from simcord.actors import MemberActor
from simcord.results import InteractionResult

from bot.core.activities import Catalog
from bot.settings import Settings
from bot.store.checkins import NewCheckin
from tests.cogs.test_checkins import agree, care_messages, open_and_join, start
from tests.conftest import World
from tests.responses import reply_to

DAY = 86_400


def other_world(env: simcord.Env) -> World:
    """A second server in the same Chorus, with its own facilitator and members."""
    guild = env.create_guild("Other server")
    channel = guild.create_text_channel("circle")
    voice = guild.create_voice_channel("Room")
    role = guild.create_role("Facilitator", permissions=discord.Permissions.none())
    facilitator = guild.add_member(env.create_user("gus"), roles=[role])
    people = [guild.add_member(env.create_user(name)) for name in ("hal", "ivy", "jo")]
    return World(env, guild, channel, voice, role, facilitator, people)


def reply(result: InteractionResult) -> str:
    response = reply_to(result)
    texts = [response.content or ""]
    texts += [(e.title or "") + "\n" + (e.description or "") for e in response.embeds]
    for embed in response.embeds:
        texts += [f"{f.name}: {f.value}" for f in embed.fields]
    return "\n".join(texts)


def link_labels(message: object) -> list[tuple[str, str]]:
    return [
        (c.label, c.url)
        for row in getattr(message, "components", [])
        for c in row.children
        if getattr(c, "url", None)
    ]


async def test_show_lists_defaults_and_only_manage_server_changes(world: World) -> None:
    shown = await world.facilitator.slash(world.channel, "setup show")
    assert shown.ephemeral
    text = reply(shown)
    assert "Facilitator roles (default)" in text and "roles named **Facilitator**" in text
    assert "Check-in retention (days) (default): 365 days" in text
    refused = await world.facilitator.slash(world.channel, "setup care", low_score=4)
    assert "Only members with the Manage Server permission" in reply(refused)
    member = await world.members[0].slash(world.channel, "setup show")
    assert "Only facilitators" in reply(member)
    assert await world.bot().guild_settings.history(world.guild.id) == []


async def test_support_text_and_links_are_this_servers_own(world: World) -> None:
    """A member's low check-in shows their server's helpline, never another server's."""
    other = other_world(world.env)
    changed = await world.manager().slash(
        world.channel,
        "setup support",
        text="Call the Leeds helpline, or talk to Sam after the group.",
        links="Leeds Helpline https://example.org/leeds; Samaritans https://www.samaritans.org",
    )
    assert changed.ephemeral
    preview = reply(changed)
    assert "Support text: default → Call the Leeds helpline" in preview
    assert "Preview" in preview and "Leeds helpline" in preview
    assert link_labels(reply_to(changed).message) == [
        ("Leeds Helpline", "https://example.org/leeds"),
        ("Samaritans", "https://www.samaritans.org"),
    ]
    # A low check-in here shows this server's text and links.
    ana = world.members[0]
    await open_and_join(world, ana)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "1")
    care = care_messages(world, ana)
    assert len(care) == 1
    assert "Leeds helpline" in (care[0].embeds[0].description or "")
    assert ("Samaritans", "https://www.samaritans.org") in link_labels(care[0])
    # /support shows the same here and the operator's default in the other server.
    here = await ana.slash(world.channel, "support")
    assert "Leeds helpline" in reply(here)
    hal = other.members[0]
    there = await hal.slash(other.channel, "support")
    assert "findahelpline.com" in reply(there) and "Leeds" not in reply(there)
    await open_and_join(other, hal)
    await start(other, "test-checkin-pair")
    await agree(other, hal, "Arriving", "1")
    other_care = care_messages(other, hal)
    assert len(other_care) == 1
    description = other_care[0].embeds[0].description or ""
    assert "findahelpline.com" in description and "Leeds" not in description


async def test_low_score_threshold_is_per_server(world: World) -> None:
    ana, ben = world.members[:2]
    result = await world.manager().slash(world.channel, "setup care", low_score=5)
    assert "Low check-in threshold: default → 5" in reply(result)
    await open_and_join(world, ana, ben)
    await start(world, "test-checkin-pair")
    await agree(world, ana, "Arriving", "5")
    await agree(world, ben, "Arriving", "6")
    assert len(care_messages(world, ana)) == 1
    assert care_messages(world, ben) == []


async def test_facilitator_roles_chosen_by_id_replace_the_default_names(world: World) -> None:
    leads = world.guild.create_role("Leads", permissions=discord.Permissions.none())
    lee = world.guild.add_member(world.env.create_user("lee"), roles=[leads])

    async def facilitates(member: MemberActor) -> bool:
        result = await member.slash(world.channel, "session history")
        return "Only facilitators" not in reply(result)

    assert await facilitates(world.facilitator) and not await facilitates(lee)
    changed = await world.manager().slash(world.channel, "setup roles", role=leads)
    assert f"<@&{leads.id}>" in reply(changed)
    assert await facilitates(lee)
    assert not await facilitates(world.facilitator), "the default role name no longer applies"
    # Renaming the chosen role keeps it: roles are stored by id.
    world.env.backend.edit_role(world.guild.id, leads.id, {"name": "Guides"})
    await world.env.settle()
    assert await facilitates(lee)
    refused = await world.members[0].slash(world.channel, "session history")
    assert f"<@&{leads.id}>" in reply(refused)  # the refusal names who may
    await world.manager().slash(world.channel, "setup reset", setting="facilitator_roles")
    assert await facilitates(world.facilitator) and not await facilitates(lee)


async def test_out_of_bounds_values_are_refused_saying_the_bounds(world: World) -> None:
    manager = world.manager()
    over = await manager.slash(world.channel, "setup retention", checkin_days=400)
    assert "must be from 7 to 365; you gave 400" in reply(over)
    fast = await manager.slash(world.channel, "setup board", seconds=0.2)
    assert "from 1 to 60 seconds" in reply(fast)
    bad_link = await manager.slash(world.channel, "setup support", links="call someone")
    assert "Write each as a label then its address" in reply(bad_link)
    assert await world.bot().guild_settings.history(world.guild.id) == []


async def test_retention_purges_each_server_by_its_own_choice(world: World) -> None:
    other = other_world(world.env)
    bot = world.bot()
    now = bot.clock().timestamp()
    changed = await world.manager().slash(world.channel, "setup retention", checkin_days=30)
    assert "Check-in retention (days): default → 30" in reply(changed)
    for guild_id in (world.guild.id, other.guild.id):
        for age_days in (10, 40, 400):
            await bot.store.checkins.save(
                NewCheckin(
                    guild_id=guild_id,
                    user_id=7,
                    session_id=None,
                    run_id=None,
                    step_index=None,
                    scale="0-10",
                    phase="any",
                    measure=None,
                    value=5,
                    value2=None,
                    passed=False,
                    created_at=now - age_days * DAY,
                )
            )
    cog: Any = bot.get_cog("PrivacyCog")  # the daily purge, run now
    assert cog is not None
    await cog.purge()
    left = await bot.store.db.fetch_all(
        "SELECT guild_id, COUNT(*) FROM checkins GROUP BY guild_id ORDER BY guild_id"
    )
    kept = {int(r[0]): int(r[1]) for r in left}
    assert kept[world.guild.id] == 1  # only the 10-day-old one: this server keeps 30 days
    assert kept[other.guild.id] == 2  # the operator's 365 days there


async def test_history_records_who_when_old_and_new_and_forget_anonymises(
    world: World,
) -> None:
    manager = world.manager()
    await manager.slash(world.channel, "setup language", language="de")
    await manager.slash(world.channel, "setup language", language="es")
    same = await manager.slash(world.channel, "setup language", language="es")
    assert "already set that way" in reply(same)
    history = await world.facilitator.slash(world.channel, "setup history")
    text = reply(history)
    assert text.index("**Language** de → es") < text.index("**Language** default → de")
    assert f"<@{manager.id}>" in text
    shown = reply(await world.facilitator.slash(world.channel, "setup show"))
    assert "Language: Spanish (es)" in shown
    # The member who changed it forgets themselves: the change stays, their id goes.
    forget = await manager.slash(world.channel, "forget")
    done = await manager.click(reply_to(forget).message, label="Delete my data")
    assert "has been deleted" in reply_to(done).content
    after = reply(await world.facilitator.slash(world.channel, "setup history"))
    assert f"<@{manager.id}>" not in after and "a former member" in after


async def test_settings_survive_a_restart(
    world: World, settings: Settings, catalog: Catalog
) -> None:
    from tests.conftest import restart

    await world.manager().slash(world.channel, "setup care", low_score=6)
    fresh = await restart(world, settings, catalog)
    assert fresh.guild_settings.for_guild(world.guild.id).low_score_max == 6
    assert fresh.guild_settings.for_guild(None).low_score_max == 2
