"""Write the warehouse as an IATI 2.03 activity file (`iurc export --format iati`).

The programme is the parent activity (hierarchy 1), each cooperation a child (hierarchy 2) and
each IURC activity (study visit, event, training, ...) a grandchild (hierarchy 3) of its
cooperation, or of the programme for activities outside any cooperation; parents and children
name each other with related-activity types 1 and 2. Records come from `pipelines.queries.iati`
(one element per input record); every aggregate (a result's actual value) comes from the metric
layer: the programme's and networks' KPI values per target year from `kpi_scorecard`, a
cooperation's to-date values from `metric_total`/`metric_frame`. The mapping is in docs/iati.md.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from lxml import etree

from pipelines import config
from pipelines.ingest import iati_codes as codes
from pipelines.metrics.filters import Filters
from pipelines.queries import iati as records
from pipelines.queries.metrics import data_dates, metric_frame, metric_total
from pipelines.queries.overview import kpi_scorecard
from pipelines.warehouse import db as dbmod

LANGS = ("en", "fr", "es")
#: KPIs a cooperation reports as results (to date): activities delivered, participations (with
#: the women among them), funding leveraged
COOPERATION_KPIS = ("K03", "K04", "K20")
#: the KPI whose numerator counts the women among participations (K08 = women / declared)
WOMEN_OF = {"K04": "K08"}

_E = etree.SubElement


def _text(value: Any) -> str | None:
    """Return a record value as text, None for missing values (None, NaN, NaT)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def _number(value: float) -> str:
    """Return a number as IATI decimal text (integers without '.0')."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _narratives(
    parent: etree._Element, texts: Mapping[str, str | None], default: str = "en"
) -> None:
    """Add one narrative per language; the activity's default language carries no xml:lang."""
    for lang, text in texts.items():
        if text:
            node = _E(parent, "narrative")
            if lang != default:
                node.set(codes.XML_LANG, lang)
            node.text = text


def _set(node: etree._Element, **attrs: Any) -> etree._Element:
    """Set the IURC extension attributes that have a value (names use - for _)."""
    for name, value in attrs.items():
        text = _text(value)
        if text is not None:
            node.set(codes.iurc(name.replace("_", "-")), text)
    return node


def _ext(node: etree._Element, **attrs: Any) -> None:
    """Add an <iurc:record> child carrying IURC attributes, for IATI elements (target, actual)
    that allow extension elements but no extension attributes; it must come last."""
    if any(_text(v) is not None for v in attrs.values()):
        record = _E(node, codes.iurc("record"))
        for name, value in attrs.items():
            text = _text(value)
            if text is not None:
                record.set(name.replace("_", "-"), text)


def _activity(
    root: etree._Element, identifier: str, kind: str, reported: dt.date | None
) -> etree._Element:
    act = _E(root, "iati-activity")
    act.set(codes.XML_LANG, "en")
    act.set("default-currency", "EUR")
    act.set("hierarchy", codes.HIERARCHY[kind])
    if reported is not None:
        act.set("last-updated-datetime", f"{reported.isoformat()}T00:00:00Z")
    act.set(codes.iurc("entity"), kind)
    _E(act, "iati-identifier").text = identifier
    org = _E(act, "reporting-org", ref=codes.REPORTING_ORG_REF, type=codes.REPORTING_ORG_TYPE)
    _narratives(org, codes.REPORTING_ORG_NAME)
    return act


def _eu_funder(act: etree._Element) -> None:
    org = _E(
        act,
        "participating-org",
        ref=codes.REPORTING_ORG_REF,
        type=codes.REPORTING_ORG_TYPE,
        role=codes.ROLE_FUNDING,
    )
    _narratives(org, codes.REPORTING_ORG_NAME)


def _city_org(act: etree._Element, city_id: str, name: str, member_role: str) -> None:
    org = _E(act, "participating-org", type=codes.CITY_ORG_TYPE, role=codes.ROLE_IMPLEMENTING)
    _set(org, city_id=city_id, member_role=member_role)
    _narratives(org, {"en": f"City of {name}"})


def _dates(act: etree._Element, dates: Iterable[tuple[str, Any]]) -> None:
    for kind, value in dates:
        text = _text(value)
        if text is not None:
            _E(act, "activity-date", type=kind, **{"iso-date": text})


