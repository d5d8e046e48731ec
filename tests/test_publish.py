"""Publishing outputs: sites replace the old tree whole, PDFs are laid out only when their inputs change."""

from __future__ import annotations

import os
from pathlib import Path

from curriculum.build import replace_tree
from curriculum.typst import PdfWriter


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_site_is_published_whole_and_unchanged_files_are_not_copied(tmp_path: Path) -> None:
    built, site = tmp_path / "work", tmp_path / "site"
    write(built / "index.html", "<p>start</p>")
    page = write(built / "chapter" / "one.html", "<p>one</p>")
    replace_tree(built, site)
    before = (site / "index.html").stat().st_ino
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**9))
    page.write_text("<p>one, edited</p>", encoding="utf-8")  # Sphinx rewrites a page in place

    replace_tree(built, site)

    assert (site / "chapter" / "one.html").read_text(encoding="utf-8") == "<p>one, edited</p>"
    assert (site / "index.html").stat().st_ino == before, "an unchanged page was copied again"
    for published in site.rglob("*.html"):  # a page the next build rewrites in place is never shared
        assert published.stat().st_ino != (built / published.relative_to(site)).stat().st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "work"], "a temporary tree was left behind"


def test_a_pdf_is_laid_out_again_only_when_its_inputs_change(tmp_path: Path) -> None:
    write(tmp_path / "look.typ", "#let body-size = 11pt\n")
    source = write(
        tmp_path / "notes.typ",
        '#import "look.typ": *\n#set document(title: "Notes")\n#set text(lang: "en", size: body-size)\nHello.\n',
    )
    pdf = tmp_path / "notes.pdf"
    written: list[Path] = []

    PdfWriter(tmp_path, written.append, jobs=[(source, pdf, {})]).wait()
    first = pdf.stat().st_mtime_ns
    PdfWriter(tmp_path, written.append, jobs=[(source, pdf, {})]).wait()
    assert pdf.stat().st_mtime_ns == first, "an unchanged PDF was laid out again"

    write(tmp_path / "look.typ", "#let body-size = 12pt\n")  # the template it imports changed
    PdfWriter(tmp_path, written.append, jobs=[(source, pdf, {})]).wait()
    assert pdf.stat().st_mtime_ns != first
    assert written == [pdf, pdf, pdf]


def test_a_footnote_marker_link_is_described_in_words(tmp_path: Path) -> None:
    """Typst gives a footnote marker's link the bare number as /Contents; PDF/UA wants words."""
    import pikepdf

    source = write(
        tmp_path / "note.typ",
        '#set document(title: "Note")\n#set text(lang: "fr")\nUn fait#footnote[Une source.] établi.\n',
    )
    pdf = tmp_path / "note.pdf"
    PdfWriter(tmp_path, footnote="Note de bas de page", jobs=[(source, pdf, {})]).wait()
    with pikepdf.open(pdf) as document:
        described = [
            str(annotation.get("/Contents", ""))
            for page in document.pages
            for annotation in page.obj.get("/Annots", [])
            if str(annotation.get("/Subtype")) == "/Link"
        ]
    assert "Note de bas de page 1" in described, described
    assert not [text for text in described if text.strip().isdigit()], described
