"""Timed activities as data: the model reads them, the checker adds up each chapter's slot
and each day, and the sample's agenda passes (``test_content`` holds the real agenda to the same)."""

from __future__ import annotations

import shutil
from pathlib import Path

from curriculum.model import Curriculum, find_activities, load_curriculum, markdown_parser
from curriculum.rules import Config, check_curriculum

from .conftest import SAMPLE
from .test_rules import BROKEN, VALID, located


def project(tmp_path: Path, case: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(VALID, root)
    shutil.copytree(BROKEN / case, root, dirs_exist_ok=True)
    return root


def test_model_reads_activities_with_title_minutes_and_line() -> None:
    text = (
        "# Chapter\n\n::::{trainer-note}\nSome advice.\n\n:::{activity} Nested one\n:minutes: 5\n\nSteps.\n:::\n::::\n\n"
        ":::{activity} Top level\n:minutes: 12\n\n1. Step\n:::\n\n:::{activity} No time\nSteps.\n:::\n"
    )
    found = find_activities(markdown_parser().parse(text))
    assert [(a.title, a.minutes, a.line) for a in found] == [
        ("Nested one", 5, 6),
        ("Top level", 12, 13),
        ("No time", None, 19),
    ]


def test_overfull_slot_is_found_at_the_activity_that_overflows(tmp_path: Path) -> None:
    root = project(tmp_path, "AG012-activities-exceed-slot")
    findings = check_curriculum(load_curriculum(root, cached=False))
    assert located(findings) == ["handbook/intro.md:32:1: AG012"]
    assert "35 minutes, over its 30-minute slot" in findings[0].message
    assert "by 5" in findings[0].message


def test_with_the_rule_disabled_the_overfull_slot_passes(tmp_path: Path) -> None:
    """The fixture fails because of AG012, and only because of it."""
    root = project(tmp_path, "AG012-activities-exceed-slot")
    findings = check_curriculum(load_curriculum(root, cached=False), Config(ignore=("AG012",)))
    assert findings == []


def assert_agenda_adds_up(curriculum: Curriculum) -> None:
    """No agenda finding; each day's items fill it exactly and close it; activities fit their slots."""
    findings = [f for f in check_curriculum(curriculum) if f.code.startswith("AG")]
    assert findings == []
    agenda = curriculum.agenda
    assert agenda is not None
    for day in agenda.days:
        assert day.start is not None and day.end is not None
        assert day.start + sum(item.minutes or 0 for item in day.items) == day.end, day.title
        assert any(item.closing for item in day.items), day.title
    slots: dict[str, int] = {}
    for day in agenda.days:
        for item in day.items:
            if item.kind == "chapter":
                slots[item.ref] = slots.get(item.ref, 0) + (item.minutes or 0)
    for chapter in curriculum.chapters.values():
        if chapter.activities:
            assert chapter.id in slots, chapter.id
            assert sum(a.minutes or 0 for a in chapter.activities) <= slots[chapter.id], chapter.id


def assert_no_lecture_block_of_seventy_minutes(curriculum: Curriculum) -> None:
    """Chapters (presentations) one after another never run 70 minutes without an exercise or activity."""
    assert curriculum.agenda is not None
    for day in curriculum.agenda.days:
        run = 0
        for item in day.items:
            chapter = curriculum.chapters.get(item.ref) if item.kind == "chapter" else None
            if chapter is not None:
                talk = (item.minutes or 0) - sum(a.minutes or 0 for a in chapter.activities)
                run = run + talk if not chapter.activities else talk
            else:
                run = 0
            assert run < 70, (day.title, item.ref)


def test_sample_agenda_adds_up() -> None:
    curriculum = load_curriculum(SAMPLE, cached=False)
    assert any(chapter.activities for chapter in curriculum.chapters.values())
    assert_agenda_adds_up(curriculum)


def test_sample_has_no_lecture_block_of_seventy_minutes() -> None:
    assert_no_lecture_block_of_seventy_minutes(load_curriculum(SAMPLE, cached=False))
