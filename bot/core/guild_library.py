"""Each server's activity library: the shipped activities plus the server's own uploads.

A server's own activity with a shipped id shadows it in that server only; no server ever sees
another's. Every upload is a new version; a run that already started keeps the definition it
started with (the runner stores it), so uploading or deleting never changes a running activity.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

from bot.core.activities import Activity, ActivityError, Catalog, localize
from bot.core.activity_loader import load_bytes
from bot.core.catalog import CatalogDiff
from bot.core.clock import Clock, timestamp
from bot.core.errors import Conflict, InvalidInput, NotFound, UserFacingError
from bot.core.yaml_marks import parse_marked
from bot.i18n import N_
from bot.records.guild_library import GuildActivityRecord
from bot.settings import ServerLimits
from bot.store.guild_library import LibraryFull, LibraryLimits
from bot.store.notify import EVERYTHING
from bot.store.store import Store

RELOADED = "activity_reload"
"""The change-feed topic of /activity reload (the shipped files were read again)."""
ID_PATTERN = re.compile(r"^(?=.{1,64}$)[a-z0-9]+(?:-[a-z0-9]+)*$")
"""The activity id format of the YAML schema (lowercase letters, digits, hyphens)."""


class UploadsDisabled(UserFacingError):
    """The operator turned uploads off."""


@dataclass(frozen=True, slots=True)
class Saved:
    """An activity saved to a server's library."""

    activity: Activity
    record: GuildActivityRecord
    shadows_shipped: bool
    """True when a shipped activity with the same id is now hidden in this server."""


@dataclass(frozen=True, slots=True)
class Refused:
    """An upload that didn't validate: every located error, exactly as `chorus validate` says."""

    errors: list[ActivityError]


@dataclass(frozen=True, slots=True)
class Exported:
    file_name: str
    data: bytes
    own: bool
    """True for the server's own upload, False for a shipped file."""


