"""Fill the report's Jinja2 templates (pipelines/report/templates/) into one HTML document.

Autoescape is on for every template: data (city names, file names, labels) is always text,
never markup. Charts arrive as SVG bytes and are embedded as `data:` images, so their content is
never parsed as part of the HTML. The stylesheet is inlined: the HTML is one self-contained file.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"
MAIN_TEMPLATE = "report.html.j2"


@cache
def environment() -> jinja2.Environment:
    """Return the templates' environment: autoescaped, strict about undefined names."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def svg_data_uri(svg: bytes) -> str:
    """Return an SVG image as a `data:image/svg+xml;base64,...` URI (an <img> source)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render_html(context: Mapping[str, object], text: Callable[..., str]) -> str:
    """Return the report as one HTML document from `context`, headings worded by `text(key)`.

    `text` is the interface-string lookup of the caller's language (`t` bound to it).
    """
    template = environment().get_template(MAIN_TEMPLATE)
    return template.render(**context, t=text)
