"""Slide decks (issue 17): the plan from the source, the {slide} budget, and real decks.

Real builds run on a ``curriculum init`` project (English and Arabic): the trainer and the
participant HTML decks, the 16:9 PDF, and the HTML deck in Chromium with the network shut.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from curriculum.build import plan
from curriculum.model import Curriculum, load_curriculum
from curriculum.project import load_project
from curriculum.slides import BUDGET, chunk, measure_tokens, plan_deck, session_exercises
from curriculum.source import markdown_parser
from curriculum.sphinxconf import SLIDES_BUILDER

from .conftest import SAMPLE

# --- fast: the plan ---------------------------------------------------------------------------


def test_chapter_plan_counts_each_kind_of_slide() -> None:
    curriculum = load_curriculum(SAMPLE)
    deck = plan_deck(curriculum.chapters["writing-minutes"], curriculum.agenda, curriculum.parse)
    assert deck.outcomes == 2
    # across the coffee break and into the next day: no chapter comes between
    assert deck.exercises == ["draft-minutes", "read-aloud", "mock-meeting"]
    assert "Key points" not in deck.sections and "Sources" not in deck.sections
    assert deck.count == (1 + 1 + deck.content_slides + len(deck.key_points) + len(deck.sources) + len(deck.exercises))


def test_session_exercises_stop_at_the_next_chapter() -> None:
    curriculum = load_curriculum(SAMPLE)
    # a session (the guest speaker) does not end the chapter's run; the next chapter does
    assert session_exercises(curriculum.agenda, "taking-notes") == ["roles-quiz"]
    assert session_exercises(curriculum.agenda, "meeting-roles") == []


def test_key_points_are_split_within_the_budget() -> None:
    slides = chunk([25, 25, 25, 5, 5, 5, 5, 5, 5, 5, 5, 70])
    assert slides == [[0, 1], [2, 3, 4, 5, 6, 7, 8, 9], [10], [11]]  # 8 items, 60 words at most
    for indexes in slides[:-1]:
        assert len(indexes) <= BUDGET.lines


def test_measure_counts_words_lines_and_table_size() -> None:
    text = "Intro line.\n\n- one two\n- three\n\n| a | b |\n| - | - |\n| 1 | 2 |\n| 3 | 4 |\n"
    measured = measure_tokens(markdown_parser().parse(text))
    assert (measured.lines, measured.tables) == (3, [(6, 2, 2)])
    assert measured.words == 5  # table cells are not counted as words
    assert measured.problems() == []


def test_published_decks_are_the_trainers() -> None:
    project = load_project(SAMPLE)
    targets = plan(project, "all", "all", "slides")
    assert {t.edition for t in targets} == {"trainer"}
    assert targets[0].destination(SAMPLE) == SAMPLE / "_build" / "slides" / targets[0].lang
    assert [t.format for t in plan(project, "en", "participant", "all")] == ["html", "pdf", "slides"]


# --- slow: real decks ---------------------------------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=900)


def sphinx(course: Path, lang: str, edition: str, builder: str, out: Path) -> Path:
    """Build ``course`` with ``builder`` into ``out`` (doctrees beside it), as ``curriculum build`` runs Sphinx."""
    doctrees = out.with_name(f".doctrees-{out.name}")
    args = ("--lang", lang, "--edition", edition, "--builder", builder, "--doctrees", str(doctrees))
    result = run("curriculum.sphinxrun", *args, str(course), str(out), cwd=course)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Trainer and participant decks (English) and the trainer deck in Arabic of an init project."""
    base = tmp_path_factory.mktemp("slides")
    result = run("curriculum", "init", "course", "--languages", "en,ar", cwd=base)
    assert result.returncode == 0, result.stderr
    course = base / "course"
    built = {}
    for lang, edition in (("en", "trainer"), ("en", "participant"), ("ar", "trainer")):
        built[f"{lang}-{edition}"] = sphinx(course, lang, edition, SLIDES_BUILDER, base / f"{lang}-{edition}")
    built["course"] = course
    return built


