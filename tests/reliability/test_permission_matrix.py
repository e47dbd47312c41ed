"""Area 5: every application command against a declared table of who may use it, and where.

The table is the contract: a command in the tree that is missing from it (or a stale row)
fails the test, so a new command must be declared facilitator-only or member, guild or DM.
"""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands
from simcord.backend.errors import SetupError

from bot.chorus_bot import ChorusBot
from tests.cogs.test_session_flow import open_session
from tests.conftest import World

FACILITATOR = "facilitator"
MANAGER = "manage server"
MEMBER = "member"

# name -> (who, works in DMs, options a member's attempt is made with)
TABLE: dict[str, tuple[str, bool, dict[str, Any]]] = {
    "about": (MEMBER, True, {}),
    "support": (MEMBER, True, {}),
    "rhyme": (MEMBER, True, {"word": "moon"}),
    "session start": (FACILITATOR, False, {"title": "Mine now"}),
    "session join": (MEMBER, False, {}),
    "session leave": (MEMBER, False, {}),
    "session status": (MEMBER, False, {}),
    "session end": (FACILITATOR, False, {}),
    "session history": (FACILITATOR, False, {}),
    "session report": (FACILITATOR, False, {}),
    "session schedule create": (FACILITATOR, False, {"title": "x", "when": "tomorrow 18:00"}),
    "session schedule edit": (FACILITATOR, False, {"id": 1, "title": "y"}),
    "session schedule cancel": (FACILITATOR, False, {"id": 1}),
    "session upcoming": (MEMBER, False, {}),
    "session calendar": (MEMBER, False, {}),
    "activity list": (MEMBER, False, {}),
    "activity info": (MEMBER, False, {"activity": "test-flow"}),
    "activity start": (FACILITATOR, False, {"activity": "test-flow"}),
    "activity next": (FACILITATOR, False, {}),
    "activity pause": (FACILITATOR, False, {}),
    "activity resume": (FACILITATOR, False, {}),
    "activity extend": (FACILITATOR, False, {"minutes": 2}),
    "activity stop": (FACILITATOR, False, {}),
    "activity reload": (FACILITATOR, False, {}),
    "activity upload": (FACILITATOR, False, {"file": ("a.yaml", b"id: a")}),
    "activity export": (FACILITATOR, False, {"activity": "test-flow"}),
    "activity copy": (FACILITATOR, False, {"activity": "test-flow", "new_id": "my-flow"}),
    "activity delete": (FACILITATOR, False, {"activity": "my-flow"}),
    "activity versions": (FACILITATOR, False, {"activity": "my-flow"}),
    "activity new": (
        FACILITATOR,
        False,
        {"id": "my-new", "title": "Mine", "summary": "A new one.", "minutes": 5},
    ),
    "song remove": (FACILITATOR, False, {"line_number": 1}),
    "song title": (FACILITATOR, False, {"title": "Ours"}),
    "song list": (MEMBER, False, {}),
    "song show": (MEMBER, False, {"song_id": 1}),
    "song export": (MEMBER, False, {"song_id": 1}),
    "song credit": (MEMBER, False, {"setting": "on"}),
    "line": (MEMBER, False, {"text": "a line of mine"}),
    "setup timezone": (MANAGER, False, {"zone": "Europe/London"}),
    "setup show": (FACILITATOR, False, {}),
    "setup history": (FACILITATOR, False, {}),
    "setup roles": (MANAGER, False, {"role": "Facilitator"}),
    "setup language": (MANAGER, False, {"language": "de"}),
    "setup care": (MANAGER, False, {"low_score": 3}),
    "setup support": (MANAGER, False, {"text": "Call a friend."}),
    "setup retention": (MANAGER, False, {"checkin_days": 30}),
    "setup board": (MANAGER, False, {"seconds": 1.0}),
    "setup reset": (MANAGER, False, {"setting": "language"}),
    "setup tags": (MANAGER, False, {"action": "list"}),
    "remind me": (MEMBER, False, {"state": "on"}),
    "listen suggest": (MEMBER, False, {"title": "Blackbird"}),
    "listen playlist": (MEMBER, False, {}),
    "listen remove": (FACILITATOR, False, {"entry": 1}),
    "listen library": (MEMBER, False, {}),
    "listen now": (FACILITATOR, False, {}),
    "listen upload": (FACILITATOR, False, {"file": ("a.ogg", b"x")}),
    "checkin now": (MEMBER, False, {}),
    "checkin history": (MEMBER, False, {}),
    "checkin consent": (MEMBER, False, {}),
    "checkin schedule set": (
        MEMBER,
        False,
        {"days": "tue, fri", "time": "19:00", "timezone": "Europe/Berlin"},
    ),
    "checkin schedule show": (MEMBER, False, {}),
    "checkin schedule off": (MEMBER, False, {}),
    "checkin notice on": (MEMBER, False, {}),
    "checkin notice show": (MEMBER, False, {}),
    "checkin notice off": (MEMBER, False, {}),
    "checkin tag add": (MEMBER, False, {"tags": "went outside"}),
    "checkin tag mood": (MEMBER, False, {}),
    "checkin tag pick": (MEMBER, False, {}),
    "group trends": (FACILITATOR, False, {}),
    "goal set": (MEMBER, False, {"text": "breathe slowly"}),
    "goal list": (MEMBER, False, {}),
    "goal done": (MEMBER, False, {"id": 1}),
    "goal drop": (MEMBER, False, {"id": 2}),
    "goal progress": (MEMBER, False, {}),
    "mydata": (MEMBER, False, {}),
    "forget": (MEMBER, False, {}),
}

REFUSAL = "Only facilitators"


