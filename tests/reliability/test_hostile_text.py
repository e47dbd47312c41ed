"""Area 3: hostile member text in every command option and modal field that takes text.

For each generated text: no message the bot sends can ping anyone (allowed_mentions in every
payload parses nothing; stored messages mention no one), no error-code reply, every message is
within Discord's limits, and the text is shown back as written or visibly shortened. One simcord
world per field; a fresh session (channel) per example where the field needs one.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import World, find_message
from tests.responses import reply_to

EXAMPLES = 30
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ERROR_CODE = "Something went wrong"
OPTION_MAX = 6000  # Discord's client won't send a longer string option
MODAL_MAX = 4000


def hostile(ids: dict[str, int]) -> st.SearchStrategy[str]:
    pieces = [
        "@everyone",
        "@here",
        f"<@{ids['user']}>",
        f"<@!{ids['user']}>",
        f"<@&{ids['role']}>",
        f"<#{ids['channel']}>",
        "\u200b",
        "\u200d",
        "\u202e",
        "\u2066",
        "\ufeff",
        "```py\nprint('x')\n```",
        "**bold**",
        "||spoiler||",
        "> quote",
        "# Heading",
        "[link](https://evil.test)",
        "`",
        "\n",
        "\n\n\n\n",
        "\t",
        "\r\n",
        "\x00",
        " ",
    ]
    small = st.lists(
        st.one_of(st.sampled_from(pieces), st.text(max_size=12)), min_size=0, max_size=10
    ).map("".join)
    huge = st.sampled_from(pieces).map(lambda p: (p + " word ") * (10_000 // (len(p) + 6) + 1))
    return st.one_of(small, small, small, huge.map(lambda t: t[:10_000]))


class Checker:
    """Looks at everything the bot sent since the last example."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.seen = len(world.env.http_requests)
        self.sent = 0
        self.examples = 0
        self.shown = 0
        self.shortened = 0
        self.refused = 0
        self.stored = 0

    def start(self) -> None:
        self.seen = len(self.world.env.http_requests)

    def payloads(self) -> list[dict[str, Any]]:
        found = []
        for request in self.world.env.http_requests[self.seen :]:
            body = request.json
            if not isinstance(body, dict) or request.method not in ("POST", "PATCH"):
                continue
            message = body.get("data") if isinstance(body.get("data"), dict) else body
            if isinstance(message, dict) and ("content" in message or "embeds" in message):
                found.append(message)
        return found

    def check(self, marker: str, *, echo: bool = True) -> None:
        payloads = self.payloads()
        assert payloads, "the bot answered nothing"
        self.examples += 1
        for message in payloads:
            self.sent += 1
            mentions = message.get("allowed_mentions")
            assert mentions is not None, f"no allowed_mentions: {str(message)[:200]}"
            assert mentions.get("parse", []) == [], mentions
            assert not mentions.get("users") and not mentions.get("roles"), mentions
            assert not mentions.get("replied_user"), mentions
            content = message.get("content") or ""
            assert ERROR_CODE not in content, content
            assert len(content) <= 2000, len(content)
            total = 0
            for embed in message.get("embeds") or []:
                title = embed.get("title") or ""
                description = embed.get("description") or ""
                assert len(title) <= 256 and len(description) <= 4096
                fields = embed.get("fields") or []
                assert len(fields) <= 25
                for field in fields:
                    assert len(field["name"]) <= 256 and len(field["value"]) <= 1024, field
                    total += len(field["name"]) + len(field["value"])
                footer = (embed.get("footer") or {}).get("text") or ""
                author = (embed.get("author") or {}).get("name") or ""
                assert len(footer) <= 2048 and len(author) <= 256
                total += len(title) + len(description) + len(footer) + len(author)
                assert ERROR_CODE not in description
            assert total <= 6000, total
        self.check_stored()
        blob = json.dumps(payloads, ensure_ascii=False)
        if marker in blob:
            self.shown += 1
            if "…" in blob:
                self.shortened += 1
        elif echo:
            raise AssertionError(f"{marker} was not shown back: {blob[:300]}")
        else:
            self.refused += 1

    def check_stored(self) -> None:
        """No stored bot message pings anyone. simcord, like Discord, lists users named in the
        content in `message.mentions` even when nobody is pinged; who is actually pinged is the
        backend's ping_user_ids / ping_role_ids, and mention_everyone."""
        backend = self.world.env.backend
        user = self.world.bot().user
        assert user is not None  # logged in
        bot_id = user.id
        viewers = [None, self.world.facilitator, *self.world.members]
        for channel in self.world.guild.channels.values():
            for viewer in viewers:
                try:
                    history = channel.history(viewer=viewer)
                except Exception:  # voice channels and categories have no history
                    break
                for message in history[-6:]:
                    if message.author.id != bot_id:
                        continue
                    stored = backend.get_message(message.channel.id, message.id)
                    assert not stored.ping_user_ids, message.content
                    assert not stored.ping_role_ids, message.content
                    assert not stored.mention_everyone and not message.mention_everyone
                    self.stored += 1


