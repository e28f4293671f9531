"""Read an IATI activity file (XML) into records of the warehouse's entities.

One IATI file holds several entities: each `iati-activity` is the programme, a cooperation or an
IURC activity (its `iurc:entity` extension attribute; otherwise hierarchy 2 = cooperation and
anything else an activity), and its elements give cooperation members (participating-org of a
city), SDG tags (tag vocabularies 2 and 3), targets and reported actuals (result/indicator/period),
funding (incoming transactions) and outputs (document links of an IURC output). Each record keeps
its element path, e.g. `/iati-activities/iati-activity[3]/result[1]/indicator[2]/period[1]/target[1]`,
which stands in for the line number in messages and in ops.quarantine. The records then go
through the same validation, upsert and quarantine as CSV, XLSX and JSON rows
(`pipelines.ingest.run`): an element the warehouse cannot take is quarantined with its reasons,
never dropped silently.

Safety: lxml with entity resolution, DTD loading and network access off and huge_tree off; a
file that declares a DOCTYPE (the way to XXE and billion-laughs payloads) is refused before
parsing. Versions: IATI 2.x is read; 1.x files are refused as a whole (see docs/iati.md: the
1.x layout has no narratives, other code lists and no result periods worth mapping).
The mapping is documented in docs/iati.md.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
from lxml import etree

from pipelines.ingest import iati_codes as codes
from pipelines.ingest.read import FileRejected, ReadResult, _stage_batches
from schemas import ENTITIES

MAX_XML_BYTES = 64 * 1024 * 1024
HEAD_BYTES = 1 << 16
#: entities an IATI file can fill, in load order
IATI_ENTITIES = (
    "cooperation",
    "cooperation_member",
    "activity",
    "output",
    "funding",
    "target",
    "observation",
    "sdg_alignment",
)
#: transaction types that are funds leveraged (1 Incoming Funds, 11 Incoming Commitment)
FUNDING_TRANSACTIONS = {"1", "11"}
#: dimension names that set a target's or actual's scope
SCOPE_DIMENSIONS = ("network", "mode", "cooperation", "city")

Values = dict[str, str | None]


@dataclass
class Record:
    """One entity row read from an element: its path, values and reading problems."""

    location: str
    values: Values
    reasons: list[dict[str, str | None]] = field(default_factory=list)


@dataclass
class IatiFile:
    """What an IATI file holds: records per entity, the version and notes on skipped elements."""

    version: str
    activities: int
    records: dict[str, list[Record]]
    notes: list[str]


def _check_head(path: Path) -> None:
    """Refuse files that are not XML, too big, or declare a DTD (raises FileRejected)."""
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("empty file (0 bytes)")
    if size > MAX_XML_BYTES:
        raise FileRejected(f"XML file of {size:,} bytes exceeds the {MAX_XML_BYTES:,}-byte limit")
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise FileRejected(
            "the XML file declares a DOCTYPE/ENTITY: refused (entity declarations are how XXE "
            "and entity-expansion attacks work; IATI files never need one)"
        )


def _parse(path: Path) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        raise FileRejected(f"not well-formed XML ({exc.msg})", line=line) from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise FileRejected("the XML file declares a DOCTYPE: refused (XXE / entity expansion)")
    root: etree._Element = tree.getroot()
    return root


def _version(root: etree._Element) -> str:
    if root.tag != "iati-activities":
        raise FileRejected(
            f"not an IATI activity file: the root element is <{_name(root)}>, expected "
            "<iati-activities>"
        )
    version = (root.get("version") or "").strip()
    if not version:
        raise FileRejected("the <iati-activities> element has no version attribute")
    if version.startswith("1."):
        raise FileRejected(
            f"IATI version {version} is not supported: version 1.x was retired in 2016 and "
            "lacks the narratives, code lists and result periods this import maps; publish or "
            "convert the file as IATI 2.03"
        )
    if not version.startswith("2."):
        raise FileRejected(f"unknown IATI version {version!r}: expected 2.0x")
    return version


def _name(node: etree._Element) -> str:
    if not isinstance(node.tag, str):
        return "?"
    qname = etree.QName(node)
    return f"iurc:{qname.localname}" if qname.namespace == codes.IURC_NS else str(qname.localname)


def _path(node: etree._Element) -> str:
    """Return the element path with explicit positions, e.g. /iati-activities/iati-activity[3]."""
    parts: list[str] = []
    current: etree._Element | None = node
    while current is not None:
        parent = current.getparent()
        if parent is None:
            parts.append(_name(current))
        else:
            same = [c for c in parent if c.tag == current.tag]
            parts.append(f"{_name(current)}[{same.index(current) + 1}]")
        current = parent
    return "/" + "/".join(reversed(parts))


def _narrative(node: etree._Element | None, lang: str) -> str | None:
    """Return the narrative in the activity's language (or without xml:lang), else the first."""
    if node is None:
        return None
    texts = [(n.get(codes.XML_LANG), (n.text or "").strip()) for n in node.findall("narrative")]
    texts = [(lg, t) for lg, t in texts if t]
    for wanted in (None, lang):
        for lg, text in texts:
            if lg == wanted:
                return text
    if texts:
        return texts[0][1]
    text = (node.text or "").strip()  # IATI 1.x style: text in the element itself
    return text or None


