"""The JSON Schema of an activity file, generated from the models for editors (`chorus schema`)."""

import json
from typing import Any

from bot.core.activity_models import Activity
from bot.core.format_base import DocumentedSchema

SCHEMA_COMMAND = "chorus schema > activities/activity.schema.json"


def activity_json_schema() -> dict[str, Any]:
    """The JSON Schema of an activity file, for editors (``chorus schema``)."""
    schema = Activity.model_json_schema(mode="validation", schema_generator=DocumentedSchema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"Generated from bot/core/activity_models.py; regenerate: {SCHEMA_COMMAND}",
        **schema,
    }


def render_schema() -> str:
    """The schema exactly as checked in: pretty-printed, sorted keys, trailing newline."""
    return json.dumps(activity_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