def expected_slides(course: Path) -> int:
    curriculum = load_curriculum(course)
    return plan_deck(curriculum.chapters["introduction"], curriculum.agenda).count


@pytest.mark.slow
def test_pdf_is_16_9_with_one_page_per_planned_slide(decks: dict[str, Path]) -> None:
    from pypdf import PdfReader

    for lang in ("en", "ar"):
        reader = PdfReader(decks[f"{lang}-trainer"] / "_pdf" / f"introduction-{lang}.pdf")
        box = reader.pages[0].mediabox
        assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
        # title + outcomes + 2 sections + key points + sources + 1 exercise
        assert len(reader.pages) == expected_slides(decks["course"]) == 7


@pytest.mark.slow
def test_html_deck_has_one_section_per_planned_slide(decks: dict[str, Path]) -> None:
    html = (decks["en-trainer"] / "introduction.html").read_text(encoding="utf-8")
    assert html.count('<section class="deck-slide') == expected_slides(decks["course"])


@pytest.mark.slow
def test_speaker_notes_only_in_the_trainer_deck(decks: dict[str, Path]) -> None:
    trainer = (decks["en-trainer"] / "introduction.html").read_text(encoding="utf-8")
    participant = (decks["en-participant"] / "introduction.html").read_text(encoding="utf-8")
    note = "agree the ground rules"  # the chapter's trainer note
    assert '<aside class="notes">' in trainer and note in trainer
    assert "notes" not in participant.lower().replace("notes.js", "") or '<aside class="notes">' not in participant
    assert note not in participant and "aside" not in participant
    assert "RevealNotes" in trainer and "RevealNotes" not in participant
    from pypdf import PdfReader

    for form in ("en-trainer", "en-participant"):
        text = "".join(p.extract_text() for p in PdfReader(decks[form] / "_pdf" / "introduction-en.pdf").pages)
        assert note not in " ".join(text.split())  # the PDF never carries notes


@pytest.mark.slow
def test_arabic_deck_is_right_to_left(decks: dict[str, Path]) -> None:
    html = (decks["ar-trainer"] / "introduction.html").read_text(encoding="utf-8")
    head = html.split(">", 3)[:3]
    assert any('dir="rtl"' in part and 'lang="ar"' in part for part in head)
    assert '"rtl": true' in html