def ids(world: World) -> dict[str, int]:
    return {
        "user": world.members[1].id,
        "role": world.facilitator_role.id,
        "channel": world.channel.id,
    }


counter = itertools.count(1)


def marked(text: str, limit: int) -> tuple[str, str]:
    marker = f"zq{next(counter)}x"
    return marker, (marker + " " + text)[:limit]


async def new_session(world: World, title: str = "Open circle") -> Any:
    channel = world.guild.create_text_channel(f"room-{next(counter)}")
    result = await world.facilitator.slash(channel, "session start", title=title)
    assert "is open" in reply_to(result).content, reply_to(result).content
    # cai is present but quiet, so auto steps stay open while ana answers again and again.
    await world.members[2].slash(channel, "session join")
    return channel


def run_examples(world: World, body: Callable[[str], Awaitable[None]]) -> Any:
    """Hypothesis draws the texts (it can't drive an async body inside a running loop, so no
    shrinking); each is then sent through simcord in turn."""
    texts: list[str] = []

    @FUZZ
    @given(text=hostile(ids(world)))
    def collect(text: str) -> None:
        texts.append(text)

    collect()

    async def examples() -> None:
        for text in texts:
            await body(text)

    return examples


async def test_session_titles(world: World) -> None:
    check = Checker(world)

    async def body(text: str) -> None:
        marker, title = marked(text, 100)
        channel = world.guild.create_text_channel(f"room-{next(counter)}")
        check.start()
        result = await world.facilitator.slash(channel, "session start", title=title)
        check.check(marker)
        assert "is open" in reply_to(result).content
        await world.facilitator.slash(channel, "session end")

    await run_examples(world, body)()
    report("session titles", check)


async def test_reflections(world: World) -> None:
    check = Checker(world)
    channel = await new_session(world)
    ana = world.members[0]
    await world.facilitator.slash(channel, "activity start", activity="test-flow")
    await world.facilitator.slash(channel, "activity next")
    step = find_message(channel, "One word")

    async def body(text: str) -> None:
        marker, answer = marked(text, 500)
        shown = await ana.click(step, label="Reflect")
        check.start()
        saved = await ana.submit_modal(shown, {"answer": answer, "share": True})
        check.check(marker, echo=False)  # the reply confirms; the text is shown at the end
        content = reply_to(saved).content
        assert "saved" in content or "Please" in content or "reflection" in content, content

    await run_examples(world, body)()
    check.start()
    await world.facilitator.slash(channel, "activity next")  # shared reflections are shown
    check.check("zq", echo=False)
    report("reflections", check)


