"""What the store raises that the layers above word for members (the one error path)."""

from __future__ import annotations


class StorageUnavailable(Exception):
    """The database cannot be written right now (read-only, full, locked)."""
