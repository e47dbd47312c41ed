"""Give one simulated member a Discord client in another language.

simcord 3.2.1 writes ``"locale": "en-US"`` into every interaction it sends
(``simcord/interactions.py``, ``base_payload``), whoever sends it; it has no per-user setting.
Real Discord sends the locale of the client the member clicked in (``interaction.locale``,
https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).

``client_locales(monkeypatch, {member.id: "es-ES"})`` wraps simcord's ``base_payload`` (the one
function every slash command, click, select and modal submission of an actor goes through, looked
up on its module at call time) so the payloads of the members named carry their locale; everyone
else keeps ``en-US``. discord.py itself is untouched: it reads the locale from the payload as it
would from Discord. The patch ends with the test (``monkeypatch``)::

    client_locales(monkeypatch, {ana.id: "es-ES"})
    result = await ana.slash(channel, "session join")   # interaction.locale == Locale.spain_spanish
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from simcord import interactions as simcord_interactions


def client_locales(monkeypatch: pytest.MonkeyPatch, locales: Mapping[int, str]) -> None:
    """Interactions sent by the user ids in ``locales`` carry that Discord locale (``"es-ES"``,
    ``"de"``, ...; Discord's locale codes) from now until the end of the test."""
    original = simcord_interactions.base_payload
    wanted = dict(locales)

    def with_locale(*args: Any, **kwargs: Any) -> Any:
        record, payload = original(*args, **kwargs)
        locale = wanted.get(int(kwargs["user_id"]))
        if locale is not None:
            payload["locale"] = locale
        return record, payload

    monkeypatch.setattr(simcord_interactions, "base_payload", with_locale)