def _ext(node: etree._Element, name: str) -> str | None:
    value = node.get(codes.iurc(name))
    return value.strip() if value is not None and value.strip() else None


def _date(act: etree._Element, kinds: tuple[str, ...]) -> str | None:
    for kind in kinds:
        for d in act.findall("activity-date"):
            if d.get("type") == kind and d.get("iso-date"):
                return str(d.get("iso-date"))[:10]
    return None


def _sector(act: etree._Element, vocabulary: str) -> str | None:
    for s in act.findall("sector"):
        if (s.get("vocabulary") or "1") == vocabulary and s.get("code"):
            return str(s.get("code"))
    return None


def _local_id(ref: str | None) -> str | None:
    """Return the IURC id inside an identifier of this programme, the ref itself otherwise."""
    if ref is None:
        return None
    prefix = codes.PROGRAMME_IDENTIFIER + "-"
    return ref[len(prefix) :] if ref.startswith(prefix) else ref


class _Reader:
    """Walks the activities of one file and collects the records."""

    def __init__(self) -> None:
        self.records: dict[str, list[Record]] = {e: [] for e in IATI_ENTITIES}
        self.skipped: dict[str, int] = {}

    def add(
        self, entity: str, node: etree._Element, values: Values, *reasons: tuple[str, str]
    ) -> None:
        rows: list[dict[str, str | None]] = [
            {"column": None, "rule": rule, "value": value} for rule, value in reasons
        ]
        self.records[entity].append(Record(_path(node), values, rows))

    def skip(self, what: str) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + 1

    def activity(self, act: etree._Element, default_lang: str) -> None:
        lang = act.get(codes.XML_LANG) or default_lang
        identifier = (act.findtext("iati-identifier") or "").strip() or None
        kind = _ext(act, "entity") or ("cooperation" if act.get("hierarchy") == "2" else "activity")
        if kind == "programme":
            own_id = None
            scope = ("programme", "iurc-na")
        elif kind == "cooperation":
            own_id = _ext(act, "cooperation-id") or _local_id(identifier)
            scope = ("cooperation", own_id or "")
            self.cooperation(act, own_id, lang)
        else:
            kind = "activity"
            own_id = _ext(act, "activity-id") or _local_id(identifier)
            scope = ("activity", own_id or "")
            self.iurc_activity(act, own_id, lang)
        if own_id is not None:
            self.tags(act, kind, own_id)
        else:
            for tag in act.findall("tag"):
                if tag.get("vocabulary") in (codes.TAG_GOAL, codes.TAG_TARGET):
                    self.skip("SDG tags of the programme itself (IURC tags its parts)")
        self.results(act, scope)
        self.transactions(act)
        self.documents(act)

    def cooperation(self, act: etree._Element, own_id: str | None, lang: str) -> None:
        values: Values = {
            "cooperation_id": own_id,
            "mode": _ext(act, "mode"),
            "name": _narrative(act.find("title"), lang),
            "network_id": _sector(act, codes.SECTOR_NETWORK),
            "phase": _ext(act, "phase"),
            "start_date": _date(act, (codes.DATE_ACTUAL_START, codes.DATE_PLANNED_START)),
            "support_end_date": _date(act, (codes.DATE_ACTUAL_END, codes.DATE_PLANNED_END)),
        }
        self.add("cooperation", act, values)
        for org in act.findall("participating-org"):
            city = _ext(org, "city-id")
            if city is None:
                self.skip("participating organisations that are not an IURC city")
                continue
            member: Values = {
                "cooperation_id": own_id,
                "city_id": city,
                "role": _ext(org, "member-role"),
            }
            self.add("cooperation_member", org, member)

    def iurc_activity(self, act: etree._Element, own_id: str | None, lang: str) -> None:
        code = act.find("activity-status")
        status = code.get("code") if code is not None else None
        host = next(
            (
                _ext(org, "city-id")
                for org in act.findall("participating-org")
                if _ext(org, "member-role") == "host"
            ),
            None,
        )
        parent = next(
            (
                r.get("ref")
                for r in act.findall("related-activity")
                if r.get("type") == codes.RELATED_PARENT
            ),
            None,
        )
        cooperation = None if parent == codes.PROGRAMME_IDENTIFIER else _local_id(parent)
        description = act.find("description")
        updated = act.get("last-updated-datetime")
        values: Values = {
            "activity_id": own_id,
            "title": _narrative(act.find("title"), lang),
            "description": None
            if description is None or _ext(description, "generated")
            else _narrative(description, lang),
            "activity_type": _ext(act, "activity-type"),
            "modality": _ext(act, "modality"),
            "status": codes.ACTIVITY_STATUS_BACK.get(status or "", f"IATI activity-status {status}")
            if status
            else None,
            "start_date": _date(act, (codes.DATE_ACTUAL_START, codes.DATE_PLANNED_START)),
            "end_date": _date(act, (codes.DATE_ACTUAL_END, codes.DATE_PLANNED_END)),
            "network_id": _sector(act, codes.SECTOR_NETWORK),
            "subtheme_id": _sector(act, codes.SECTOR_SUBTHEME),
            "cross_cutting_id": _ext(act, "cross-cutting"),
            "cooperation_id": cooperation,
            "host_city_id": host,
            "reported_date": updated[:10] if updated else None,
        }
        self.add("activity", act, values)

    def tags(self, act: etree._Element, kind: str, own_id: str) -> None:
        for tag in act.findall("tag"):
            vocabulary, code = tag.get("vocabulary"), (tag.get("code") or "").strip()
            if vocabulary not in (codes.TAG_GOAL, codes.TAG_TARGET):
                self.skip(f"tags of vocabulary {vocabulary} (not SDG goals or targets)")
                continue
            target = code if vocabulary == codes.TAG_TARGET else None
            values: Values = {
                "entity_type": kind,
                "entity_id": own_id,
                "goal": code.split(".")[0] if target else code,
                "target_id": target,
                "is_primary": "true" if _ext(tag, "primary") == "1" else "false",
                "method": _ext(tag, "method") or "manual",
                "score": _ext(tag, "score"),
                "status": "accepted",
            }
            self.add("sdg_alignment", tag, values)

    def results(self, act: etree._Element, scope: tuple[str, str]) -> None:
        for indicator in act.iterfind("result/indicator"):
            ref = next(
                (
                    r.get("code")
                    for r in indicator.findall("reference")
                    if r.get("vocabulary") == codes.INDICATOR_VOCABULARY
                ),
                None,
            )
            baselines = {_scope(b, scope): b.get("value") for b in indicator.findall("baseline")}
            periods = indicator.findall("period")
            if not periods:
                self.add(
                    "target",
                    indicator,
                    _target_values(ref, scope, None, None, baselines.get(scope)),
                    ("indicator without a period: no target or actual to load", _path(indicator)),
                )
            for period in periods:
                start = _iso(period.find("period-start"))
                end = _iso(period.find("period-end"))
                for target in period.findall("target"):
                    where = _scope(target, scope)
                    record = target.find(codes.iurc("record"))
                    own = record.get("baseline") if record is not None else None
                    base = own if record is not None else baselines.get(where)
                    values = _target_values(ref, where, end, target.get("value"), base)
                    self.add("target", target, values)
                for actual in period.findall("actual"):
                    record = actual.find(codes.iurc("record"))
                    if record is not None and record.get("source") == "computed":
                        self.skip("actual values computed by IURC (recomputed from the facts)")
                        continue
                    where = _scope(actual, scope)
                    values = {
                        "indicator_id": ref,
                        "scope_type": where[0],
                        "scope_id": where[1],
                        "period_start": start,
                        "period_end": end,
                        "value": actual.get("value"),
                        "value_kind": "actual",
                    }
                    other = [
                        f"{d.get('name')}={d.get('value')}"
                        for d in actual.findall("dimension")
                        if d.get("name") not in SCOPE_DIMENSIONS
                    ]
                    reasons = (
                        [("disaggregated actual: IURC stores totals only", ", ".join(other))]
                        if other
                        else []
                    )
                    self.add("observation", actual, values, *reasons)

    def transactions(self, act: etree._Element) -> None:
        for tx in act.findall("transaction"):
            kind = tx.find("transaction-type")
            code = kind.get("code") if kind is not None else None
            if code not in FUNDING_TRANSACTIONS:
                self.skip(f"transactions of type {code} (the funder's own flows, not leveraged)")
                continue
            value = tx.find("value")
            date = tx.find("transaction-date")
            values: Values = {
                "funding_id": tx.get("ref"),
                "output_id": _ext(tx, "output-id"),
                "amount": (value.text or "").strip() if value is not None else None,
                "currency": (value.get("currency") if value is not None else None)
                or act.get("default-currency"),
                "amount_eur": _ext(tx, "amount-eur"),
                "source_type": _ext(tx, "source-type"),
                "committed_date": date.get("iso-date") if date is not None else None,
            }
            self.add("funding", tx, values)

    def documents(self, act: etree._Element) -> None:
        parent = act.get(codes.iurc("cooperation-id"))
        for doc in act.findall("document-link"):
            if _ext(doc, "output-id") is None:
                self.skip("document links that are not an IURC output")
                continue
            values = _output_values(doc, True, parent)
            values["title"] = _narrative(doc.find("title"), "en")
            values["description"] = _narrative(doc.find("description"), "en")
            values["evidence_url"] = doc.get("url")
            self.add("output", doc, values)
        for node in act.findall(codes.iurc("output")):  # outputs with no document to link
            values = _output_values(node, False, parent)
            values["title"] = (node.findtext(codes.iurc("title")) or "").strip() or None
            values["description"] = (node.findtext(codes.iurc("description")) or "").strip() or None
            self.add("output", node, values)


