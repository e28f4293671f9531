"""The Spark settings `iurc publish --engine spark` gives a local master when the user has not.

`local_defaults` is pure (the machine's RAM and CPUs are arguments; `machine()` reads them), so
it is tested without Spark. A cluster URL gets nothing: there the user's settings stand.
"""

from __future__ import annotations

import os
import re

# local-mode defaults (`local_defaults`): the driver heap is a quarter of the machine's RAM
# within these bounds (GiB), and the shuffle partitions this many per local core
_LOCAL_HEAP_GIB = (1, 8)
_PARTITIONS_PER_CORE = 4
_LOCAL = re.compile(r"local(?:\[(\*|\d+)(?:,\s*\d+)?\])?$")


def local_defaults(master: str, ram_bytes: int, cpus: int) -> dict[str, str]:
    """Return the settings a LOCAL master gets unless the user sets them: {} for a cluster URL.

    In local mode the executors run inside the driver JVM, so `spark.driver.memory` is the whole
    engine's memory: a quarter of `ram_bytes`, at least 1 and at most 8 GiB (Spark's default,
    1 GiB, does not hold the stored scorecard at 1 M rows). `spark.sql.shuffle.partitions` is 4
    per core (`local[N]`: N; `local[*]`: `cpus`) instead of 200: on one machine each of a query's
    shuffles would otherwise run and track 200 tasks (adaptive execution, on by default, still
    coalesces small ones).

    Example: ``local_defaults("local[2]", 16 * 2**30, 8)`` is
    ``{"spark.driver.memory": "4g", "spark.sql.shuffle.partitions": "8"}``.
    """
    match = _LOCAL.match(master.strip())
    if not match:
        return {}
    cores = cpus if match.group(1) == "*" else int(match.group(1) or 1)
    low, high = _LOCAL_HEAP_GIB
    heap = min(max(ram_bytes // 4 // 2**30, low), high)
    return {
        "spark.driver.memory": f"{heap}g",
        "spark.sql.shuffle.partitions": str(max(cores, 1) * _PARTITIONS_PER_CORE),
    }


def machine() -> tuple[int, int]:
    """Return (bytes of RAM, CPUs) of this machine."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"), os.cpu_count() or 1