class GuildLibrary:
    """Lookups per server, and the upload, export, copy, delete and version commands' rules."""

    def __init__(self, store: Store, clock: Clock, shipped: Catalog, limits: ServerLimits) -> None:
        self._store = store
        self._clock = clock
        self.shipped = shipped
        self.limits = limits
        self._own: dict[int, list[Activity]] = {}
        self._catalogs: dict[int, Catalog] = {}
        self.stale: list[GuildActivityRecord] = []
        """Stored files that no longer validate (left out of the library)."""
        store.changes.subscribe("guild_library", self._changed_elsewhere)
        store.changes.subscribe(RELOADED, self._reloaded_elsewhere)
        # The feed was cut off (changes may have been missed): read every server again.
        store.changes.subscribe(EVERYTHING, lambda _ids: self.load())

    async def _changed_elsewhere(self, ids: tuple[int, ...]) -> None:
        """Another process saved or deleted one of this server's activities."""
        await self._refresh(ids[0])

    async def reload_shipped(self) -> tuple[Catalog, CatalogDiff]:
        """/activity reload: load the shipped folders again, rebuild every server's view, and
        have every other process on the database do the same. The fresh library and what
        changed."""
        # Off the event loop: a large broken file can take seconds to word (see yaml_marks).
        fresh, diff = await asyncio.to_thread(self.shipped.reload)
        self.replace_shipped(fresh)
        await self._store.changes.publish(RELOADED)
        return fresh, diff

    async def _reloaded_elsewhere(self, _ids: tuple[int, ...]) -> None:
        """Another process reloaded the shipped activity files: so does this one (each process
        reads the files from its own disk; a deployment ships the same files to every one)."""
        fresh, _ = await asyncio.to_thread(self.shipped.reload)
        self.replace_shipped(fresh)

    def replace_shipped(self, shipped: Catalog) -> None:
        """After /activity reload: every server's view is rebuilt on the shipped library."""
        self.shipped = shipped
        self._catalogs = {guild: shipped.overlaid(own) for guild, own in self._own.items()}

    async def load(self) -> None:
        """Read every server's own activities (at start-up, once the store is open).

        All of them are kept in memory so a lookup (autocomplete, a button) never waits on
        the database; a stored file that no longer validates (the format changed since) is
        left out and logged by the caller through ``stale``.
        """
        self._own.clear()
        self.stale.clear()
        for record in await self._store.guild_library.current(None):
            self._remember(record)
        self._catalogs = {g: self.shipped.overlaid(own) for g, own in self._own.items()}

    def _remember(self, record: GuildActivityRecord) -> None:
        loaded = self._load(record.source.encode("utf-8"), _file_name(record))
        if isinstance(loaded, Activity) and loaded.id == record.activity_id:
            own = [a for a in self._own.get(record.guild_id, []) if a.id != loaded.id]
            self._own[record.guild_id] = [*own, loaded]
        else:
            self.stale.append(record)

    def catalog_for(self, guild_id: int | None) -> Catalog:
        """The activities one server can run: shipped, shadowed by its own where ids match."""
        if guild_id is None:
            return self.shipped
        return self._catalogs.get(guild_id, self.shipped)

    def get(self, guild_id: int | None, activity_id: str) -> Activity | None:
        """The activity with this id as this server sees it, if any."""
        return self.catalog_for(guild_id).get(activity_id)

    def find(self, guild_id: int | None, activity_id: str) -> Activity:
        """The activity with this id as this server sees it. Raises NotFound (naming /activity
        list) when there is none."""
        activity = self.get(guild_id, activity_id)
        if activity is None:
            raise NotFound(
                N_("There's no activity called `{activity_id}`. /activity list shows them all."),
                activity_id=activity_id[:60],
            )
        return activity

    def search(self, guild_id: int | None, typed: str, locale: str) -> list[Activity]:
        """The server's activities whose id or title (in ``locale``) contains ``typed``, those
        starting with it first, then by title; at most 25 (an autocomplete's list)."""
        needle = typed.casefold().strip()
        matches = []
        for activity in self.catalog_for(guild_id).activities.values():
            title = localize(activity.title, locale)
            if needle not in f"{activity.id} {title}".casefold():
                continue
            starts = activity.id.startswith(needle) or title.casefold().startswith(needle)
            matches.append((0 if starts else 1, title, activity))
        matches.sort(key=lambda m: (m[0], m[1]))
        return [m[2] for m in matches[:25]]

    async def _refresh(self, guild_id: int) -> None:
        self._own.pop(guild_id, None)
        for record in await self._store.guild_library.current(guild_id):
            self._remember(record)
        own = self._own.get(guild_id)
        if own:
            self._catalogs[guild_id] = self.shipped.overlaid(own)
        else:
            self._catalogs.pop(guild_id, None)

    def _load(self, raw: bytes, file_name: str) -> Activity | list[ActivityError]:
        return load_bytes(raw, file_name, self.shipped.media_dir)

    def check_file(self, name: str, size: int) -> None:
        """Before an upload is downloaded: raise InvalidInput when ``name`` isn't a .yaml (or
        .yml) file or ``size`` (bytes) is over this Chorus's upload cap."""
        if not name.lower().endswith((".yaml", ".yml")):
            raise InvalidInput(
                N_(
                    "“{name}” isn't a .yaml file. Upload an activity file; `/activity export` gives "
                    "you one to start from."
                ),
                name=name[:80],
            )
        self.check_size(size)

    def check_size(self, size: int) -> None:
        """Raise InvalidInput when a file of ``size`` bytes is over this Chorus's upload cap."""
        if size > self.limits.upload_max_kb * 1024:
            raise InvalidInput(
                N_(
                    "That file is {value} KiB; activity files here can be at most {upload_max_kb} "
                    "KiB."
                ),
                value=round(size / 1024),
                upload_max_kb=self.limits.upload_max_kb,
            )

    async def upload(
        self, guild_id: int, user_id: int, file_name: str, raw: bytes
    ) -> Saved | Refused:
        """Validate and save an activity file for this server only.

        Raises UploadsDisabled when the operator turned uploads off, InvalidInput for a file
        over the size cap or an id the operator protects, Conflict when a limit is reached.
        """
        if not self.limits.uploads_enabled:
            raise UploadsDisabled(
                N_(
                    "Uploading activities is turned off on this Chorus by whoever runs it. The "
                    "shipped activities are all available: /activity list."
                )
            )
        self.check_size(len(raw))
        loaded = self._load(raw, file_name)
        if not isinstance(loaded, Activity):
            return Refused(loaded)
        return await self._save(guild_id, user_id, loaded, raw.decode("utf-8-sig"))

    def check(self, raw: bytes, file_name: str) -> Activity | Refused:
        """Validate a file as an upload would, without saving it (the activity builder)."""
        loaded = self._load(raw, file_name)
        return loaded if isinstance(loaded, Activity) else Refused(loaded)

    async def _save(self, guild_id: int, user_id: int, activity: Activity, source: str) -> Saved:
        shipped = activity.id in self.shipped.activities
        if shipped and activity.id in self.limits.protected_activities:
            raise InvalidInput(
                N_(
                    "`{id}` is a shipped activity that this Chorus keeps as it is. Give yours another "
                    "id, or start from it with /activity copy."
                ),
                id=activity.id,
            )
        try:
            record = await self._store.guild_library.add_version(
                guild_id,
                activity.id,
                source,
                user_id,
                timestamp(self._clock),
                LibraryLimits(self.limits.max_activities, self.limits.max_uploads_per_day),
            )
        except LibraryFull as full:
            if full.reason == "activities":
                raise Conflict(
                    N_(
                        "This server already has {limit} activities of its own, the most it can keep. "
                        "Delete one with /activity delete, or upload a new version of one you have (same "
                        "id)."
                    ),
                    limit=full.limit,
                ) from None
            raise Conflict(
                N_(
                    "This server has uploaded {limit} activity files in the last 24 hours, the most "
                    "allowed. Try again tomorrow."
                ),
                limit=full.limit,
            ) from None
        await self._refresh(guild_id)
        return Saved(activity, record, shipped)

    async def export(self, guild_id: int, activity_id: str) -> Exported:
        """The file to edit and upload again: the server's own version, or the shipped file.

        Raises NotFound when there is no such activity here.
        """
        own = await self._own_current(guild_id, activity_id)
        if own is not None:
            return Exported(f"{activity_id}.yaml", own.source.encode("utf-8"), True)
        shipped = self.shipped.get(activity_id)
        if shipped is None or not shipped.source:
            raise _missing(activity_id)
        data = await asyncio.to_thread(Path(shipped.source).read_bytes)
        return Exported(f"{activity_id}.yaml", data, False)

    def free_id(
        self, guild_id: int, new_id: str, wrong_format: str, taken: str, field: str = "new_id"
    ) -> str:
        """`new_id` without the spaces around it, when it is in the activity id format and no
        activity here has it. Raises InvalidInput with `wrong_format` (a catalogue text) or
        with `taken` (a catalogue text naming the id in its placeholder `field`)."""
        new_id = new_id.strip()
        if not ID_PATTERN.match(new_id):
            raise InvalidInput(wrong_format)
        if self.get(guild_id, new_id) is not None:
            raise InvalidInput(taken, **{field: new_id})
        return new_id

    async def copy(self, guild_id: int, user_id: int, source_id: str, new_id: str) -> Saved:
        """Save a copy of an activity (shipped or the server's own) under a new id.

        Raises InvalidInput for an id that isn't in the activity id format or is taken,
        NotFound when ``source_id`` doesn't exist here, Conflict when the server's library is
        full (or today's uploads are).
        """
        new_id = self.free_id(
            guild_id,
            new_id,
            N_(
                "An activity id is up to 64 lowercase letters and digits, with single hyphens "
                "between words, e.g. `my-opening-circle`."
            ),
            N_("`{new_id}` is already taken here. Choose another id."),
        )
        exported = await self.export(guild_id, source_id)
        text = with_id(exported.data.decode("utf-8-sig"), new_id)
        loaded = self._load(text.encode("utf-8"), f"{new_id}.yaml")
        if not isinstance(loaded, Activity):
            raise InvalidInput(
                N_("I couldn't copy `{source_id}`: {loaded}"),
                source_id=source_id,
                loaded=loaded[0].wording(),
            )
        return await self._save(guild_id, user_id, loaded, text)

    async def delete(self, guild_id: int, activity_id: str) -> int:
        """Remove the server's own activity (every version); how many versions were removed.

        Raises NotFound when the server has no activity of its own with that id (shipped
        activities can't be deleted).
        """
        removed = await self._store.guild_library.delete(
            guild_id, activity_id, timestamp(self._clock)
        )
        if not removed:
            if activity_id in self.shipped.activities:
                raise NotFound(
                    N_(
                        "`{activity_id}` is a shipped activity; it can't be deleted, only replaced here "
                        "by uploading your own file with the same id."
                    ),
                    activity_id=activity_id,
                )
            raise _missing(activity_id)
        await self._refresh(guild_id)
        return removed

    async def versions(self, guild_id: int, activity_id: str) -> list[GuildActivityRecord]:
        """Every uploaded version, newest first. Raises NotFound when there are none."""
        found = await self._store.guild_library.versions(guild_id, activity_id)
        if not found:
            if activity_id in self.shipped.activities:
                raise NotFound(
                    N_("`{activity_id}` is a shipped activity with no uploaded versions here."),
                    activity_id=activity_id,
                )
            raise _missing(activity_id)
        return found

    def own_ids(self, guild_id: int) -> list[str]:
        """Ids of the server's own activities, sorted."""
        return sorted(a.id for a in self._own.get(guild_id, []))

    async def _own_current(self, guild_id: int, activity_id: str) -> GuildActivityRecord | None:
        for record in await self._store.guild_library.current(guild_id):
            if record.activity_id == activity_id:
                return record
        return None


def _file_name(record: GuildActivityRecord) -> str:
    return f"{record.activity_id}.yaml (version {record.version})"


def _missing(activity_id: str) -> NotFound:
    return NotFound(
        N_("There's no activity called `{activity_id}` here. /activity list shows them all."),
        activity_id=activity_id[:60],
    )


def with_id(text: str, new_id: str) -> str:
    """The YAML text with its top-level ``id`` value replaced, everything else as written.

    Raises InvalidInput when the text has no top-level id to replace.
    """
    doc = parse_marked(text)
    if isinstance(doc, list) or not isinstance(doc.data, dict) or "id" not in doc.data:
        raise InvalidInput(N_("That activity file has no id to replace."))
    mark = doc.locate(("id",))
    lines = text.split("\n")
    line = lines[mark.line - 1]
    start = mark.column - 1
    match = re.compile(r"""(["']?)[A-Za-z0-9_.-]+\1""").match(line, start)
    if match is None:
        raise InvalidInput(N_("That activity file's id isn't a plain word, so I can't copy it."))
    lines[mark.line - 1] = line[:start] + new_id + line[match.end() :]
    return "\n".join(lines)