OUTPUT_FIELDS = (
    "output_id",
    "output_type",
    "status",
    "city_id",
    "network_id",
    "activity_id",
    "framework_id",
    "planned_date",
    "developed_date",
    "implemented_date",
    "adopted_date",
)


def _output_values(node: etree._Element, extension: bool, cooperation: str | None) -> Values:
    """Return an output's values from its attributes (names with - for _; IURC extension
    attributes on an IATI element, plain ones on an <iurc:output>)."""
    values: Values = {}
    for name in OUTPUT_FIELDS:
        attr = name.replace("_", "-")
        value = node.get(codes.iurc(attr) if extension else attr)
        values[name] = value.strip() if value is not None and value.strip() else None
    values["cooperation_id"] = cooperation
    return values


def _iso(node: etree._Element | None) -> str | None:
    return str(node.get("iso-date"))[:10] if node is not None and node.get("iso-date") else None


def _scope(node: etree._Element, default: tuple[str, str]) -> tuple[str, str]:
    """Return the (scope_type, scope_id) a target/actual/baseline's dimensions name."""
    for d in node.findall("dimension"):
        if d.get("name") in SCOPE_DIMENSIONS and d.get("value"):
            return str(d.get("name")), str(d.get("value"))
    return default


def _target_values(
    ref: str | None, scope: tuple[str, str], end: str | None, value: str | None, base: str | None
) -> Values:
    return {
        "indicator_id": ref,
        "scope_type": scope[0],
        "scope_id": scope[1],
        "period_end": end,
        "baseline": base,
        "target_value": value,
    }


