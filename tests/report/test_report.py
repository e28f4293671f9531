"""The periodic KPI report on the demo warehouse: the PDF in EN, FR and ES states every scorecard
value the metric layer gives, carries its title and language, and the HTML escapes data.

One PDF per language is built once (module scope) through the same function the command line
and the overview's "Download report" call; its text comes from Debian's `pdftotext`, its first
pages are rendered to PNG with `pdftoppm` under test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pypdf
import pytest
from typer.testing import CliRunner

from dashboard.i18n import LANGS, fmt_value, t
from dashboard.report import context, period_text, scope_from_filters, scope_line
from iurc.cli import app
from pipelines import queries
from pipelines.metrics.filters import FILTERS, Filters
from pipelines.report.gather import ReportData, gather
from pipelines.report.html import render_html
from pipelines.report.pdf import html_to_pdf
from pipelines.report.scope import ReportScope, ScopeError, parse_filter_options, parse_quarter
from pipelines.warehouse import db

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SCOPE = ReportScope(2025)
SPACES = str.maketrans({"\u202f": " ", "\xa0": " "})  # CLDR's narrow and no-break spaces


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run 'make browser' (apt-get install poppler-utils)")
    return found


@pytest.fixture(scope="module")
def con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = db.connect_readonly(demo_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def data(con: duckdb.DuckDBPyConnection) -> dict[str, ReportData]:
    """The report's figures per language."""
    return {lang: gather(con, SCOPE, lang) for lang in LANGS}


