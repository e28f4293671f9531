"""Who may see what through the web app: one guard per kind of data, replaced by sign-in (#14).

Until sign-in and roles exist every web client is anonymous (the public role, ARCHITECTURE.md §8):
published aggregates only. Raw quarantined records (the `raw_record` column: a rejected row as the
provider sent it) stay on the server, for the CLI and the analyst API; callbacks and exports of the
web app check `can_see_raw_records()` before serving them, not only the page layout.
"""

from __future__ import annotations

import pandas as pd

RAW_RECORD_COLUMNS = ("raw_record",)


def can_see_raw_records() -> bool:
    """Return True when the caller may see raw quarantined records (False: no sign-in yet)."""
    return False


def without_raw_records(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` without the raw-record columns unless the caller may see them."""
    if can_see_raw_records():
        return df
    return df.drop(columns=[c for c in RAW_RECORD_COLUMNS if c in df.columns])
