"""The Arabic edition: right-to-left site and PDFs, language switch, catalogues."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from curriculum.model import load_curriculum
from curriculum.project import load_project

from .conftest import SAMPLE, SLUG, copy_sample, run_curriculum

#: Real builds: the slow tier (`make test`, not `make test-fast`).
pytestmark = pytest.mark.slow

CATALOGUES = SAMPLE / "locales" / "ar" / "LC_MESSAGES"


@pytest.fixture(scope="session")
def arabic_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample curriculum built in English (participant site) and in Arabic (everything)."""
    project = copy_sample(tmp_path_factory.mktemp("arabic"))
    for args in (("--lang", "en", "--edition", "participant", "--format", "html"), ("--lang", "ar")):
        result = run_curriculum(project, "build", *args)
        assert result.returncode == 0, result.stdout + result.stderr
    return project


def arabic_titles(root: Path = SAMPLE) -> dict[str, str]:
    """Each chapter's Arabic title, from its catalogue."""
    titles = {}
    for chapter in load_curriculum(root).chapters.values():
        path = root / "locales" / "ar" / "LC_MESSAGES" / "handbook" / f"{chapter.id}.po"
        if chapter.title and path.exists():
            catalog = read_po(path.open("rb"))
            message = catalog.get(chapter.title.title)
            if message is not None and message.string:
                titles[chapter.id] = message.string
    return titles


def assert_every_chapter_title_is_translated(root: Path) -> None:
    chapters = [c for c in load_curriculum(root).chapters.values() if c.learning_outcomes]
    assert chapters and set(arabic_titles(root)) >= {c.id for c in chapters}


def test_every_chapter_title_is_translated() -> None:
    assert_every_chapter_title_is_translated(SAMPLE)


def site_pages(site: Path) -> list[Path]:
    """The pages of a built site (not the theme's template fragments under ``_static``, nor the
    start-page redirect ``index.html``)."""
    return [p for p in site.rglob("*.html") if "_static" not in p.parts and p != site / "index.html"]


def test_arabic_pages_are_right_to_left(arabic_project: Path) -> None:
    pages = site_pages(arabic_project / "_build" / "html" / "ar")
    assert len(pages) > 10
    for page in pages:
        head = page.read_text(encoding="utf-8")[:600]
        assert re.search(r'<html[^>]*\bdir="rtl"', head), page
        assert re.search(r'<html[^>]*\blang="ar"', head), page


def test_every_page_links_to_its_twin_and_back(arabic_project: Path) -> None:
    sites = {lang: arabic_project / "_build" / "html" / lang for lang in ("en", "ar")}
    for lang, other in (("en", "ar"), ("ar", "en")):
        pages = site_pages(sites[lang])
        assert pages
        for page in pages:
            relative = page.relative_to(sites[lang]).as_posix()
            html = page.read_text(encoding="utf-8")
            switch = re.search(r'<nav class="language-switch"[^>]*>(.*?)</nav>', html, flags=re.S)
            assert switch, f"{lang}/{relative} has no language switch"
            links = re.findall(r'href="([^"]+)"[^>]*hreflang="' + other + '"', switch[1])
            assert links, f"{lang}/{relative} does not link to {other}"
            target = (page.parent / links[0]).resolve()
            assert target == (sites[other] / relative).resolve() and target.is_file(), links[0]