@pytest.mark.slow
def test_html_deck_loads_offline(decks: dict[str, Path], browser: Any) -> None:
    blocked: list[str] = []
    failed: list[str] = []
    errors: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:", "http://127.0.0.1", "http://localhost")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    for form in ("en-trainer", "ar-trainer"):
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.route("**/*", guard)
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((decks[form] / "introduction.html").as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        assert page.evaluate("Reveal.getTotalSlides()") == expected_slides(decks["course"])
        page.keyboard.press("ArrowRight" if form.startswith("en") else "ArrowLeft")
        assert page.evaluate("Reveal.getIndices().h") == 1
        assert page.evaluate("document.fonts.check('34px \"Noto Sans\"')")
        if form.startswith("ar"):  # the Arabic face is loaded, and the counter reads "2 / 7"
            assert page.evaluate("document.fonts.check('36px \"Noto Sans Arabic\"', 'ب')")
            assert page.evaluate("getComputedStyle(document.querySelector('.slide-number')).direction") == "ltr"
        page.close()
    assert (blocked, failed, errors) == ([], [], [])


# --- the fallback never drops what it shows ---------------------------------------------------


def test_fallback_continues_a_long_list_over_slides() -> None:
    curriculum = load_curriculum(SAMPLE)
    deck = plan_deck(curriculum.chapters["writing-minutes"], curriculum.agenda, curriculum.parse)
    order = next(s for s in deck.sections if s.title == "A typical order")
    shown = [i for page in order.pages for piece in page if piece.items for i in piece.items]
    assert shown == list(range(7)) and len(order.pages) == 4  # all 7 steps: lead + 1, then 2 + 2 + 2
    budget = next(s for s in deck.sections if s.title == "The reading budget")
    assert [b.title for b in budget.blocks] == ["Reading rates", "What fits into two minutes"]
    assert deck.count == 14


def assert_every_fallback_list_and_text_is_shown_whole(curriculum: Curriculum) -> None:
    from curriculum.slides import _section_pages, h2_sections, opening_blocks

    chapters = [chapter for chapter in curriculum.chapters.values() if chapter.learning_outcomes]
    assert chapters, "no chapter of the course to plan"
    for chapter in chapters:
        for title, tokens in h2_sections(chapter.tokens):
            _descend, pages = _section_pages(tokens)
            start = next((i + 1 for i, t in enumerate(tokens[:3]) if t.type == "heading_close"), 0)
            _down, blocks = opening_blocks(tokens[start:])
            pieces = [p for page in pages for p in page]
            for index in {p.block for p in pieces}:
                mine = [p for p in pieces if p.block == index]
                if blocks[index].kind == "list" and mine[0].items is not None:
                    assert [i for p in mine for i in p.items] == list(range(len(blocks[index].items))), title
                if mine[0].part is not None:
                    assert [p.part for p in mine] == [(k, len(mine)) for k in range(1, len(mine) + 1)], title


def test_every_fallback_list_and_text_is_shown_whole() -> None:
    assert_every_fallback_list_and_text_is_shown_whole(load_curriculum(SAMPLE))


def test_split_text_keeps_every_word() -> None:
    from curriculum.slides import split_text

    text = "One two three. Four five six seven. Eight nine. Ten eleven twelve thirteen fourteen."
    for parts in (1, 2, 3, 5, 8):
        pieces = split_text(text, parts)
        assert len(pieces) == parts
        assert " ".join(p for p in pieces if p).split() == text.split()
    arabic = "هذه جملة أولى. وهذه جملة ثانية؟ وهذه ثالثة."
    assert " ".join(split_text(arabic, 2)).split() == arabic.split()


@pytest.mark.slow
def test_arabic_deck_declares_and_ships_the_arabic_face(decks: dict[str, Path]) -> None:
    import re

    css = (decks["ar-trainer"] / "_static" / "curriculum-slides.css").read_text(encoding="utf-8")
    faces = re.findall(r'@font-face\s*\{[^}]*font-family:\s*"Noto Sans Arabic"[^}]*url\("([^"]+)"', css)
    assert faces, "no @font-face for Noto Sans Arabic"
    for url in faces:  # the files are shipped beside the deck's stylesheet
        assert (decks["ar-trainer"] / "_static" / url).is_file(), url
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", css)
    arabic = [selector for selector, body in rules if re.search(r'font-family:\s*"Noto Sans Arabic"', body)]
    assert any(":lang(ar)" in s for s in arabic) and any('[dir="rtl"]' in s for s in arabic)
    # reveal.js's own RTL rule (".reveal.rtl .slides h1 { font-family: sans-serif }") is overridden
    assert any('html[dir="rtl"] .reveal.rtl .slides h1' in s for s in arabic)
    assert any(".slide-number" in s and "direction: ltr" in body for s, body in rules)


@pytest.mark.slow
def test_participant_site_never_links_to_the_decks(tmp_path: Path) -> None:
    result = run("curriculum", "init", "course", "--languages", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    course = tmp_path / "course"
    pages = {}
    for edition in ("participant", "trainer"):
        pages[edition] = sphinx(course, "en", edition, "html", tmp_path / edition)
    participant = list(pages["participant"].rglob("*.html"))
    assert participant
    for page in participant:
        html = page.read_text(encoding="utf-8")
        assert "slides/" not in html and "slides-button" not in html, page
    chapter = pages["trainer"] / "handbook" / "introduction.html"
    assert 'href="../../../slides/en/introduction.html"' in chapter.read_text(encoding="utf-8")
