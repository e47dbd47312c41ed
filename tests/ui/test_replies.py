"""A private reply longer than a Discord message (bot/ui/replies.py, `reply_ephemeral`): cut at
a word within the 2,000-character content limit, and the whole text attached as a file named in
the member's language, as an ephemeral follow-up after a deferral and as the first answer.

Through the real bot in simcord, with one command added to its tree that answers through
`reply_ephemeral` (no shipped reply is that long today: the point is the path every private
reply takes when one is). The test plugin checks each request against Discord's limits.
"""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.chorus_bot import ChorusBot
from bot.core.activities import Catalog
from bot.settings import Settings
from bot.ui import limits
from bot.ui.replies import reply_ephemeral
from tests.conftest import World, make_bot
from tests.fakes.client_locale import client_locales

# About 6,900 characters of words, each numbered, so a cut and the whole text are both checkable.
LONG = " ".join(f"Zeile{n}" for n in range(800))


async def long_reply(interaction: discord.Interaction, deferred: bool) -> None:
    """Answers with LONG through the one private-reply path; `deferred` acknowledges first (as
    a handler that takes over a second does), so the reply is a follow-up."""
    if deferred:
        await interaction.response.defer(ephemeral=True, thinking=True)
    await reply_ephemeral(interaction, LONG)


@pytest.fixture
def bot(settings: Settings, catalog: Catalog) -> ChorusBot:
    built = make_bot(settings, catalog)
    built.tree.add_command(
        app_commands.Command(name="longreply", description="A long reply", callback=long_reply)
    )
    return built


@pytest.mark.parametrize(
    ("locale", "name"),
    [("en-US", "full-text.txt"), ("de", "volltext.txt"), ("es-ES", "texto-completo.txt")],
)
@pytest.mark.parametrize("deferred", [True, False], ids=["follow-up", "first answer"])
async def test_a_private_reply_too_long_for_a_message_attaches_its_whole_text(
    world: World, monkeypatch: pytest.MonkeyPatch, locale: str, name: str, deferred: bool
) -> None:
    member = world.members[0]
    client_locales(monkeypatch, {member.user.id: locale})
    result = await member.slash(world.channel, "longreply", deferred=deferred)
    assert result.ephemeral
    replies = [m for m in [result.response, *result.followups] if m is not None and m.content]
    assert len(replies) == 1, [m.content[:40] for m in replies]
    [reply] = replies
    # How it was sent: after a deferral, a follow-up (a webhook POST; simcord shows it as the
    # deferred answer), flagged ephemeral (64); otherwise the interaction's first answer.
    sent = [r for r in world.env.http_requests if "Zeile0" in str(r.json)]
    assert len(sent) == 1, [(r.method, r.path) for r in sent]
    assert sent[0].json is not None
    if deferred:
        assert sent[0].method == "POST" and sent[0].path.startswith("/webhooks/"), sent[0].path
        assert int(sent[0].json["flags"]) & 64, sent[0].json
    else:
        assert sent[0].path.endswith("/callback") and int(sent[0].json["data"]["flags"]) & 64
    # Shown: the start of the text, cut at a word within the limit, with a visible "…".
    assert len(reply.content) <= limits.CONTENT
    assert reply.content.startswith("Zeile0 Zeile1 ") and reply.content.endswith("…")
    shown_words = reply.content.removesuffix("…").split()
    assert shown_words == LONG.split()[: len(shown_words)]
    # Attached: the whole text, once, named in the member's language.
    assert [a.filename for a in reply.attachments] == [name]
    whole = (await reply.attachments[0].read()).decode("utf-8")
    assert whole == LONG
    # Nobody else sees it: nothing was posted in the channel.
    assert not any("Zeile0" in (m.content or "") for m in world.channel.history())