def _location(act: etree._Element, city_id: str, row: Mapping[str, Any], prefix: str) -> None:
    loc = _E(act, "location", ref=city_id)
    _E(loc, "location-reach", code="1")
    geonames = _text(row.get(f"{prefix}geonames_id"))
    if geonames is not None:
        _E(loc, "location-id", vocabulary=codes.LOCATION_GEONAMES, code=geonames.split(".")[0])
    _narratives(_E(loc, "name"), {"en": _text(row.get(f"{prefix}name"))})
    lat, lon = _text(row.get(f"{prefix}lat")), _text(row.get(f"{prefix}lon"))
    if lat is not None and lon is not None:
        point = _E(loc, "point", srsName=codes.SRS_NAME)
        _E(point, "pos").text = f"{lat} {lon}"
        _E(loc, "exactness", code="1")


def _sectors(act: etree._Element, network_id: str, subtheme_id: str | None) -> None:
    _E(act, "sector", vocabulary=codes.SECTOR_DAC5, code=codes.DAC5_URBAN, percentage="100")
    _E(act, "sector", vocabulary=codes.SECTOR_NETWORK, code=network_id, percentage="100")
    if subtheme_id:
        _E(act, "sector", vocabulary=codes.SECTOR_SUBTHEME, code=subtheme_id, percentage="100")


Record = dict[str, Any]


def _records(frame: pd.DataFrame) -> list[Record]:
    """Return a frame's rows as dicts keyed by column name."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _by(frame: pd.DataFrame, *keys: str) -> dict[Any, list[Record]]:
    """Return the frame's records grouped by the key column(s) (a tuple key for several)."""
    out: dict[Any, list[Record]] = {}
    for row in _records(frame):
        key = tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]]
        if not isinstance(key, tuple) and _text(key) is None:
            key = None
        out.setdefault(key, []).append(row)
    return out


def _tags(act: etree._Element, tags: list[Record]) -> None:
    for row in tags:
        target = _text(row["target_id"])
        tag = _E(
            act,
            "tag",
            vocabulary=codes.TAG_TARGET if target else codes.TAG_GOAL,
            code=target or str(int(row["goal"])),
        )
        _set(
            tag,
            primary="1" if row["is_primary"] else "0",
            method=row["method"],
            score=row["score"],
        )
        if not target:
            _narratives(tag, {lang: row[f"goal_{lang}"] for lang in LANGS})


def _related(act: etree._Element, kind: str, identifiers: Iterable[str]) -> None:
    for ref in identifiers:
        _E(act, "related-activity", ref=ref, type=kind)


def _transactions(act: etree._Element, funding: list[Record]) -> None:
    for row in funding:
        tx = _E(act, "transaction", ref=row["funding_id"])
        _set(
            tx,
            output_id=row["output_id"],
            source_type=row["source_type"],
            amount_eur=_number(row["amount_eur"]),
        )
        _E(tx, "transaction-type", code=codes.TRANSACTION_INCOMING_COMMITMENT)
        date = _text(row["committed_date"])
        _E(tx, "transaction-date", **{"iso-date": date})
        value = _E(tx, "value", currency=row["currency"], **{"value-date": date})
        value.text = _number(row["amount"])
        _narratives(_E(tx, "provider-org"), {"en": _text(row["source_en"])})


OUTPUT_STAGES = ("adopted_date", "implemented_date", "developed_date", "planned_date")
OUTPUT_ATTRS = (
    "output_id",
    "output_type",
    "status",
    "city_id",
    "network_id",
    "activity_id",
    "framework_id",
    *OUTPUT_STAGES,
)


def _documents(act: etree._Element, outputs: list[Record]) -> None:
    for row in outputs:
        if _text(row["evidence_url"]) is None:
            continue  # no document to link: written as an <iurc:output> (see _unlinked_outputs)
        doc = _E(act, "document-link", url=row["evidence_url"], format="text/html")
        _set(doc, **{name: row[name] for name in OUTPUT_ATTRS})
        _narratives(_E(doc, "title"), {"en": row["title"]})
        if _text(row.get("description")):
            _narratives(_E(doc, "description"), {"en": row["description"]})
        _E(doc, "category", code=codes.DOCUMENT_CATEGORY)
        date = next((_text(row[k]) for k in OUTPUT_STAGES if _text(row[k])), None)
        if date:
            _E(doc, "document-date", **{"iso-date": date})


def _unlinked_outputs(act: etree._Element, outputs: list[Record]) -> None:
    """Outputs without evidence URL as <iurc:output> extension elements (last in the activity:
    the schema allows elements of other namespaces there), so funding can refer to them."""
    for row in outputs:
        if _text(row["evidence_url"]) is None:
            node = _E(act, codes.iurc("output"))
            for name in OUTPUT_ATTRS:
                text = _text(row[name])
                if text is not None:
                    node.set(name.replace("_", "-"), text)
            _E(node, codes.iurc("title")).text = str(row["title"])
            if _text(row.get("description")):
                _E(node, codes.iurc("description")).text = str(row["description"])


