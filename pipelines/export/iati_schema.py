"""Validate an IATI activity file against the IATI 2.03 XSD shipped in
data/reference/iati/schema-2.03 (IATI Secretariat, CC BY 4.0; see SOURCES.md there)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from lxml import etree

from pipelines import config

SCHEMA_DIR = config.ROOT / "data" / "reference" / "iati" / "schema-2.03"
MAX_ERRORS = 20


@functools.cache
def activities_schema() -> etree.XMLSchema:
    """Return the compiled IATI 2.03 activities schema (read from disk, no network)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc = etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd"), parser)
    return etree.XMLSchema(doc)


def schema_errors(path: str | os.PathLike[str]) -> list[str]:
    """Return the XSD errors of an IATI activity file ('line N: message'; empty when valid)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    doc = etree.parse(str(Path(path)), parser)
    schema = activities_schema()
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:MAX_ERRORS]]
