"""A member's id taken out of any JSON value (bot/store/json_scrub.py), as /forget does to step
state and contribution payloads of every step kind."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.store.json_scrub import scrub_id

ANA = 1456074443980800021
BEN = 1456074443980800022
LONGER = int(f"{ANA}7")  # a different number that merely contains ana's digits


def test_scrub_takes_the_id_out_of_any_json() -> None:
    state: dict[str, Any] = {
        "order": [ANA, BEN],
        "turn": ANA,
        "last": {"writer": ANA, "id": 7},
        "lines": {"0": {"author": ANA, "text": "home"}, "1": {"author": BEN}},
        "timeouts": [{"user": ANA, "turn_no": 1}],
        "by_member": {str(ANA): 3, str(BEN): 4},
        "as_text": [str(ANA)],
        "float": float(ANA),
        "flag": True,
        "other": LONGER,
        "count": 1,
    }
    cleaned, hit = scrub_id(state, ANA)
    assert hit
    assert cleaned == {
        "order": [BEN],
        "turn": None,
        "last": {"writer": None, "id": 7},
        "lines": {"0": {"author": None, "text": "home"}, "1": {"author": BEN}},
        "timeouts": [{"user": None, "turn_no": 1}],
        "by_member": {str(BEN): 4},
        "as_text": [],
        "float": None,
        "flag": True,
        "other": LONGER,
        "count": 1,
    }
    assert str(ANA) not in json.dumps(cleaned).replace(str(LONGER), "")
    untouched, hit = scrub_id({"order": [BEN, LONGER], "flag": True}, ANA)
    assert not hit and untouched == {"order": [BEN, LONGER], "flag": True}


@pytest.mark.parametrize(
    ("value", "scrubbed"),
    [
        (ANA, ANA),  # a bare value is not inside anything: the caller decides
        ([ANA, [ANA, BEN], {"x": [ANA]}], [[BEN], {"x": []}]),
        ({"a": {"b": {"c": ANA}}}, {"a": {"b": {"c": None}}}),
        ({"turn": f" {ANA} "}, {"turn": None}),
        ([True, 1, "x", None], [True, 1, "x", None]),
    ],
)
def test_scrub_reaches_every_depth_and_leaves_other_values(value: Any, scrubbed: Any) -> None:
    cleaned, hit = scrub_id(value, ANA)
    assert cleaned == scrubbed
    assert hit == (json.dumps(value) != json.dumps(scrubbed))