def _result(act: etree._Element, indicator: Mapping[str, Any]) -> etree._Element:
    """Add a result with one indicator for a KPI; return the indicator element."""
    result = _E(
        act,
        "result",
        type=codes.RESULT_TYPE.get(str(indicator["family"]), codes.RESULT_TYPE_OTHER),
    )
    _narratives(_E(result, "title"), {lang: indicator[f"label_{lang}"] for lang in LANGS})
    ind = _E(
        result,
        "indicator",
        measure=codes.MEASURE.get(str(indicator["unit"]), codes.MEASURE_UNIT),
        ascending="1" if indicator["direction"] == "higher" else "0",
    )
    _narratives(_E(ind, "title"), {lang: indicator[f"label_{lang}"] for lang in LANGS})
    _E(ind, "reference", vocabulary=codes.INDICATOR_VOCABULARY, code=str(indicator["indicator_id"]))
    return ind


def _scope_dimension(node: etree._Element, scope_type: str, scope_id: str) -> None:
    if scope_type != "programme":
        _E(node, "dimension", name=scope_type, value=scope_id)


def _actual(
    period: etree._Element,
    value: float,
    source: str,
    scope: tuple[str, str],
    sex: str | None = None,
) -> None:
    actual = _E(period, "actual", value=_number(value))
    _scope_dimension(actual, *scope)
    if sex:
        _E(actual, "dimension", name="sex", value=sex)
    _ext(actual, source=source)


def _programme_results(
    con: duckdb.DuckDBPyConnection, act: etree._Element, indicators: list[Record]
) -> None:
    """Per KPI with targets or reported values: baseline, and per period the target (input) and
    the actual (the scorecard's value for that period and scope, or the reported observation).
    Every scope sits on the programme activity; a scope other than the programme is named by a
    dimension (network, mode, cooperation or city) on the baseline, target and actual."""
    targets = _by(records.iati_targets(con), "indicator_id")
    reported = _by(records.iati_reported_actuals(con), "indicator_id")
    cards: dict[tuple[int, str, str], dict[str, Record]] = {}

    def card(year: int, scope_type: str, scope_id: str) -> dict[str, Record]:
        """The scorecard of one year and target scope (programme, network, mode, cooperation
        or city), by KPI."""
        key = (year, scope_type, scope_id)
        if key not in cards:
            filters = Filters(
                start=dt.date(year, 1, 1),
                end=dt.date(year, 12, 31),
                network=(scope_id,) if scope_type == "network" else (),
                mode=(scope_id,) if scope_type == "mode" else (),
            )
            frame = kpi_scorecard(
                con,
                filters,
                cooperation_id=scope_id if scope_type == "cooperation" else None,
                city_id=scope_id if scope_type == "city" else None,
            )
            cards[key] = {str(r["indicator_id"]): r for r in _records(frame)}
        return cards[key]

    for indicator in indicators:
        kpi = str(indicator["indicator_id"])
        its_targets = targets.get(kpi, [])
        its_reported = reported.get(kpi, [])
        if not its_targets and not its_reported:
            continue
        ind = _result(act, indicator)
        first: dict[tuple[str, str], Record] = {}
        for row in sorted(its_targets, key=lambda t: t["period_end"]):
            first.setdefault((str(row["scope_type"]), str(row["scope_id"])), row)
        for (scope_type, scope_id), row in first.items():
            if _text(row["baseline"]) is not None:
                # the baseline stands before the first target period: its year is the one before
                year = str(row["period_end"].year - 1)
                base = _E(ind, "baseline", year=year, value=_number(row["baseline"]))
                _scope_dimension(base, scope_type, scope_id)
        for row in its_targets:
            end = row["period_end"]
            scope = (str(row["scope_type"]), str(row["scope_id"]))
            period = _E(ind, "period")
            _E(period, "period-start", **{"iso-date": dt.date(end.year, 1, 1).isoformat()})
            _E(period, "period-end", **{"iso-date": _text(end)})
            target = _E(period, "target", value=_number(row["target_value"]))
            _scope_dimension(target, *scope)
            baseline = _number(row["baseline"]) if _text(row["baseline"]) else None
            _ext(target, baseline=baseline)
            value = card(end.year, *scope).get(kpi)
            if value and _text(value["value"]) is not None and value["source"] == "computed":
                _actual(period, float(value["value"]), "computed", scope)
        for row in its_reported:
            period = _E(ind, "period")
            _E(period, "period-start", **{"iso-date": _text(row["period_start"])})
            _E(period, "period-end", **{"iso-date": _text(row["period_end"])})
            scope = (str(row["scope_type"]), str(row["scope_id"]))
            _actual(period, float(row["value"]), "reported", scope)


