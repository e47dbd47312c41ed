"""The discord section: where to reach Discord, and which gateway shards this process runs."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from bot.settings.base import Section


class DiscordSettings(Section):
    """Where to reach Discord, and which gateway shards this process runs.

    `api_base` points every HTTP request (interaction callbacks included) at a shared rate-limit
    proxy such as nirn-proxy. Sharding: unset `shard_count` is one process, no sharding.
    With `shard_count`, this process runs `shard_ids` if given, else its block of
    `process_count` equal blocks (`process_index` from 0): shards i with i % process_count ==
    process_index.
    """

    api_base: str | None = None
    gateway_url: str | None = None
    shard_count: int | None = Field(default=None, ge=1, le=4096)
    shard_ids: tuple[int, ...] | None = None
    process_index: int = Field(default=0, ge=0)
    process_count: int = Field(default=1, ge=1)
    max_concurrency: int = Field(default=1, ge=1, le=1024)
    """IDENTIFYs Discord allows at once (`session_start_limit.max_concurrency` of GET
    /gateway/bot; 1 unless Discord raised it for a large bot)."""

    @field_validator("api_base")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL, e.g. http://proxy:8080/api/v10")
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> DiscordSettings:
        if self.process_index >= self.process_count:
            raise ValueError(
                f"process_index {self.process_index} must be below process_count"
                f" {self.process_count} (processes are numbered from 0)"
            )
        if self.shard_count is None:
            if self.shard_ids or self.process_count > 1:
                raise ValueError("set shard_count too when a process runs only some shards")
            return self
        if self.shard_ids is not None:
            outside = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if outside or not self.shard_ids:
                raise ValueError(
                    f"shard_ids must be between 0 and {self.shard_count - 1} (shard_count - 1)"
                )
        elif self.process_count > self.shard_count:
            raise ValueError("process_count must not exceed shard_count")
        return self

    @property
    def sharded(self) -> bool:
        """Whether this process runs a set of shards (`shard_count` set)."""
        return self.shard_count is not None

    @property
    def my_shards(self) -> tuple[int, ...]:
        """This process's shard ids (`(0,)` without sharding)."""
        if self.shard_count is None:
            return (0,)
        if self.shard_ids is not None:
            return tuple(sorted(set(self.shard_ids)))
        return tuple(range(self.process_index, self.shard_count, self.process_count))
