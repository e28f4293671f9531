"""Pure functions DataFrame -> plotly Figure (and the text summary read to screen readers).

Never imports dash. Every function takes `lang` for titles, axis labels and number format
(`layout.separators`), and returns `empty_figure` with the reason when the frame is empty.
Colours: the Okabe–Ito palette (readable with every common colour-vision deficiency), except the
SDG goals, which keep their official UN colours and are always labelled with their number.

Generic builders (`bar`, `stacked_bar`, `heatmap`, `city_map`) take column names, so other pages
can reuse them; `summary_*` functions return one or two plain sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import PLOTLY_SEPARATORS, fmt_number, fmt_percent, normalise_lang, t

OKABE_ITO: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)
REGION_COLOURS = {"EU": "#0072B2", "NA": "#D55E00"}
REGION_SYMBOLS = {"EU": "circle", "NA": "diamond"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def base_layout(fig: go.Figure, lang: str, *, legend_title: str | None = None) -> go.Figure:
    """Apply the shared look: font, margins, number separators of `lang`, horizontal legend."""
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT, "size": 13, "color": "#1f2328"},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        separators=PLOTLY_SEPARATORS[normalise_lang(lang)],
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0,
                "title": {"text": legend_title} if legend_title else None},
        colorway=list(OKABE_ITO),
        hoverlabel={"font": {"family": FONT}},
    )
    return fig


def empty_figure(lang: str, key: str = "card.empty_hint") -> go.Figure:
    """Return a figure with no axes and a message saying why there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(text=t(key, lang), showarrow=False, x=0.5, y=0.5, xref="paper",
                       yref="paper", font={"size": 15, "color": "#4a5560"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, lang)


def bar(df: pd.DataFrame, x: str, y: str, lang: str, *, x_title: str = "", y_title: str = "",
        horizontal: bool = False, colour: str = OKABE_ITO[0], text: bool = True) -> go.Figure:
    """Return a single-series bar chart of `y` by `x` (horizontal bars: categories on the y axis)."""
    if df.empty:
        return empty_figure(lang)
    cats, vals = df[x].astype(str), df[y]
    labels = [fmt_number(v, lang, 0 if float(v).is_integer() else 1) for v in vals] if text else None
    trace = go.Bar(
        x=vals if horizontal else cats, y=cats if horizontal else vals,
        orientation="h" if horizontal else "v", marker_color=colour, text=labels,
        textposition="auto", cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>" if horizontal else "%{x}: %{y}<extra></extra>",
    )
    fig = go.Figure(trace)
    fig.update_xaxes(title_text=y_title if horizontal else x_title)
    fig.update_yaxes(title_text=x_title if horizontal else y_title)
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)
    return base_layout(fig, lang)


def stacked_bar(df: pd.DataFrame, x: str, y: str, group: str, lang: str, *, x_title: str = "",
                y_title: str = "", legend_title: str = "", horizontal: bool = False,
                colours: dict[str, str] | None = None, percent: bool = False) -> go.Figure:
    """Return bars of `y` by `x`, stacked by `group` (one Okabe–Ito colour per group, in order)."""
    if df.empty:
        return empty_figure(lang)
    fig = go.Figure()
    groups = list(dict.fromkeys(df[group].astype(str)))
    for i, name in enumerate(groups):
        part = df[df[group].astype(str) == name]
        cats, vals = part[x].astype(str), part[y]
        fig.add_trace(go.Bar(
            name=name, x=vals if horizontal else cats, y=cats if horizontal else vals,
            orientation="h" if horizontal else "v",
            marker_color=(colours or {}).get(name, OKABE_ITO[i % len(OKABE_ITO)]),
            hovertemplate=f"{name}<br>%{{{'y' if horizontal else 'x'}}}: "
                          f"%{{{'x' if horizontal else 'y'}}}<extra></extra>",
        ))
    fig.update_layout(barmode="relative" if not percent else "stack")
    fig.update_xaxes(title_text=y_title if horizontal else x_title, type="category" if not horizontal else None)
    fig.update_yaxes(title_text=x_title if horizontal else y_title)
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    if percent:
        (fig.update_xaxes if horizontal else fig.update_yaxes)(ticksuffix="%" if lang == "en" else " %")
    return base_layout(fig, lang, legend_title=legend_title)


def heatmap(df: pd.DataFrame, row: str, col: str, value: str, lang: str, *, row_title: str = "",
            col_title: str = "", value_title: str = "") -> go.Figure:
    """Return a heatmap of `value` (rows × columns) in a single-hue blue scale with values written."""
    if df.empty:
        return empty_figure(lang)
    grid = df.pivot_table(index=row, columns=col, values=value, aggfunc="sum", sort=False).fillna(0)
    text = [[fmt_number(v, lang, 0 if float(v).is_integer() else 1) for v in r] for r in grid.values]
    fig = go.Figure(go.Heatmap(
        z=grid.values, x=[str(c) for c in grid.columns], y=[str(r) for r in grid.index],
        colorscale=[[0, "#f7fbff"], [0.5, "#6baed6"], [1, "#08306b"]],
        text=text, texttemplate="%{text}", colorbar={"title": {"text": value_title}},
        hovertemplate="%{y} × %{x}: %{z}<extra></extra>", xgap=1, ygap=1,
    ))
    fig.update_xaxes(title_text=col_title, type="category", side="bottom")
    fig.update_yaxes(title_text=row_title, type="category", autorange="reversed", automargin=True)
    return base_layout(fig, lang)


