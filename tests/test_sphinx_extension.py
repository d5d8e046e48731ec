"""The Sphinx extension, on a small project, with Sphinx's own test fixtures."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

TRAINER_MARKERS = ("TRAINER-ONLY-CHAPTER-NOTE", "TRAINER-ONLY-NOTES", "TRAINER-ONLY-MODEL", "TRAINER-ONLY-DEBRIEF")


def pages(app: SphinxTestApp) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in app.outdir.rglob("*.html"))


@pytest.mark.sphinx("html", testroot="editions", confoverrides={"curriculum_edition": "participant"})
def test_participant_edition_removes_trainer_material(app: SphinxTestApp) -> None:
    app.build()
    assert not app.warning.getvalue().strip(), app.warning.getvalue()
    html = pages(app)
    assert "Practise speaking within a limit." in html
    for marker in TRAINER_MARKERS:
        assert marker not in html
    index = (app.outdir / "searchindex.js").read_text(encoding="utf-8")
    assert "watch" not in index and "clock" not in index


@pytest.mark.sphinx("html", testroot="editions", confoverrides={"curriculum_edition": "trainer"})
def test_trainer_edition_shows_trainer_material_in_labelled_boxes(app: SphinxTestApp) -> None:
    app.build()
    html = pages(app)
    for marker in TRAINER_MARKERS:
        assert marker in html
    exercise = (app.outdir / "exercises" / "short-statement.html").read_text(encoding="utf-8")
    assert 'class="trainer-section' in exercise or "trainer-section" in exercise
    assert "trainer-note" in (app.outdir / "handbook" / "statements.html").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="editions")
def test_exercise_summary_links_objectives_to_learning_outcomes(app: SphinxTestApp) -> None:
    app.build()
    exercise = (app.outdir / "exercises" / "short-statement.html").read_text(encoding="utf-8")
    assert "30 minutes" in exercise and "2 minutes" in exercise
    assert 'href="../handbook/statements.html#outcome-statements-1"' in exercise
    assert "Deliver a statement within a time limit" in exercise


@pytest.mark.sphinx("handbook-pdf", testroot="editions", confoverrides={"curriculum_edition": "participant"})
def test_pdf_builder_writes_the_book_and_a_handout_per_exercise(app: SphinxTestApp) -> None:
    app.build()
    assert (app.outdir / "handbook-participant-en.pdf").is_file()
    assert (app.outdir / "handouts" / "short-statement-en.pdf").is_file()
    book = (app.outdir / "handbook-participant-en.typ").read_text(encoding="utf-8")  # the Typst source
    assert "<handbook--statements--outcome-statements-1>" in book  # ids made unique across the book
    for marker in TRAINER_MARKERS:
        assert marker not in book


@pytest.mark.sphinx("html", testroot="safety")
def test_build_strips_raw_html_and_refuses_raw_and_includes(app: SphinxTestApp) -> None:
    app.build()
    page = (app.outdir / "handbook" / "index.html").read_text(encoding="utf-8")
    assert "Before the script." in page and "After the script." in page
    assert "INJECTED-SCRIPT" not in page and "INJECTED-RAW-DIRECTIVE" not in page
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip()
    assert not hostname or hostname not in page.split("After the script.")[0].split("Before the script.")[1]
    warnings = app.warning.getvalue()
    assert "raw" in warnings and "include" in warnings  # both directives are refused, loudly


class Balance(HTMLParser):
    """Elements opened and never closed (or closed and never opened) in a page."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    OPTIONAL = {"p", "li", "dt", "dd", "tr", "td", "th", "option", "html", "head", "body", "tbody", "thead"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.feed(html)
        self.errors += [f"unclosed <{tag}>" for tag in self.open if tag not in self.OPTIONAL]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if tag not in self.open:
            self.errors.append(f"</{tag}> without <{tag}>")
            return
        while self.open:
            top = self.open.pop()
            if top == tag:
                break
            if top not in self.OPTIONAL:
                self.errors.append(f"unclosed <{top}> inside <{tag}>")


@pytest.mark.sphinx(
    "html",
    testroot="figures",
    confoverrides={"curriculum_edition": "trainer", "curriculum_languages": ["en", "ar", "fr"]},
)
def test_figures_and_our_templates_are_well_formed(app: SphinxTestApp) -> None:
    app.build()
    html = (Path(app.outdir) / "handbook" / "index.html").read_text(encoding="utf-8")
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert Balance("<main" + body + "</main>").errors == []
    figures = body.split("<figure")[1:]
    assert len(figures) == 2 and all("</figcaption>" in f.split("</figure>")[0] for f in figures)
    assert "Milestones" in figures[0] and 'aria-label="Timeline of 2 events, 2001 to 2006"' in body
    switch = html.split('<nav class="language-switch"', 1)[1].split("</nav>", 1)[0]
    assert Balance('<nav class="language-switch"' + switch + "</nav>").errors == []
    assert "<details" in switch and switch.count("hreflang=") == 2  # more than two languages: a menu
    assert "Trainer edition" in html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "trainer-edition-badge" in html


@pytest.mark.sphinx("html", testroot="editions", freshenv=True)
def test_one_markdown_parser_serves_every_document(app: SphinxTestApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sphinx parses each document, and in a translated build each message, on its own; the
    Markdown parser is made once per configuration, not once per parse (sphinxext/parser.py)."""
    from myst_parser.parsers import sphinx_

    from curriculum.sphinxext import parser

    made: list[object] = []
    original = parser.create_md_parser

    def counting(*args: object, **kwargs: object) -> object:
        made.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(parser, "create_md_parser", counting)
    monkeypatch.setattr(sphinx_, "create_md_parser", counting)  # MyST-Parser's own: one per document
    monkeypatch.setattr(parser.CurriculumMystParser, "_parsers", [])
    app.build()
    assert len(app.env.all_docs) >= 3
    assert len(made) == 1, f"{len(made)} Markdown parsers made for {len(app.env.all_docs)} documents"
    assert "Learning outcomes" in pages(app)