@functools.lru_cache(maxsize=4)
def _read_cached(path: str, mtime_ns: int, size: int) -> IatiFile:
    file = Path(path)
    _check_head(file)
    root = _parse(file)
    version = _version(root)
    reader = _Reader()
    default_lang = root.get(codes.XML_LANG) or "en"
    activities = root.findall("iati-activity")
    for act in activities:
        reader.activity(act, default_lang)
    notes = [f"not imported: {n:,} {what}" for what, n in sorted(reader.skipped.items())]
    return IatiFile(version, len(activities), reader.records, notes)


def read_iati(path: str | os.PathLike[str]) -> IatiFile:
    """Return the records an IATI activity file holds (raises FileRejected for the whole file).

    Parsed once per file version (path, mtime, size): the ingest stages one entity at a time.
    """
    file = Path(path)
    try:
        stat = file.stat()
    except OSError as exc:
        raise FileRejected(f"cannot read the file ({exc.strerror or exc})") from exc
    return _read_cached(str(file.resolve()), stat.st_mtime_ns, stat.st_size)


def entities_in(path: str | os.PathLike[str]) -> list[str]:
    """Return the entities an IATI file has records for, in load order (at least 'activity',
    so a file without any activity still reports on something)."""
    found = [e for e, rows in read_iati(path).records.items() if rows]
    return found or ["activity"]


