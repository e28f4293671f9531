"""Column value types shared by the schema modules (pandas nullable dtypes, pandas 3 strings)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

Text = Series[str]
Int = Series[pd.Int64Dtype]
Float = Series[pd.Float64Dtype]
Bool = Series[pd.BooleanDtype]
DateCol = Series[pa.DateTime]
