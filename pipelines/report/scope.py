"""What a report covers: a calendar year or one of its quarters, the programme, a network or a city,
narrowed by any of the metric layer's declared filters (pipelines.metrics.filters.FILTERS)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pipelines.metrics.filters import LIST_FIELDS, Filters

QUARTERS = ("Q1", "Q2", "Q3", "Q4")


class ScopeError(ValueError):
    """A report scope that cannot be reported (bad year, quarter or unknown network or city)."""


@dataclasses.dataclass(frozen=True)
class ReportScope:
    """The period (a year, or a quarter of it) and the place (programme, network, city) reported.

    `codes` narrows the report by the declared code-list filters (subtheme, region, country, mode,
    challenge, several networks...): its period is ignored, `network` (one network) adds to it.
    """

    year: int
    quarter: int | None = None  # 1..4, None for the whole year
    network: str | None = None
    city: str | None = None
    codes: Filters = Filters()

    def __post_init__(self) -> None:
        if not 2000 <= self.year <= 2100:
            raise ScopeError(f"period must be a year between 2000 and 2100, not {self.year}")
        if self.quarter is not None and self.quarter not in (1, 2, 3, 4):
            raise ScopeError(f"quarter must be Q1, Q2, Q3 or Q4, not {self.quarter}")

    @property
    def start(self) -> dt.date:
        """Return the first day of the period."""
        return dt.date(self.year, 3 * (self.quarter - 1) + 1 if self.quarter else 1, 1)

    @property
    def end(self) -> dt.date:
        """Return the last day of the period."""
        if self.quarter is None:
            return dt.date(self.year, 12, 31)
        month = 3 * self.quarter
        following = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    def filters(self) -> Filters:
        """Return the global filters of this scope (the city goes to the queries apart)."""
        network = (self.network,) if self.network else self.codes.network
        return dataclasses.replace(self.codes, start=self.start, end=self.end, network=network)

    def previous(self) -> ReportScope:
        """Return the same place over the period before (the year before, or the quarter before)."""
        if self.quarter is None:
            return dataclasses.replace(self, year=self.year - 1)
        if self.quarter == 1:
            return dataclasses.replace(self, year=self.year - 1, quarter=4)
        return dataclasses.replace(self, quarter=self.quarter - 1)

    @property
    def period_code(self) -> str:
        """Return the period as written on the command line: '2025' or '2025-Q3'."""
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)


def parse_quarter(value: str | None) -> int | None:
    """Return the quarter number of 'Q3' / 'q3' / '3', None for no quarter; ScopeError otherwise."""
    if value is None or value == "":
        return None
    text = str(value).strip().upper().removeprefix("Q")
    if text not in {"1", "2", "3", "4"}:
        raise ScopeError(f"quarter must be Q1, Q2, Q3 or Q4, not {value!r}")
    return int(text)


def parse_filter_options(values: list[str] | tuple[str, ...]) -> Filters:
    """Return the code-list filters of command-line `NAME=CODE[,CODE...]` options (no period).

    NAME is a declared filter (network, subtheme, region, country, mode, challenge); ScopeError
    names an unknown filter or a value without '='.

    Example: ``parse_filter_options(["region=EU", "challenge=digital_transition_smart_city"])``
    """
    lists: dict[str, set[str]] = {}
    for value in values:
        name, sep, codes = str(value).partition("=")
        name = name.strip()
        if not sep or name not in LIST_FIELDS:
            raise ScopeError(
                f"--filter must be NAME=CODE[,CODE...] with NAME one of {', '.join(LIST_FIELDS)},"
                f" not {value!r}"
            )
        lists.setdefault(name, set()).update(c.strip() for c in codes.split(",") if c.strip())
    return Filters.from_query({name: ",".join(sorted(codes)) for name, codes in lists.items()})
