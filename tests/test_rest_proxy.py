"""Behind a shared REST proxy: its own 429s (no `Via`) and its timeouts are retried.

The real discord.py HTTP client and interaction-callback adapter talk to a fake proxy on
127.0.0.1 (tests/fakes/rest_proxy.py); only `discord.http.Route.BASE` is pointed at it, the
public setting `discord.api_base` sets.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from discord.http import HTTPClient, Route
from discord.webhook.async_ import async_context

from bot.rest_proxy import ProxyRetry, ProxyRetryAdapter, retry_through_proxy
from tests.fakes.rest_proxy import FakeRestProxy


@pytest.fixture
async def proxy(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeRestProxy]:
    fake = FakeRestProxy()
    await fake.start()
    monkeypatch.setattr(Route, "BASE", fake.api_base)
    yield fake
    await fake.close()


def session_of(http: HTTPClient) -> aiohttp.ClientSession:
    """discord.py's own session (private, name-mangled): the adapter is called with it as
    discord.py itself calls it."""
    session = vars(http)["_HTTPClient__session"]
    assert isinstance(session, aiohttp.ClientSession), session
    return session


@pytest.fixture
async def http(proxy: FakeRestProxy) -> AsyncIterator[HTTPClient]:
    client = HTTPClient(asyncio.get_running_loop())
    await client.static_login("token.for.tests")
    yield client
    await client.close()


async def test_discord_py_alone_takes_the_proxys_429_for_a_ban(
    proxy: FakeRestProxy, http: HTTPClient
) -> None:
    proxy.refuse(1)
    with pytest.raises(discord.HTTPException) as info:
        await http.request(Route("GET", "/channels/{channel_id}", channel_id=5))
    assert info.value.status == 429


async def test_the_proxys_own_429s_are_retried_for_every_method(
    proxy: FakeRestProxy, http: HTTPClient
) -> None:
    retry, _ = retry_through_proxy(http)
    proxy.refuse(3)
    sent = await http.request(
        Route("POST", "/channels/{channel_id}/messages", channel_id=5), json={"content": "hi"}
    )
    assert sent["content"] == "hi"
    assert proxy.refused == 3 and retry.retries == 3
    # Refused requests never reached Discord: the message is posted once.
    assert [m["content"] for m in proxy.messages] == ["hi"]


async def test_a_refusal_that_never_ends_still_fails_after_the_last_attempt(
    proxy: FakeRestProxy, http: HTTPClient
) -> None:
    setattr(http, "request", ProxyRetry(http.request, attempts=3, first_delay=0.01))  # noqa: B010
    proxy.refuse(10)
    with pytest.raises(discord.HTTPException):
        await http.request(Route("GET", "/channels/{channel_id}", channel_id=5))
    assert proxy.refused == 3


async def test_a_timed_out_read_is_retried_but_a_timed_out_post_is_not(
    proxy: FakeRestProxy, http: HTTPClient
) -> None:
    retry, _ = retry_through_proxy(http)
    # aiohttp itself resends an idempotent request once when a kept-alive connection drops:
    # two stalls in a row get past it to the retry here.
    proxy.stall(2, 0.1)
    channel = await http.request(Route("GET", "/channels/{channel_id}", channel_id=7))
    assert channel["id"] == "7" and proxy.stalled == 2 and retry.retries >= 1
    proxy.stall(1, 0.1)
    with pytest.raises(Exception) as info:
        await http.request(
            Route("POST", "/channels/{channel_id}/messages", channel_id=7), json={"content": "x"}
        )
    # The POST may have reached Discord: sending it again could post it twice.
    assert not isinstance(info.value, discord.HTTPException)
    assert proxy.messages == []


async def test_slow_and_refused_interaction_callbacks_are_answered_once(
    proxy: FakeRestProxy, http: HTTPClient
) -> None:
    async def respond() -> int:
        _, callbacks = retry_through_proxy(http)
        adapter = async_context.get()
        assert isinstance(adapter, ProxyRetryAdapter)
        proxy.refuse(2)
        proxy.callback_delay = 1.0  # within Discord's 3 s, through the proxy
        params = discord.webhook.async_.interaction_response_params(
            type=4, data={"content": "Saved."}
        )
        await adapter.create_interaction_response(
            111,
            "tok",
            session=session_of(http),
            params=params,
        )
        proxy.callback_delay = 0.0
        proxy.stall(1, 0.1)
        await adapter.create_interaction_response(
            222,
            "tok",
            session=session_of(http),
            params=params,
        )
        return callbacks.retries

    # The adapter lives in a context variable: set in this test's task only, as the bot sets
    # it in the task that starts it.
    retries = await respond()
    assert retries == 3
    assert {k: len(v) for k, v in proxy.callbacks.items()} == {"111": 1, "222": 1}
    assert proxy.callbacks["111"][0]["data"]["content"] == "Saved."


async def test_a_callback_whose_answer_was_lost_is_answered_by_the_retry(
    proxy: FakeRestProxy, http: HTTPClient
) -> None:
    """It reached Discord, the proxy dropped the answer; the retry gets 400 40060: success."""

    async def respond() -> tuple[ProxyRetry, object]:
        _, callbacks = retry_through_proxy(http)
        adapter = async_context.get()
        assert isinstance(adapter, ProxyRetryAdapter)
        proxy.lose_answers(1)
        params = discord.webhook.async_.interaction_response_params(
            type=4, data={"content": "Saved."}
        )
        answer = await adapter.create_interaction_response(
            333,
            "tok",
            session=session_of(http),
            params=params,
        )
        return callbacks, answer

    callbacks, answer = await respond()
    assert answer == {"interaction": {"id": "333", "type": 0}}
    assert callbacks.retries == 1 and callbacks.acknowledged_earlier == 1
    # Discord got two sends: the first did the work, the second was refused.
    assert len(proxy.callbacks["333"]) == 2
    assert proxy.callbacks["333"][0]["data"]["content"] == "Saved."


async def test_a_second_answer_and_other_client_errors_are_still_raised(
    proxy: FakeRestProxy, http: HTTPClient
) -> None:
    """40060 without an earlier lost send is a real second answer; a 404 is a 404."""

    async def respond() -> ProxyRetry:
        _, callbacks = retry_through_proxy(http)
        adapter = async_context.get()
        assert isinstance(adapter, ProxyRetryAdapter)
        params = discord.webhook.async_.interaction_response_params(type=6)
        await adapter.create_interaction_response(
            444,
            "tok",
            session=session_of(http),
            params=params,
        )
        with pytest.raises(discord.HTTPException) as second:
            await adapter.create_interaction_response(
                444,
                "tok",
                session=session_of(http),
                params=params,
            )
        assert second.value.status == 400 and second.value.code == 40060
        # A refusal by the proxy (which never reaches Discord) is no sign of an earlier send.
        proxy.refuse(1)
        with pytest.raises(discord.HTTPException) as refused_then_second:
            await adapter.create_interaction_response(
                444,
                "tok",
                session=session_of(http),
                params=params,
            )
        assert refused_then_second.value.code == 40060
        return callbacks

    callbacks = await respond()
    assert callbacks.acknowledged_earlier == 0
    with pytest.raises(discord.NotFound):
        await http.request(Route("GET", "/nowhere"))
    assert len(proxy.callbacks["444"]) == 3
