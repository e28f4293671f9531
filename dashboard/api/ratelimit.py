"""A token bucket per client IP: N requests per period, refilled continuously; 429 + Retry-After.

The limit is `(requests, seconds)` from the Flask config key `IURC_API_RATE` when set (tests),
else from `pipelines.config.api_rate_limit()` ($IURC_API_RATE, default 120 a minute). Buckets
live in this process (each gunicorn worker counts on its own, so the effective limit is at most
workers x N); the client is `request.remote_addr` (put ProxyFix in front behind a proxy).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

MAX_CLIENTS = 10_000  # buckets kept; full buckets are forgotten first


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """Per-client token buckets; `take(client, limit)` spends one token or says how long to wait."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}

    def take(self, client: str, limit: tuple[int, float], now: float | None = None) -> float:
        """Spend one token of `client`'s bucket; return 0 if allowed, else seconds to wait."""
        capacity, period = limit
        rate = capacity / period
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._forget_full(now, rate, capacity)
                bucket = self._buckets[client] = _Bucket(float(capacity), now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.stamp) * rate)
            bucket.stamp = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / rate

    def _forget_full(self, now: float, rate: float, capacity: int) -> None:
        full = [
            k for k, b in self._buckets.items() if b.tokens + (now - b.stamp) * rate >= capacity
        ]
        for key in full or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[key]

    def clear(self) -> None:
        """Forget every bucket."""
        with self._lock:
            self._buckets.clear()


def retry_after(wait: float) -> str:
    """Return the Retry-After header value (whole seconds, at least 1) for a wait in seconds."""
    return str(max(1, math.ceil(wait)))
