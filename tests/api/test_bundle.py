"""/api/v1/bundle: the latest Parquet bundle of the published tables, one per publish."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from frictionless import Package

from dashboard import access


def test_api_bundle_is_the_public_tables_with_a_datapackage(
    api_client, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("IURC_BUNDLE_DIR", str(tmp_path))
    response = api_client.get("/api/v1/bundle")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = set(archive.namelist())
    assert {"README.md", "datapackage.json"} <= names
    tables = {n.removesuffix(".parquet") for n in names if n.endswith(".parquet")}
    assert tables and all(access.can_read_table(t) for t in tables)
    assert set(access.PUBLIC_MARTS) <= tables
    descriptor = json.loads(archive.read("datapackage.json"))
    assert list(Package.metadata_validate(descriptor)) == []
    assert {r["path"] for r in descriptor["resources"]} == {f"{t}.parquet" for t in tables}
    # made once per publish: the same file again, and 304 for a client that has it
    assert len(list(tmp_path.glob("iurc-open-data-*.zip"))) == 1
    again = api_client.get("/api/v1/bundle", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
