"""Activities: the file format (models) and the catalog loader, in one import.

The implementation is split for size: ``activity_models`` (the activity), ``activity_fields`` (the
fields steps share), ``scales``, ``yaml_marks`` (YAML with line numbers) and ``catalog`` (loading
and error messages). This is the one place that gathers them; a step kind's model is imported from
its own module, ``bot.core.steps.<kind>`` (the registry, not a list here, knows the kinds).
"""

from bot.core.activity_fields import (
    BLANK,
    LocalizedText,
    StepBase,
    Track,
    format_duration,
    localize,
    parse_duration,
)
from bot.core.activity_models import Activity, Step
from bot.core.catalog import (
    SCHEMA_COMMAND,
    ActivityError,
    Catalog,
    CatalogDiff,
    activity_json_schema,
    load_file,
    render_schema,
    validate_paths,
)
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
    "load_file",
    "localize",
    "parse_duration",
    "render_schema",
    "validate_paths",
]