def test_untranslated_paragraphs_are_marked_english(tmp_path: Path) -> None:
    """A new Arabic catalogue translates nothing: every paragraph is marked English, left to right."""
    result = subprocess.run(
        [sys.executable, "-m", "curriculum", "init", "course", "--languages", "en,ar"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    course = tmp_path / "course"
    result = run_curriculum(course, "build", "--lang", "ar", "--edition", "participant", "--format", "html")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (course / "_build" / "html" / "ar" / "handbook" / "introduction.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="[^"]*untranslated[^"]*" lang="en">', page)


def test_translated_pages_are_not_marked_english(arabic_project: Path) -> None:
    translated = (arabic_project / "_build" / "html" / "ar" / "handbook" / "writing-minutes.html").read_text(
        encoding="utf-8"
    )
    body = translated[translated.index("<article") :]
    assert body.count('lang="en"') < 10


def test_an_untranslated_paragraph_of_a_translated_page_is_marked_english(arabic_project: Path) -> None:
    """The sample leaves one paragraph of ``taking-notes`` untranslated: it keeps its language."""
    page = (arabic_project / "_build" / "html" / "ar" / "handbook" / "taking-notes.html").read_text(encoding="utf-8")
    marked = re.search(r'<p class="[^"]*untranslated[^"]*" lang="en">\s*This sentence is left untranslated', page)
    assert marked, 'the untranslated paragraph is not marked lang="en"'
    assert "يبدأ المحضر الجيد بملاحظات جيدة" in page  # the rest of the page is translated


@pytest.mark.parametrize("edition", ["trainer", "participant"])
def test_arabic_pdfs_are_a4_tagged_arabic(arabic_project: Path, edition: str) -> None:
    pdf = arabic_project / "_build" / "pdf" / f"{SLUG}-{edition}-ar.pdf"
    reader = PdfReader(pdf)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "ar"
    assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((595.28, 841.89), abs=0.5)
    name = book_setting({"trainer": "Trainer's handbook", "participant": "Participant workbook"}[edition])
    assert name in reader.metadata.title


def book_setting(english: str) -> str:
    """The Arabic of a book setting (title, edition name) from ``sphinx.po``."""
    message = read_po((CATALOGUES / "sphinx.po").open("rb")).get(english)
    assert message is not None and message.string, english
    return message.string


#: Arabic marks (tashkil). Typst's text layer repeats a letter carrying a mark (shadda) as a
#: separate fragment; comparing without marks and one-letter fragments reads through that.
MARKS = re.compile("[\u064b-\u065f\u0670]")


#: The lam-alef ligature: its ToUnicode entry is right (lam, alef; pypdf reads it so), but
#: pdftotext writes the two letters in visual order in some runs (the cover, contents captions:
#: "الاجتماعات" comes out "االجتماعات"). Both sides are compared with the ligature in that order.
LAM_ALEF = ("\u0644\u0627", "\u0627\u0644")


def plain(text: str) -> str:
    text = MARKS.sub("", re.sub("[\u202a-\u202e\u2066-\u2069\u2060]", "", text))  # bidi controls, marks
    text = text.replace(*LAM_ALEF)
    return " ".join(word for word in text.split() if len(word) > 1 or not re.match("[\u0600-\u06ff]", word))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_arabic_pdf_text_has_the_chapter_titles_in_logical_order(arabic_project: Path) -> None:
    flat = plain(pdf_text(arabic_project / "_build" / "pdf" / f"{SLUG}-trainer-ar.pdf"))
    for chapter, title in arabic_titles().items():
        assert plain(title) in flat, f"{chapter}: {title!r} not in the PDF text"
    assert plain(book_setting(load_project(SAMPLE).title)) in flat  # the translated cover


def english_lines(text: str) -> list[str]:
    """Lines with three or more English words and no Arabic, other than web addresses."""
    found = []
    for line in re.sub("[\u202a-\u202e\u2066-\u2069\u2060]", "", text).splitlines():
        if re.search("[\u0600-\u06ff]", line) or re.search(r"https?:|www\.|[a-z]-[a-z]+-[a-z]", line):
            continue
        if len(re.findall(r"(?<![\w/.-])[A-Za-z][a-z]{2,}(?![\w/-])", line)) >= 3:
            found.append(line.strip())
    return found


def test_the_arabic_workbook_has_no_english_page(arabic_project: Path) -> None:
    """Names, acronyms and addresses may stay in Latin letters; sentences may not."""
    lines = english_lines(pdf_text(arabic_project / "_build" / "pdf" / f"{SLUG}-participant-ar.pdf"))
    assert len(lines) <= 5, lines


def test_every_exercise_has_an_arabic_handout(arabic_project: Path) -> None:
    for exercise in load_curriculum(SAMPLE).exercises.values():
        assert (arabic_project / "_build" / "pdf" / "handouts" / f"{exercise.exercise_id}-ar.pdf").is_file()


def test_translate_status_counts_match_the_catalogues(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "curriculum", "translate", "status", "--format", "json"],
        cwd=copy_sample(tmp_path / "sample"),
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    for document in report["documents"]:
        catalog = read_po((CATALOGUES / f"{document['document']}.po").open("rb"))
        messages = [m for m in catalog if m.id]
        assert document["translated"] == sum(1 for m in messages if m.string and not m.fuzzy)
        assert document["fuzzy"] == sum(1 for m in messages if m.string and m.fuzzy)
        assert document["total"] == len(messages)
    assert report["translated"] == sum(d["translated"] for d in report["documents"])
    assert 0 < report["percent"] < 100