def _resolved(world: World, options: dict[str, Any]) -> dict[str, Any]:
    """Options naming a role by name, as the member would pick it."""
    return {
        key: world.facilitator_role if key == "role" else value for key, value in options.items()
    }


MANAGER_REFUSAL = "Only members with the Manage Server permission"
ERROR_CODE = "Something went wrong"


def commands_of(bot: ChorusBot) -> dict[str, app_commands.Command[Any, ..., Any]]:
    return {
        c.qualified_name: c for c in bot.tree.walk_commands() if isinstance(c, app_commands.Command)
    }


def guild_only(command: app_commands.Command[Any, ..., Any]) -> bool:
    """The command, or the group it sits in, is limited to servers."""
    node: Any = command
    while node is not None:
        contexts = node.allowed_contexts
        if node.guild_only or (contexts is not None and not contexts.dm_channel):
            return True
        node = node.parent
    return False


def answer(result: Any) -> str:
    response = result.response
    texts = [response.content or ""]
    texts += [(e.title or "") + (e.description or "") for e in response.embeds]
    return "\n".join(texts)


async def test_table_covers_every_command_and_its_contexts(world: World) -> None:
    found = commands_of(world.bot())
    undeclared = sorted(set(found) - set(TABLE))
    stale = sorted(set(TABLE) - set(found))
    assert not undeclared, f"declare these commands in TABLE (facilitator or member): {undeclared}"
    assert not stale, f"TABLE lists commands that no longer exist: {stale}"
    wrong_context = [
        name for name, command in found.items() if guild_only(command) == TABLE[name][1]
    ]
    assert not wrong_context, f"guild-only flag differs from the table: {wrong_context}"
    # Discord offers guild-only commands nowhere in DMs; simcord applies the same contexts.
    in_dm = set(world.members[0].user.available_commands())
    offered = {name for name in found if name in in_dm}
    assert offered == {name for name, row in TABLE.items() if row[1]}
    print(
        f"permissions: {len(found)} commands in the tree, all declared; "
        f"{sum(r[0] == FACILITATOR for r in TABLE.values())} facilitator-only, "
        f"{len(offered)} usable in DMs"
    )


async def test_members_are_refused_facilitator_commands_and_can_use_theirs(
    world: World,
) -> None:
    ana = world.members[0]
    await open_session(world)
    await world.facilitator.slash(world.channel, "activity start", activity="test-flow")
    refused = worked = 0
    problems: list[str] = []
    for name, (who, _, options) in TABLE.items():
        if who != FACILITATOR:
            continue
        result = await ana.slash(world.channel, name, **options)
        if not (result.ephemeral and REFUSAL in answer(result)):
            problems.append(f"{name}: member got {answer(result)[:120]!r}")
        refused += 1
    # Server settings decide who the facilitators are: a facilitator role is not enough.
    for name, (who, _, options) in TABLE.items():
        if who != MANAGER:
            continue
        for actor in (ana, world.facilitator):
            result = await actor.slash(world.channel, name, **_resolved(world, options))
            if not (result.ephemeral and MANAGER_REFUSAL in answer(result)):
                problems.append(f"{name}: {actor.user.name} got {answer(result)[:120]!r}")
        result = await world.manager().slash(world.channel, name, **_resolved(world, options))
        if MANAGER_REFUSAL in answer(result) or ERROR_CODE in answer(result):
            problems.append(f"{name}: a Manage Server member got {answer(result)[:120]!r}")
        refused += 1
    for name, (who, _, options) in TABLE.items():
        if who != MEMBER:
            continue
        result = await ana.slash(world.channel, name, **options)
        text = answer(result) if result.response is not None else ""
        if REFUSAL in text or ERROR_CODE in text:
            problems.append(f"{name}: member got {text[:120]!r}")
        worked += 1
    # Commands that work in DMs do work there.
    dm_ok = 0
    for name, (_, in_dm, options) in TABLE.items():
        if in_dm:
            result = await ana.user.slash(name, **options)
            assert ERROR_CODE not in answer(result), name
            dm_ok += 1
    assert not problems, "\n".join(problems)
    print(
        f"permissions: {refused} facilitator-only commands refused to a member, "
        f"{worked} member commands answered without refusal or error code, "
        f"{dm_ok} DM commands answered"
    )
    assert refused + worked == len(TABLE)


async def test_guild_only_commands_cannot_run_in_dms(world: World) -> None:
    user = world.members[0].user
    tried = 0
    for name, (_, in_dm, options) in TABLE.items():
        if in_dm:
            continue
        tried += 1
        with pytest.raises(SetupError, match="not visible to this user here"):
            await user.slash(name, **options)
    print(f"permissions: {tried} guild-only commands not invocable in DMs")


async def test_renamed_or_deleted_role_falls_back_to_manage_server(world: World) -> None:
    env, guild = world.env, world.guild
    admins = guild.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    mo = guild.add_member(env.create_user("mo"), roles=[admins])
    fran = world.facilitator

    async def facilitates(member: Any) -> bool:
        result = await member.slash(world.channel, "session history")
        return REFUSAL not in answer(result)

    assert await facilitates(fran) and await facilitates(mo)
    assert not await facilitates(world.members[0])

    env.backend.edit_role(guild.id, world.facilitator_role.id, {"name": "Helpers"})
    await env.settle()
    renamed = await facilitates(fran)
    assert not renamed, "a renamed Facilitator role must not keep its powers"
    assert await facilitates(mo)

    env.backend.delete_role(guild.id, world.facilitator_role.id)
    await env.settle()
    assert not await facilitates(fran)
    assert await facilitates(mo), "Manage Server keeps facilitating with no Facilitator role"
    print("permissions: role renamed -> refused; role deleted -> refused; Manage Server -> allowed")
