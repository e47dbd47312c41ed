"""One valid step of every registered kind, so that a test can cover each kind without naming it
(a kind added in its two files is covered with no test edited).

A kind's example is its first step in the shipped activities (`activities/*.yaml`) that is valid
on its own (not one that refers to the step before it); a kind no shipped activity uses yet gets one built from its model's JSON Schema: the model's `examples`
(pydantic's ``json_schema_extra``) when it gives some, else its required fields with the
simplest values they allow. A kind whose required fields depend on each other (e.g. one of two
fields) gives an example, or is used by a shipped activity.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.core.activities import Activity
from bot.core.activity_loader import load_bytes
from bot.core.steps import StepKind

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_ACTIVITIES = ROOT / "activities"


def shipped_steps() -> list[dict[str, Any]]:
    """Every step of the shipped activities, as written (file order, then step order)."""
    steps: list[dict[str, Any]] = []
    for path in sorted(SHIPPED_ACTIVITIES.glob("*.yaml")):
        activity = yaml.safe_load(path.read_text(encoding="utf-8"))
        steps += [step for step in activity.get("steps", []) if isinstance(step, dict)]
    return steps


def used_kinds() -> set[str]:
    """The kinds the shipped activities use (what a facilitator meets in the library)."""
    return {str(step.get("type")) for step in shipped_steps()}


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _simplest(schema: dict[str, Any], defs: dict[str, Any], name: str) -> Any:
    schema = _resolve(schema, defs)
    if schema.get("examples"):
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for options in ("anyOf", "oneOf"):
        if options in schema:
            chosen = [o for o in schema[options] if _resolve(o, defs).get("type") != "null"]
            return _simplest(chosen[0], defs, name)
    kind = schema.get("type")
    if kind == "string":
        return f"An example {name.replace('_', ' ')}"
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "array":
        item = _simplest(schema["items"], defs, name)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "object":
        required = schema.get("required", [])
        properties = schema.get("properties", {})
        return {key: _simplest(properties[key], defs, key) for key in required}
    raise ValueError(f"no simplest value for {name}: {schema}")


def activity_of(steps: list[dict[str, Any]], activity_id: str = "examples") -> Activity:
    """An activity of `steps`, loaded as an uploaded file is. Raises AssertionError with the
    loader's errors when it isn't valid."""
    document = {
        "id": activity_id,
        "title": "Examples",
        "summary": "One step of each kind.",
        "version": 1,
        "duration_minutes": 30,
        "steps": steps,
    }
    raw = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode()
    loaded = load_bytes(raw, f"{activity_id}.yaml", SHIPPED_ACTIVITIES)
    assert not isinstance(loaded, list), "\n".join(str(error) for error in loaded)
    return loaded


def _valid_alone(step: dict[str, Any]) -> bool:
    try:
        activity_of([step])
    except AssertionError:
        return False
    return True


def example_step(kind: StepKind[Any]) -> dict[str, Any]:
    """A step of `kind` as an activity file writes it (see the module's docstring)."""
    for step in shipped_steps():
        if step.get("type") == kind.name and _valid_alone(step):
            return step
    schema = kind.model.model_json_schema(mode="validation")
    step = _simplest(schema, schema.get("$defs", {}), kind.name)
    assert isinstance(step, dict)
    return step
