"""Members as the store knows them, on both engines: the display name kept (and a return after
leaving noticed), names looked up per server, the record read back whole."""

from __future__ import annotations

from bot.records.sessions import MemberRecord
from bot.store.store import Store


async def test_a_name_is_kept_per_server_and_a_rejoin_clears_the_leaving(store: Store) -> None:
    members = store.members
    assert await members.get(1, 7) is None
    await members.remember_name(1, 7, "Ana")
    await members.remember_name(2, 7, "Ana elsewhere")
    await members.remember_name(1, 8, "Ben")
    assert await members.names(1, [7, 8, 9]) == {7: "Ana", 8: "Ben"}
    assert await members.names(1, []) == {}
    await store.privacy.mark_left(1, [7], 50.0)
    left = await members.get(1, 7)
    assert left is not None and left.left_guild_at == 50.0
    await members.remember_name(1, 7, "Ana again " + "x" * 200)
    back = await members.get(1, 7)
    assert back == MemberRecord(
        guild_id=1,
        user_id=7,
        display_name=("Ana again " + "x" * 200)[:100],
        consent=None,
        consent_at=None,
        credit_opt_out=False,
        left_guild_at=None,
    )
    assert await members.names(2, [7]) == {7: "Ana elsewhere"}
