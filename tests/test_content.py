"""The migration-dialogues curriculum's own content: the one test module that reads it.

The builder's behaviour is tested on the sample curriculum (``tests/curricula/sample``); here
the real curriculum is held to the same contracts where they are about its content: it
passes the strict check and builds, its Arabic terminology, titles and workbook are
translated, its agenda adds up, its slides and quiz read as planned, and the authoring guide
(one of its trainer pages) passes the checker. Removing this curriculum breaks only this module
(``test_tests_use_the_sample`` keeps it so).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from curriculum.model import load_chapter, load_curriculum
from curriculum.project import load_project
from curriculum.rules import check_curriculum, load_config
from curriculum.slides import plan_deck

from .conftest import ROOT
from .test_activities import assert_agenda_adds_up, assert_no_lecture_block_of_seventy_minutes
from .test_arabic import assert_every_chapter_title_is_translated, english_lines, pdf_text
from .test_authoring import schema_errors
from .test_guide import GUIDE, finding_lines
from .test_slides import assert_every_fallback_list_and_text_is_shown_whole

AR = ROOT / "locales" / "ar"
SLUG = "migration-dialogues"


def test_the_curriculum_is_described_in_its_settings() -> None:
    project = load_project(ROOT)
    assert project.languages == ("en", "ar") and project.slug == SLUG
    assert project.words_per_minute("ar") < project.words_per_minute("en") == 100


def test_the_curriculum_passes_the_strict_check() -> None:
    """No finding at all, warnings included (``curriculum check --strict``)."""
    curriculum = load_curriculum(ROOT)
    assert curriculum.chapters and curriculum.exercises and curriculum.agenda is not None
    assert finding_lines(check_curriculum(curriculum, load_config(ROOT))) == []


def test_every_document_matches_the_schemas() -> None:
    assert schema_errors(load_curriculum(ROOT)) == []


def test_glossary_headwords_are_the_termbase_preferred_forms() -> None:
    terms = {term["en"]: term["approved"][0] for term in yaml.safe_load((AR / "terms.yml").read_text())["terms"]}
    glossary = read_po((AR / "LC_MESSAGES" / "handbook" / "glossary.po").open("rb"))
    headwords = {m.id: m.string for m in glossary if m.id in terms}
    assert len(headwords) >= 10
    assert {english: arabic for english, arabic in headwords.items() if arabic != terms[english]} == {}


def test_every_chapter_title_is_translated() -> None:
    assert_every_chapter_title_is_translated(ROOT)


def test_the_agenda_adds_up() -> None:
    assert_agenda_adds_up(load_curriculum(ROOT, cached=False))


def test_no_lecture_block_of_seventy_minutes() -> None:
    assert_no_lecture_block_of_seventy_minutes(load_curriculum(ROOT, cached=False))


def test_the_statements_deck_is_planned_as_written() -> None:
    curriculum = load_curriculum(ROOT)
    deck = plan_deck(curriculum.chapters["statements"], curriculum.agenda, curriculum.parse)
    assert deck.outcomes == 2
    assert deck.exercises == ["drafting-a-statement", "three-minute-statement"]  # across the lunch break
    structure = next(s for s in deck.sections if s.title == "A typical structure")
    shown = [i for page in structure.pages for piece in page if piece.items for i in piece.items]
    assert shown == list(range(7)) and len(structure.pages) == 3  # all 7 steps, 2 + 2 + 3
    budget = next(s for s in deck.sections if s.title == "The word budget")
    assert [b.title for b in budget.blocks] == ["Speaking rates from the sources", "What fits into three minutes"]
    assert deck.count == 21


def test_every_fallback_list_and_text_is_shown_whole() -> None:
    assert_every_fallback_list_and_text_is_shown_whole(load_curriculum(ROOT))


def test_the_quiz_on_the_three_dialogues_is_data() -> None:
    items = load_curriculum(ROOT, cached=False).exercises["three-dialogues-quiz"].quiz_items
    assert len(items) == 10
    assert items[0].question.startswith("In which city")
    assert items[0].short_answer == "Rome, 28 November 2014."


def test_the_authoring_guide_passes_the_checker_as_a_page_of_the_handbook() -> None:
    """Links, terms, headings, placeholders and safety rules hold for the guide itself.

    ``curriculum check`` reads ``handbook/*.md``, not ``handbook/trainer/``, so the guide is
    added to this curriculum as one more chapter (its examples name this curriculum's pages
    and terms) and only its own findings count.
    """
    curriculum = load_curriculum(ROOT)
    curriculum.chapters["trainer-authoring"] = load_chapter(GUIDE)
    findings = [f for f in check_curriculum(curriculum, load_config(ROOT)) if (ROOT / f.path) == GUIDE]
    assert finding_lines(findings) == []


@pytest.mark.slow
def test_the_curriculum_builds_and_its_arabic_workbook_is_arabic(tmp_path: Path) -> None:
    """Every output in both languages; names, acronyms and addresses may stay in Latin letters."""
    from curriculum.build import copy_sources

    project = copy_sources(ROOT, tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-m", "curriculum", "build"], cwd=project, capture_output=True, text=True, timeout=1800
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = english_lines(pdf_text(project / "_build" / "pdf" / f"{SLUG}-participant-ar.pdf"))
    assert len(lines) <= 5, lines