def city_map(df: pd.DataFrame, lang: str, *, name: str = "name", lat: str = "lat",
             lon: str = "lon", region: str = "region", size: str | None = None) -> go.Figure:
    """Return a world map (local Natural Earth base map) of cities, one trace per region.

    Regions differ by colour *and* marker shape, so the map does not rely on colour alone.
    """
    if df.empty:
        return empty_figure(lang)
    fig = go.Figure()
    max_size = float(df[size].max()) if size and not df[size].empty else 0.0
    for code in ("EU", "NA"):
        part = df[df[region] == code]
        if part.empty:
            continue
        sizes = (8 + 22 * (part[size] / max_size) ** 0.5) if size and max_size else 10
        fig.add_trace(go.Scattergeo(
            lat=part[lat], lon=part[lon], text=part[name].astype(str),
            name=t(f"region.{code}", lang), mode="markers",
            marker={"size": sizes, "color": REGION_COLOURS[code], "symbol": REGION_SYMBOLS[code],
                    "line": {"width": 1, "color": "#ffffff"}, "opacity": 0.85},
            customdata=part[size] if size else None,
            hovertemplate="%{text}" + ("<br>%{customdata:,}" if size else "") + "<extra></extra>",
        ))
    fig.update_geos(scope="world", projection_type="natural earth", showcountries=True,
                    countrycolor="#b9c2cc", showland=True, landcolor="#eef1f4",
                    showocean=True, oceancolor="#ffffff", lakecolor="#ffffff",
                    fitbounds="locations", resolution=110, showframe=False)
    return base_layout(fig, lang)


def sdg_profile(df: pd.DataFrame, lang: str, *, goal: str = "goal", label: str = "label",
                colour: str = "colour_hex", value: str = "value", value_title: str = "") -> go.Figure:
    """Return horizontal bars per SDG goal in the official UN colours, labelled 'n · title'."""
    if df.empty:
        return empty_figure(lang)
    cats = [f"{int(g)} · {lbl}" for g, lbl in zip(df[goal], df[label])]
    fig = go.Figure(go.Bar(
        x=df[value], y=cats, orientation="h", marker_color=list(df[colour]),
        text=[fmt_number(v, lang, 0 if float(v).is_integer() else 1) for v in df[value]],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{x}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    fig.update_xaxes(title_text=value_title)
    return base_layout(fig, lang)


def sparkline(values: Sequence[float], colour: str = OKABE_ITO[0]) -> go.Figure:
    """Return a tiny line (no axes) for a KPI card's trend."""
    fig = go.Figure(go.Scatter(y=list(values), mode="lines+markers", line={"color": colour, "width": 2},
                               marker={"size": 4}, hoverinfo="skip"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(margin={"l": 2, "r": 2, "t": 2, "b": 2}, template="plotly_white",
                      showlegend=False, height=48)
    return fig


# ------------------------------------------------------------------ text summaries
def summary_total_and_top(df: pd.DataFrame, label: str, value: str, title: str, lang: str) -> str:
    """Return 'Title: N in total. Largest: X with n.' for a breakdown."""
    if df.empty:
        return t("card.empty_hint", lang)
    totals = df.groupby(label, sort=False)[value].sum()
    top = totals.idxmax()
    return " ".join([
        t("sum.total", lang, title=title, total=fmt_number(totals.sum(), lang)),
        t("sum.largest", lang, label=str(top), value=fmt_number(totals[top], lang)),
    ])


def summary_series(df: pd.DataFrame, period: str, value: str, title: str, lang: str) -> str:
    """Return the total, the first and last period and the peak of a time series."""
    if df.empty:
        return t("card.empty_hint", lang)
    by = df.groupby(period, sort=True)[value].sum()
    return " ".join([
        t("sum.total", lang, title=title, total=fmt_number(by.sum(), lang)),
        t("sum.range", lang, first=str(by.index[0]), last=str(by.index[-1]),
          peak=str(by.idxmax()), value=fmt_number(by.max(), lang)),
    ])


def summary_shares(df: pd.DataFrame, label: str, value: str, lang: str) -> str:
    """Return each category's share of the total as one sentence per category."""
    if df.empty:
        return t("card.empty_hint", lang)
    totals = df.groupby(label, sort=False)[value].sum()
    whole = totals.sum()
    if not whole:
        return t("card.empty_hint", lang)
    return " ".join(t("sum.share", lang, label=str(k), pct=fmt_percent(100 * v / whole, lang))
                    for k, v in totals.items())


def summary_heatmap(df: pd.DataFrame, row: str, col: str, value: str, lang: str) -> str:
    """Return the strongest cell of a heatmap."""
    if df.empty:
        return t("card.empty_hint", lang)
    best = df.loc[df[value].idxmax()]
    return t("sum.heatmap", lang, row=str(best[row]), col=str(best[col]),
             value=fmt_number(best[value], lang, 0 if float(best[value]).is_integer() else 1))