@pytest.fixture(scope="module")
def pdfs(data: dict[str, ReportData], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The 2025 programme report as a PDF file per language, built once."""
    folder = tmp_path_factory.mktemp("report")
    out = {}
    for lang in LANGS:
        html = render_html(context(data[lang], lang), lambda key, lang=lang, **v: t(key, lang, **v))
        out[lang] = folder / f"report-{lang}.pdf"
        out[lang].write_bytes(html_to_pdf(html))
    return out


def _text(pdf: Path) -> str:
    proc = subprocess.run(
        [_tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.translate(SPACES)


@pytest.mark.parametrize("lang", LANGS)
def test_report_pdf_states_every_scorecard_value_of_the_metric_layer(
    con: duckdb.DuckDBPyConnection, pdfs: dict[str, Path], lang: str
) -> None:
    text = _text(pdfs[lang])
    heading = t("report.scorecard", lang)
    # the scorecard section: from its heading (after the table of contents) to the next section
    start = text.index(heading, text.index(t("report.summary.new", lang)))
    section = text[start : text.index(t("report.networks", lang), start)]
    expected = queries.kpi_scorecard(con, SCOPE.filters(), lang=lang)
    expected = expected[expected["value"].notna()]
    assert len(expected) > 20
    lines = {line.split()[0]: line for line in section.splitlines() if line[:1] == "K"}
    for _, row in expected.iterrows():
        value = fmt_value(row["value"], row["unit"], lang).translate(SPACES)
        line = lines.get(row["indicator_id"], "")
        assert value in line, f"{lang} {row['indicator_id']}: {value!r} not in {line!r}"
        if row["rag"] in ("green", "amber", "red"):
            assert t(f"rag.{row['rag']}", lang) in line
    assert t("report.summary", lang) in text and t("report.definitions", lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_report_pdf_metadata_has_title_and_language(pdfs: dict[str, Path], lang: str) -> None:
    reader = pypdf.PdfReader(pdfs[lang])
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    # tagged PDF/UA-1: a structure tree with headings, figures with their alt text, MarkInfo
    assert bool(root["/MarkInfo"]["/Marked"])
    tree = root["/StructTreeRoot"]
    assert "/K" in tree and "/ParentTree" in tree
    assert reader.pdf_header == "%PDF-1.7"
    assert reader.metadata is not None
    assert reader.metadata.title == t(
        "report.title",
        lang,
        scope=t("report.scope.programme", lang),
        period=period_text(SCOPE, lang),
    )
    assert len(reader.outline) >= 8  # bookmarks from the section headings
    assert len(reader.pages) >= 10


def test_report_charts_are_vector_text_in_the_report_font(pdfs: dict[str, Path]) -> None:
    # the charts' SVG text is set in the body font: the PDF embeds DejaVu only (one family,
    # subsetted), and the chart labels stay text (vector), not pictures
    listing = subprocess.run(
        [_tool("pdffonts"), str(pdfs["en"])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = {line.split()[0].partition("+")[2] for line in listing}
    assert fonts and all(name.startswith("DejaVu-Sans") for name in fonts), fonts
    assert "Local government" in _text(pdfs["en"])  # a chart's axis label, as text


def test_report_pages_render_to_png(pdfs: dict[str, Path]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = SCREENSHOTS / "report-en"
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "5", str(pdfs["en"]), str(prefix)],
        check=True,
    )
    pages = sorted(SCREENSHOTS.glob("report-en-*.png"))
    assert len(pages) >= 5 and all(p.stat().st_size > 5_000 for p in pages)


def test_report_html_shows_data_as_text_never_markup(data: dict[str, ReportData]) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    report = dataclasses.replace(data["en"], city_name=hostile)
    ctx = {**context(report, "en"), "benchmark": [{"title": hostile, "rows": []}]}
    html = render_html(ctx, lambda key, **v: t(key, "en", **v))
    assert hostile not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_report_outputs_line_writes_label_and_value_in_the_languages_form(
    data: dict[str, ReportData],
) -> None:
    """The outputs section lists each output KPI as 'label: value' in English and 'label :
    value' in French (a space before the colon), from the scorecard's rows."""
    for lang, colon in (("en", ": "), ("fr", " : ")):
        summary = context(data[lang], lang)["outputs"]["summary"]
        k12 = data[lang].scorecard.set_index("indicator_id").loc["K12"]
        value = fmt_value(k12["value"], k12["unit"], lang)
        assert f"{k12['label']}{colon}{value}" in summary


def test_report_scope_parses_quarters_and_refuses_bad_ones() -> None:
    q3 = ReportScope(2025, quarter=parse_quarter("Q3"))
    assert (q3.start.isoformat(), q3.end.isoformat()) == ("2025-07-01", "2025-09-30")
    assert ReportScope(2025, quarter=1).previous() == ReportScope(2024, quarter=4)
    assert ReportScope(2025).previous() == ReportScope(2024)
    with pytest.raises(ScopeError, match="quarter must be"):
        parse_quarter("Q5")
    with pytest.raises(ScopeError, match="year"):
        ReportScope(25)


def test_report_honours_every_declared_filter_and_names_it_on_the_cover(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Each declared filter narrows the figures as the metric layer does, and the cover names it;
    the overview's filters become the same scope; an unknown code is refused."""
    codes = Filters(region=("EU",), challenge=("digital_transition_smart_city",))
    scope = ReportScope(2025, codes=codes)
    assert scope.filters() == dataclasses.replace(codes, start=SCOPE.start, end=SCOPE.end)
    data = gather(con, scope, "fr")
    expected = queries.kpi_scorecard(con, scope.filters(), lang="fr")
    expected = expected[expected["value"].notna()].reset_index(drop=True)
    assert data.scorecard["value"].tolist() == expected["value"].tolist()
    whole = queries.kpi_scorecard(con, SCOPE.filters(), lang="fr").set_index("indicator_id")
    assert data.scorecard.set_index("indicator_id").loc["K04", "value"] < whole.loc["K04", "value"]
    assert scope_line(data, "fr") == (
        f"{t('report.scope.programme', 'fr')}; {t('filters.region', 'fr')} : Europe; "
        f"{t('filters.challenge', 'fr')} : Transition numérique et ville intelligente"
    )
    every = Filters(
        start=SCOPE.start, end=SCOPE.end, **{f.name: ("x",) for f in FILTERS}
    )  # every declared filter travels from the dashboard to the report
    assert scope_from_filters(every, None).filters() == every
    assert parse_filter_options(["region=EU", "challenge=digital_transition_smart_city"]) == codes
    with pytest.raises(ScopeError, match="--filter must be"):
        parse_filter_options(["planet=mars"])
    with pytest.raises(ScopeError, match="unknown subtheme nope"):
        gather(con, ReportScope(2025, codes=Filters(subtheme=("nope",))), "en")


def test_cli_report_writes_a_city_quarter_html_and_refuses_an_unknown_network(
    demo_db: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    base = ["report", "--db", str(demo_db), "--period", "2025"]
    out = tmp_path / "turin.html"
    done = runner.invoke(
        app, [*base, "--quarter", "Q3", "--city", "turin-it", "--format", "html", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Turin" in html and "Q3 2025" in html
    bad = runner.invoke(app, [*base, "--network", "nope", "--out", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2
    assert "unknown network 'nope'" in bad.output and "Traceback" not in bad.output
