"""The global filters every view shares, their URL form, and their SQL form.

A `Filters` value is what the dashboard keeps in the URL and what every query function takes.
Empty tuples mean "no restriction".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlencode

LIST_FIELDS = ("network", "subtheme", "region", "country", "mode")


@dataclasses.dataclass(frozen=True)
class Filters:
    """Global filter state: period (inclusive dates) and code lists."""

    start: dt.date | None = None
    end: dt.date | None = None
    network: tuple[str, ...] = ()
    subtheme: tuple[str, ...] = ()
    region: tuple[str, ...] = ()  # EU | NA
    country: tuple[str, ...] = ()  # ISO2
    mode: tuple[str, ...] = ()  # cooperation mode

    def to_query(self) -> str:
        """Return the URL query string (without '?') for these filters, stable in order."""
        pairs: list[tuple[str, str]] = []
        if self.start:
            pairs.append(("start", self.start.isoformat()))
        if self.end:
            pairs.append(("end", self.end.isoformat()))
        for name in LIST_FIELDS:
            values = getattr(self, name)
            if values:
                pairs.append((name, ",".join(values)))
        return urlencode(pairs)

    @classmethod
    def from_query(cls, query: str | dict[str, Any]) -> Filters:
        """Return Filters parsed from a URL query string or dict; invalid parts are ignored."""
        if isinstance(query, str):
            raw = {k: v[-1] for k, v in parse_qs(query.lstrip("?")).items()}
        else:
            raw = {k: (v[-1] if isinstance(v, list) else v) for k, v in query.items()}

        def as_date(value: object) -> dt.date | None:
            try:
                return dt.date.fromisoformat(str(value)[:10]) if value else None
            except ValueError:
                return None

        lists = {
            name: tuple(
                sorted({p.strip() for p in str(raw.get(name) or "").split(",") if p.strip()})
            )
            for name in LIST_FIELDS
        }
        return cls(start=as_date(raw.get("start")), end=as_date(raw.get("end")), **lists)
