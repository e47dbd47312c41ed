"""Activities: the file format (models) and the catalog loader, in one import.

The implementation is split for size: ``activity_models`` (the activity), ``activity_fields`` (the
fields steps share), ``scales``, ``yaml_marks`` (YAML with line numbers) and ``catalog`` (loading
and error messages). This is the one place that gathers them; a step kind's model is imported from
its own module, ``bot.core.steps.<kind>`` (the registry, not a list here, knows the kinds).
"""

from bot.core.activity_fields import StepBase, Track
from bot.core.activity_loader import ActivityError, validate_paths
from bot.core.activity_models import Activity, Step
from bot.core.activity_schema import SCHEMA_COMMAND, activity_json_schema, render_schema
from bot.core.catalog import Catalog, CatalogDiff
from bot.core.field_texts import BLANK, LocalizedText, localize
from bot.core.field_values import format_duration, parse_duration
from bot.core.scales import Choice, Scale, ScaleKind, ScaleOption

__all__ = [
    "BLANK",
    "SCHEMA_COMMAND",
    "Activity",
    "ActivityError",
    "Catalog",
    "CatalogDiff",
    "Choice",
    "LocalizedText",
    "Scale",
    "ScaleKind",
    "ScaleOption",
    "Step",
    "StepBase",
    "Track",
    "activity_json_schema",
    "format_duration",
    "localize",
    "parse_duration",
    "render_schema",
    "validate_paths",
]
