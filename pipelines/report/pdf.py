"""Print the report's HTML to PDF with WeasyPrint (pango from Debian; fonts from the system).

The PDF is tagged for accessibility as PDF/UA-1 (WeasyPrint's `pdf/ua-1` variant: a structure
tree from the HTML's headings, lists, tables and images with their alt text, MarkInfo, the
document language and title shown in the window's title bar).
"""

from __future__ import annotations

import logging

PDF_VARIANT = "pdf/ua-1"  # tagged PDF 1.7 (StructTreeRoot, MarkInfo), see weasyprint.pdf.pdfua


def html_to_pdf(html: str) -> bytes:
    """Return the tagged (PDF/UA-1) PDF of a self-contained HTML document (title, language, author
    and description from its <html lang>, <title> and <meta>; bookmarks from its h1/h2; pages
    numbered by CSS)."""
    import weasyprint  # imported here: slow to import, and only the report needs it

    # WeasyPrint logs every unsupported CSS property at WARNING; the report's CSS is ours
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