async def test_lyric_lines(world: World) -> None:
    check = Checker(world)
    channel = await new_session(world)
    ana = world.members[0]
    await ana.slash(channel, "session join")

    async def body(text: str) -> None:
        if await world.bot().runner.live_run(await session_id(world, channel)) is None:
            await world.facilitator.slash(channel, "activity start", activity="test-rel-long-song")
        marker, line = marked(text, OPTION_MAX)
        check.start()
        result = await ana.slash(channel, "line", text=line)
        await world.env.settle()
        content = reply_to(result).content or ""
        check.check(marker, echo="line is added" in content)
        if "song is complete" in content:
            await world.facilitator.slash(channel, "activity stop")

    await run_examples(world, body)()
    report("lyric lines", check)


async def session_id(world: World, channel: Any) -> int:
    session = await world.bot().store.sessions.open_in_channel(channel.id)
    assert session is not None
    return session.id


async def test_track_suggestions(world: World) -> None:
    check = Checker(world)
    ana = world.members[0]

    async def body(text: str) -> None:
        channel = await new_session(world)
        marker, title = marked(text, 100)
        _, artist = marked(text[::-1], 100)
        _, note = marked(text, 200)
        check.start()
        result = await ana.slash(channel, "listen suggest", title=title, artist=artist, note=note)
        check.check(marker, echo="Added" in (reply_to(result).content or ""))
        playlist = await ana.slash(channel, "listen playlist")
        assert ERROR_CODE not in str(reply_to(playlist).embeds[0].to_dict())

    await run_examples(world, body)()
    report("track suggestions (title, artist, note)", check)


async def test_goal_texts(world: World) -> None:
    check = Checker(world)
    ana = world.members[0]
    bot = world.bot()
    first = await ana.slash(world.channel, "goal set", text="start small")
    await ana.click(reply_to(first).message, label="Agree")

    async def body(text: str) -> None:
        marker, goal = marked(text, 100)
        check.start()
        result = await ana.slash(world.channel, "goal set", text=goal)
        content = reply_to(result).content or ""
        check.check(marker, echo="goal is saved" in content)
        listing = await ana.slash(world.channel, "goal list")
        assert ERROR_CODE not in str(reply_to(listing).embeds[0].to_dict())
        for goal_row in await bot.store.goals.active(world.guild.id, ana.id):
            await ana.slash(world.channel, "goal drop", id=goal_row.id)

    await run_examples(world, body)()
    report("goal texts", check)


def report(field: str, check: Checker) -> None:
    print(
        f"hostile text: {field}: {check.examples} inputs, {check.sent} bot messages checked "
        f"(0 pings, 0 error codes, all within limits; {check.stored} stored message views "
        f"pinging no one); {check.shown} shown back ({check.shortened} visibly shortened), "
        f"{check.refused} answered without echoing it (a refusal or a plain confirmation)"
    )
    assert check.examples >= EXAMPLES


async def test_checkin_notes(world: World) -> None:
    check = Checker(world)
    ana = world.members[0]
    channel = await new_session(world)
    await world.facilitator.slash(channel, "activity start", activity="test-checkin-pair")
    asked = await ana.click(find_message(channel, "Arriving"), label="7")
    await ana.click(reply_to(asked).message, label="Agree")
    reply = [
        m
        for m in channel.history(viewer=ana)
        if m.flags.ephemeral and "Your answer is saved" in (m.content or "")
    ][-1]
    bot = world.bot()

    async def body(text: str) -> None:
        marker, note = marked(text, 100)  # the form allows 100 characters
        shown = await ana.click(reply, label="Add a note")
        check.start()
        noted = await ana.submit_modal(shown, {"note": note})
        check.check(marker, echo=False)  # the note is private; the reply only confirms
        assert "note is saved" in reply_to(noted).content, reply_to(noted).content
        rows = await bot.store.db.fetch_all("SELECT note FROM checkins WHERE note IS NOT NULL")
        stored = str(rows[-1][0])
        assert stored.startswith(marker) and ("\u202e" not in stored and "\u200b" not in stored)
        check.shown += 1

    await run_examples(world, body)()
    report("check-in notes (stored cleaned, marker kept)", check)
