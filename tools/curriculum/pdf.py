"""Print HTML to PDF with WeasyPrint: A4, tagged (PDF/UA-1), with shipped fonts only."""

from __future__ import annotations

import os
from pathlib import Path

STYLESHEET = Path(__file__).parent / "static" / "print.css"


def write_pdf(html_path: Path, pdf_path: Path) -> int:
    """Render ``html_path`` to ``pdf_path`` (written whole or not at all); returns the page count."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheets = [CSS(filename=str(STYLESHEET), font_config=fonts)]
    document = HTML(filename=str(html_path)).render(stylesheets=stylesheets, font_config=fonts)
    partial = pdf_path.with_name(pdf_path.name + ".part")
    document.write_pdf(partial, pdf_variant="pdf/ua-1", pdf_identifier=pdf_path.stem.encode())
    os.replace(partial, pdf_path)
    return len(document.pages)
