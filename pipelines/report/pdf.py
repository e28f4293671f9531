"""Print the report's HTML to PDF with WeasyPrint (pango from Debian; fonts from the system).

The PDF is tagged for accessibility as PDF/UA-1 (WeasyPrint's `pdf/ua-1` variant: a structure
tree from the HTML's headings, lists, tables and images with their alt text, MarkInfo, the
document language and title shown in the window's title bar).
"""

from __future__ import annotations

import contextlib
import logging
import threading

PDF_VARIANT = "pdf/ua-1"  # tagged PDF 1.7 (StructTreeRoot, MarkInfo), see weasyprint.pdf.pdfua

_preloading: threading.Thread | None = None
_preload_lock = threading.Lock()


def _import_weasyprint() -> None:
    # a failure is left to html_to_pdf's own import, which raises it where it is handled
    with contextlib.suppress(Exception):
        import weasyprint  # noqa: F401  (the import is the work: cffi bindings, CSS tables)


def preload() -> None:
    """Start importing WeasyPrint (a few CPU seconds in a fresh process) in a background thread
    and return at once (None). A caller that then waits on I/O (DuckDB, the charts' browser) gets
    the import done meanwhile; `html_to_pdf` waits for it if it is still under way.
    """
    global _preloading
    with _preload_lock:
        if _preloading is None:
            _preloading = threading.Thread(
                target=_import_weasyprint, name="weasyprint-import", daemon=True
            )
            _preloading.start()


def html_to_pdf(html: str) -> bytes:
    """Return the tagged (PDF/UA-1) PDF of a self-contained HTML document (title, language, author
    and description from its <html lang>, <title> and <meta>; bookmarks from its h1/h2; pages
    numbered by CSS)."""
    if _preloading is not None:
        _preloading.join()  # a half-done import in another thread: let it finish first
    import weasyprint  # imported here: slow to import, and only the report needs it

    # WeasyPrint logs every unsupported CSS property at WARNING; the report's CSS is ours
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
