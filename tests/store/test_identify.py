"""The IDENTIFY gate across processes: one bucket's IDENTIFYs spaced, the buckets side by side
(PostgreSQL's advisory locks; skipped without a server, failed in CI)."""

from __future__ import annotations

import asyncio
import itertools
import time

from bot.store.identify import IdentifyGate
from tests.engines import TestDatabase


async def test_identify_gate_spaces_one_bucket_across_processes(
    postgres: TestDatabase,
) -> None:
    spacing = 1.0
    gates = [IdentifyGate(postgres.url, max_concurrency=2, spacing=spacing) for _ in range(2)]
    times: dict[int, list[float]] = {0: [], 1: []}

    async def identify(gate: IdentifyGate, shard: int) -> None:
        await gate.before_identify(shard)
        times[shard % 2].append(time.monotonic())

    try:
        # Two processes, shards 0..5: bucket 0 holds shards 0, 2, 4; bucket 1 shards 1, 3, 5.
        await asyncio.gather(
            *(identify(gates[shard % 2 if shard < 4 else 1], shard) for shard in range(6))
        )
    finally:
        for gate in gates:
            await gate.close()
    for bucket, stamps in times.items():
        stamps.sort()
        gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
        assert len(stamps) == 3
        assert min(gaps) >= spacing * 0.95, (bucket, gaps)
    # The two buckets identify side by side, not one after the other.
    assert abs(times[0][0] - times[1][0]) < spacing