def stage_iati(con: duckdb.DuckDBPyConnection, path: Path, entity_name: str) -> ReadResult:
    """Stage one entity's records of an IATI file into `stage`, and their element paths into
    temp table `stage_location` (`_line`, `location`); return what was read."""
    file = read_iati(path)
    entity = ENTITIES[entity_name]
    if entity_name not in file.records:
        raise FileRejected(f"an IATI file holds no {entity_name} records")
    rows = file.records[entity_name]
    filled = {c for r in rows for c, v in r.values.items() if v is not None}
    columns = [
        c
        for c in entity.columns
        if c in filled or (c in entity.required_columns and any(c in r.values for r in rows))
    ] or list(entity.required_columns)

    def staged() -> Iterator[tuple[int, list[str | None], list[dict[str, str | None]]]]:
        for line, record in enumerate(rows, start=1):
            yield line, [record.values.get(c) for c in columns], record.reasons

    count = _stage_batches(con, columns, staged())
    locations = pa.table(
        {
            "_line": pa.array(range(1, len(rows) + 1), pa.int64()),
            "location": pa.array([r.location for r in rows], pa.string()),
        }
    )
    con.register("stage_location_arrow", locations)
    con.execute("CREATE OR REPLACE TEMP TABLE stage_location AS SELECT * FROM stage_location_arrow")
    con.unregister("stage_location_arrow")
    result = ReadResult(entity, "iati", columns, count)
    result.warnings.append(
        f"IATI {file.version}: {file.activities:,} activities; {count:,} {entity_name} records"
    )
    return result
