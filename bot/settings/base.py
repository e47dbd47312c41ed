"""The base of every settings section: unknown keys are refused and a loaded value never changes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A group of settings (the whole `Settings` too): `extra="forbid"` makes a misspelt key an
    error that names it; `frozen` keeps settings passed around from being changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)
