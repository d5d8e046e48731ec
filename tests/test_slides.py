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
from curriculum.model import load_curriculum
from curriculum.project import load_project
from curriculum.slides import BUDGET, chunk, measure_tokens, plan_deck, session_exercises
from curriculum.source import markdown_parser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


# --- fast: the plan ---------------------------------------------------------------------------

def test_real_chapter_plan_counts_each_kind_of_slide() -> None:
    curriculum = load_curriculum(ROOT)
    deck = plan_deck(curriculum.chapters["statements"], curriculum.agenda, curriculum.parse)
    assert deck.outcomes == 2
    assert deck.exercises == ["drafting-a-statement", "three-minute-statement"]  # across the lunch break
    assert "Key points" not in deck.sections and "Sources" not in deck.sections
    assert deck.count == (1 + 1 + deck.content_slides + len(deck.key_points) + len(deck.sources)
                          + len(deck.exercises))


def test_session_exercises_stop_at_the_next_chapter() -> None:
    curriculum = load_curriculum(ROOT)
    # a session (the guest speaker) does not end the chapter's run; the next chapter does
    assert session_exercises(curriculum.agenda, "how-dialogues-work") == ["dialogue-structures"]
    assert session_exercises(curriculum.agenda, "khartoum-process") == []


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
    project = load_project(ROOT)
    targets = plan(project, "all", "all", "slides")
    assert {t.edition for t in targets} == {"trainer"}
    assert targets[0].destination(ROOT) == ROOT / "_build" / "slides" / targets[0].lang
    assert [t.format for t in plan(project, "en", "participant", "all")] == ["html", "pdf", "slides"]


# --- slow: real decks ---------------------------------------------------------------------------

def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Trainer and participant decks (English) and the trainer deck in Arabic of an init project."""
    base = tmp_path_factory.mktemp("slides")
    result = run("curriculum", "init", "course", "--languages", "en,ar", cwd=base)
    assert result.returncode == 0, result.stderr
    course = base / "course"
    built = {}
    for lang, edition in (("en", "trainer"), ("en", "participant"), ("ar", "trainer")):
        out = base / f"{lang}-{edition}"
        result = run("curriculum.sphinxrun", "--lang", lang, "--edition", edition, "--builder", "curriculum-slides",
                     "--doctrees", str(base / f".doctrees-{lang}-{edition}"), str(course), str(out), cwd=course)
        assert result.returncode == 0, result.stderr[-3000:]
        built[f"{lang}-{edition}"] = out
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
def test_html_deck_loads_offline(decks: dict[str, Path]) -> None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the Python package playwright is missing: `pip install -e '.[test]'`", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium`", pytrace=False)
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

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
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
                page.close()
        finally:
            browser.close()
    assert (blocked, failed, errors) == ([], [], [])