def _cooperation_results(
    con: duckdb.DuckDBPyConnection,
    act: etree._Element,
    cooperation_id: str,
    start: Any,
    as_of: dt.date,
    indicators: list[Record],
) -> None:
    """The cooperation's to-date values of COOPERATION_KPIS (metric layer), women apart."""
    by_id = {str(i["indicator_id"]): i for i in indicators}
    for kpi in COOPERATION_KPIS:
        value = metric_total(con, kpi, Filters(), cooperation=(cooperation_id,))
        if value is None:
            continue
        ind = _result(act, by_id[kpi])
        period = _E(ind, "period")
        _E(period, "period-start", **{"iso-date": _text(start)})
        _E(period, "period-end", **{"iso-date": as_of.isoformat()})
        _actual(period, value, "computed", ("programme", config.PROGRAMME_ID))
        if kpi in WOMEN_OF:
            frame = metric_frame(con, WOMEN_OF[kpi], Filters(), cooperation=(cooperation_id,))
            women = frame["numerator"].iloc[-1] if len(frame) else None
            if women is not None and not pd.isna(women):
                _actual(
                    period,
                    float(women),
                    "computed",
                    ("programme", config.PROGRAMME_ID),
                    sex="female",
                )


def build(con: duckdb.DuckDBPyConnection) -> etree._Element:
    """Return the <iati-activities> element of the whole warehouse (IATI 2.03)."""
    dates = data_dates(con)
    as_of = dates["as_of"] or dt.date.today()
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    loaded = dates["loaded_on"]
    generated = (loaded or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = etree.Element(
        "iati-activities",
        nsmap={"iurc": codes.IURC_NS},
        version=codes.IATI_VERSION,
        **{"generated-datetime": generated},
    )
    _set(root, as_of=as_of)
    cooperations = records.iati_cooperations(con)
    members = records.iati_members(con)
    activities = records.iati_activities(con)
    tags = records.iati_accepted_tags(con)
    outputs = records.iati_outputs(con)
    funding = records.iati_funding(con)
    indicators = _records(records.iati_indicators(con))
    tags_of = _by(tags, "entity_type", "entity_id")
    funding_of = _by(funding, "cooperation_id")
    outputs_of = _by(outputs, "cooperation_id")
    members_of = _by(members, "cooperation_id")
    children_of = _by(activities[["activity_id", "cooperation_id"]], "cooperation_id")
    reported_on = as_of if isinstance(as_of, dt.date) else None

    # the programme
    act = _activity(root, codes.PROGRAMME_IDENTIFIER, "programme", reported_on)
    _narratives(_E(act, "title"), codes.PROGRAMME_TITLE)
    _narratives(_E(act, "description", type="1"), codes.PROGRAMME_DESCRIPTION)
    _eu_funder(act)
    org = _E(
        act,
        "participating-org",
        ref=codes.REPORTING_ORG_REF,
        type=codes.REPORTING_ORG_TYPE,
        role=codes.ROLE_ACCOUNTABLE,
    )
    _narratives(org, codes.REPORTING_ORG_NAME)
    _E(act, "activity-status", code="2")
    first = cooperations["start_date"].min() if len(cooperations) else None
    _dates(act, [(codes.DATE_ACTUAL_START, first)])
    _E(act, "sector", vocabulary=codes.SECTOR_DAC5, code=codes.DAC5_URBAN, percentage="100")
    _transactions(act, funding_of.get(None, []))
    _documents(act, outputs_of.get(None, []))
    _related(
        act, codes.RELATED_CHILD, map(codes.cooperation_identifier, cooperations["cooperation_id"])
    )
    _related(
        act,
        codes.RELATED_CHILD,
        (codes.activity_identifier(a["activity_id"]) for a in children_of.get(None, [])),
    )
    _programme_results(con, act, indicators)
    _unlinked_outputs(act, outputs_of.get(None, []))

    # the cooperations
    for coop in _records(cooperations):
        cid = str(coop["cooperation_id"])
        act = _activity(root, codes.cooperation_identifier(cid), "cooperation", reported_on)
        _set(act, cooperation_id=cid, mode=coop["mode"], phase=coop["phase"])
        _narratives(_E(act, "title"), {"en": coop["name"]})
        desc = _E(act, "description", type="1")  # "Pairing - Innovation", in en, fr, es
        _narratives(
            desc,
            {lang: f"IURC: {coop[f'mode_{lang}']} - {coop[f'network_{lang}']}" for lang in LANGS},
        )
        _eu_funder(act)
        its_members = members_of.get(cid, [])
        for m in its_members:
            _city_org(act, str(m["city_id"]), str(m["name"]), str(m["role"]))
        ended = _text(coop["support_end_date"])
        closed = ended is not None and ended <= as_of.isoformat()
        _E(act, "activity-status", code="4" if closed else "2")
        _dates(
            act,
            [
                (codes.DATE_ACTUAL_START, coop["start_date"]),
                (
                    codes.DATE_ACTUAL_END if closed else codes.DATE_PLANNED_END,
                    coop["support_end_date"],
                ),
            ],
        )
        for country in sorted({str(m["country_iso2"]) for m in its_members}):
            _E(act, "recipient-country", code=country)
        for m in its_members:
            _location(act, str(m["city_id"]), m, "")
        _sectors(act, str(coop["network_id"]), None)
        _tags(act, tags_of.get(("cooperation", cid), []))
        _transactions(act, funding_of.get(cid, []))
        _documents(act, outputs_of.get(cid, []))
        _related(act, codes.RELATED_PARENT, [codes.PROGRAMME_IDENTIFIER])
        _related(
            act,
            codes.RELATED_CHILD,
            (codes.activity_identifier(a["activity_id"]) for a in children_of.get(cid, [])),
        )
        _cooperation_results(con, act, cid, coop["start_date"], as_of, indicators)
        _unlinked_outputs(act, outputs_of.get(cid, []))

    # the activities
    for row in _records(activities):
        aid = str(row["activity_id"])
        reported = row["reported_date"]
        act = _activity(
            root,
            codes.activity_identifier(aid),
            "activity",
            reported.date() if isinstance(reported, pd.Timestamp) else reported,
        )
        _set(
            act,
            activity_id=aid,
            activity_type=row["activity_type"],
            modality=row["modality"],
            cross_cutting=row["cross_cutting_id"],
        )
        _narratives(_E(act, "title"), {"en": row["title"]})
        if _text(row["description"]):
            _narratives(_E(act, "description", type="1"), {"en": row["description"]})
        else:  # IATI 2.03 requires a description: the activity type, marked as generated
            desc = _E(act, "description", type="1")
            _set(desc, generated="1")
            _narratives(desc, {lang: row[f"type_{lang}"] for lang in LANGS})
        _eu_funder(act)
        host = _text(row["host_city_id"])
        if host is not None:
            _city_org(act, host, str(row["host_name"]), "host")
        status = str(row["status"])
        _E(act, "activity-status", code=codes.ACTIVITY_STATUS.get(status, status))
        done = status == "completed"
        _dates(
            act,
            [
                (codes.DATE_ACTUAL_START if done else codes.DATE_PLANNED_START, row["start_date"]),
                (codes.DATE_ACTUAL_END if done else codes.DATE_PLANNED_END, row["end_date"]),
            ],
        )
        if host is not None:
            _E(act, "recipient-country", code=str(row["host_country"]))
            _location(act, host, row, "host_")
        _sectors(act, str(row["network_id"]), _text(row["subtheme_id"]))
        _tags(act, tags_of.get(("activity", aid), []))
        coop_id = _text(row["cooperation_id"])
        parent = codes.cooperation_identifier(coop_id) if coop_id else codes.PROGRAMME_IDENTIFIER
        _related(act, codes.RELATED_PARENT, [parent])
    return root


def write_iati(con: duckdb.DuckDBPyConnection, out: str | os.PathLike[str]) -> tuple[Path, int]:
    """Write the IATI 2.03 activity file to `out`; return (path, number of iati-activity elements)."""
    root = build(con)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(
        str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return path, len(root)


def export_iati_path(
    db: str | os.PathLike[str] | None, out: str | os.PathLike[str]
) -> tuple[Path, int]:
    """Open the published warehouse read-only, write its IATI file and check it against the
    IATI 2.03 XSD; return (path, activities). `out` is a file, or a folder (iurc-iati.xml in it).

    Raises ValueError naming the first schema errors when the file does not validate.
    """
    from pipelines.export.iati_schema import schema_errors

    target = Path(out)
    if target.suffix.lower() != ".xml":
        target = target / "iurc-iati.xml"
    con = dbmod.connect_readonly(db)
    try:
        path, count = write_iati(con, target)
    finally:
        con.close()
    errors = schema_errors(path)
    if errors:
        raise ValueError(
            "the IATI file does not validate against the 2.03 XSD: " + "; ".join(errors[:3])
        )
    return path, count
