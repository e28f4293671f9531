"""The latest Parquet bundle of the published tables, as one zip, built once per publish.

`/api/v1/bundle` serves it. The first request after a publish exports the tables the caller may
read (`pipelines.export.files.export_warehouse(..., fmt="parquet", only=...)`: Parquet files,
README.md and datapackage.json) into a zip under `pipelines.config.bundle_dir()`, named by the
publish; later requests send that file. Older bundles are removed when a new one is made. A
file lock keeps gunicorn workers from building the same bundle twice.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import zipfile
from pathlib import Path

from filelock import FileLock

from dashboard import data
from pipelines import config
from pipelines.export.files import export_warehouse

DOWNLOAD_NAME = "iurc-open-data-parquet.zip"
PREFIX = "iurc-open-data-"
_lock = threading.Lock()


def latest(relations: list[str], publish_key: str) -> Path:
    """Return the zip of `relations` for the publish `publish_key`, building it if missing."""
    digest = hashlib.sha256("|".join([publish_key, *relations]).encode("utf-8")).hexdigest()[:16]
    folder = config.bundle_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{digest}.zip"
    if target.exists():
        return target
    with _lock, FileLock(str(folder / ".bundle.lock")):
        if target.exists():
            return target
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            out = Path(tmp) / "bundle"
            # the web readers may not write files: the export has its own connection
            con = data.export_connection()
            try:
                export_warehouse(con, out, fmt="parquet", only=relations)
            finally:
                con.close()
            partial = Path(tmp) / "bundle.zip"
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(out.iterdir()):
                    archive.write(path, path.name)
            os.replace(partial, target)
        for old in folder.glob(f"{PREFIX}*.zip"):
            if old != target:
                old.unlink(missing_ok=True)
    return target
