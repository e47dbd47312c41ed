"""The catalog: every activity that loaded, by id, with the errors of the files that didn't.

Loading and its located errors are `bot.core.activity_loader`; the schema for editors is
`bot.core.activity_schema`. A server's library overlays its own uploads (`Catalog.overlaid`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.activity_fields import LOADER_OWNED_FIELDS
from bot.core.activity_loader import ActivityError, load_folders
from bot.core.activity_models import Activity
from bot.i18n import N_, _


@dataclass(frozen=True)
class CatalogDiff:
    """What a reload changed, by activity id (for /activity reload)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def summary(self, locale: str | None) -> str:
        """One line a facilitator can read in ``locale`` (None: English), e.g.
        "added: a; changed: b"."""
        parts = [
            _(label, locale, ids=", ".join(ids))
            for label, ids in (
                (N_("added: {ids}"), self.added),
                (N_("removed: {ids}"), self.removed),
                (N_("changed: {ids}"), self.changed),
            )
            if ids
        ]
        return "; ".join(parts) or _("no changes", locale)


@dataclass(frozen=True)
class Catalog:
    """Every valid activity by id, plus the errors of the files that were skipped."""

    activities: dict[str, Activity] = field(default_factory=dict)
    errors: list[ActivityError] = field(default_factory=list)
    dirs: tuple[Path, ...] = ()
    media_dir: Path = Path()

    @classmethod
    def load(cls, dirs: Sequence[Path], media_dir: Path) -> "Catalog":
        """Load every *.yaml / *.yml under the folders; broken files are reported and skipped."""
        activities, errors = load_folders(dirs, media_dir)
        return cls(
            activities={activity.id: activity for activity in activities},
            errors=errors,
            dirs=tuple(dirs),
            media_dir=media_dir,
        )

    def reload(self) -> tuple["Catalog", CatalogDiff]:
        """Load the same folders again and say what changed (for /activity reload)."""
        fresh = Catalog.load(self.dirs, self.media_dir)
        return fresh, self.diff(fresh)

    def get(self, activity_id: str) -> Activity | None:
        """The activity with this id, if it loaded."""
        return self.activities.get(activity_id)

    def overlaid(self, own: Sequence[Activity]) -> "Catalog":
        """This catalog with a server's own activities added; one with a shipped id shadows it."""
        merged = dict(self.activities)
        merged.update({activity.id: activity for activity in own})
        return Catalog(
            activities={key: merged[key] for key in sorted(merged)},
            errors=self.errors,
            dirs=self.dirs,
            media_dir=self.media_dir,
        )

    def diff(self, other: "Catalog") -> CatalogDiff:
        """Changes from this catalog to ``other``; 'changed' means the definition differs."""
        old, new = self.activities, other.activities
        return CatalogDiff(
            added=tuple(sorted(new.keys() - old.keys())),
            removed=tuple(sorted(old.keys() - new.keys())),
            changed=tuple(
                sorted(
                    key
                    for key in old.keys() & new.keys()
                    if _definition(old[key]) != _definition(new[key])
                )
            ),
        )


def _definition(activity: Activity) -> dict[str, Any]:
    return activity.model_dump(mode="json", exclude=set(LOADER_OWNED_FIELDS))
