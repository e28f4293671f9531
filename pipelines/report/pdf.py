"""Print the report's HTML to PDF with WeasyPrint (pango from Debian; fonts from the system)."""

from __future__ import annotations

import logging


def html_to_pdf(html: str) -> bytes:
    """Return the PDF of a self-contained HTML document (title, language, author and description
    from its <html lang>, <title> and <meta>; bookmarks from its h1/h2; pages numbered by CSS)."""
    import weasyprint  # imported here: slow to import, and only the report needs it

    # WeasyPrint logs every unsupported CSS property at WARNING; the report's CSS is ours
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
    return pdf
