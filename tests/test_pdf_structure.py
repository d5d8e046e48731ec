"""The PDFs' tag structure, checked independently of the tool that wrote them (tests/pdfstructure.py).

Every PDF of a build, in English and Arabic (both books and handouts): no untagged content,
page furniture as artifacts, links under /Link with descriptive /Contents, an /IDTree when
elements have ids, LI with LBody, no empty elements, English passages in Arabic PDFs with /Lang en.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from curriculum.typst.writer import escape

from .conftest import SLUG, copy_sample, run_curriculum
from .pdfstructure import check, summary


@pytest.fixture(scope="module")
def pdf_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_sample(tmp_path_factory.mktemp("structure"))
    for lang in ("en", "ar"):
        result = run_curriculum(project, "build", "--lang", lang, "--format", "pdf")
        assert result.returncode == 0, result.stdout + result.stderr
    return project / "_build" / "pdf"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_pdf_has_a_sound_structure(pdf_folder: Path, lang: str) -> None:
    pdfs = [pdf_folder / f"{SLUG}-{edition}-{lang}.pdf" for edition in ("trainer", "participant")]
    pdfs += sorted((pdf_folder / "handouts").glob(f"*-{lang}.pdf"))
    assert len(pdfs) > 3
    found = {}
    for pdf in pdfs:
        problems = check(pdf)
        if any(problems.values()):
            found[pdf.name] = {name: items[:3] for name, items in problems.items() if items}
    assert not found, found


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_books_keep_their_small_objects_in_compressed_streams(pdf_folder: Path, lang: str) -> None:
    """The tags are thousands of small objects: in object streams a book is half the size."""
    import pikepdf

    for edition in ("trainer", "participant"):
        with pikepdf.open(pdf_folder / f"{SLUG}-{edition}-{lang}.pdf") as pdf:
            streams = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Type") == "/ObjStm"]
            assert streams, f"{edition}-{lang}: no object streams"


def test_structure_check_finds_problems_in_a_bad_pdf(tmp_path: Path) -> None:
    """The check is not vacuous: a link with a bare URL as its text is reported."""
    import typst

    source = tmp_path / "bad.typ"
    source.write_text(
        '#set document(title: "Bad")\n#set text(lang: "en")\n= Title\n#link("https://example.org")\n', encoding="utf-8"
    )
    typst.compile(
        str(source),
        output=str(tmp_path / "bad.pdf"),
        pdf_standards=["ua-1"],
        font_paths=[str(Path(__file__).parent.parent / "tools" / "curriculum" / "fonts")],
        ignore_system_fonts=True,
    )
    assert summary(check(tmp_path / "bad.pdf"))["link-contents"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "a * b _c_ `d` #e $f$",
        "<label> @ref [x] \\ y",
        "// not a comment /* */",
        "- not a list",
        "1. not a list",
        "= not a heading",
        "https://x.org",
        "~ -- ... 'q' \"q\"",
    ],
)
def test_escape_shows_the_text_as_it_is(tmp_path: Path, text: str) -> None:
    import subprocess

    import typst

    source = tmp_path / "e.typ"
    source.write_text('#set text(font: "Noto Serif")\n' + escape(text) + "\n", encoding="utf-8")
    typst.compile(
        str(source),
        output=str(tmp_path / "e.pdf"),
        font_paths=[str(Path(__file__).parent.parent / "tools" / "curriculum" / "fonts")],
        ignore_system_fonts=True,
    )
    shown = subprocess.run(
        ["pdftotext", str(tmp_path / "e.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert " ".join(shown.split()) == text
