"""The trainer's kit: generated from the curriculum, per language, A4, tagged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum.kit import KINDS, copies, load_participants
from curriculum.model import load_curriculum

from .conftest import SAMPLE, SLUG, copy_sample


def test_quiz_items_are_data() -> None:
    curriculum = load_curriculum(SAMPLE, cached=False)
    quiz = curriculum.exercises["roles-quiz"]
    items = quiz.quiz_items
    assert len(items) == 4
    assert items[0].question == "Who opens the meeting and gives the floor?"
    assert items[0].short_answer == "The Chair."


def test_copies_follow_the_grouping() -> None:
    assert copies("individual", 20, 5) == (20, "participant")
    assert copies("pairs", 21, 5) == (11, "pair")
    assert copies("small-groups", 21, 5) == (5, "group")
    assert copies("plenary", 21, 5) == (1, "room")


def test_participants_csv(tmp_path: Path) -> None:
    assert load_participants(tmp_path) == []
    (tmp_path / "participants.csv").write_text("Name,Institution\nAmina,MFA\n,\nOmar,Institute\n", encoding="utf-8")
    assert load_participants(tmp_path) == ["Amina", "Omar"]


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_kit_comes_from_the_curriculum(tmp_path: Path) -> None:
    """Change a learning outcome and a quiz answer in a copy: both reach the kit, in both languages."""
    import pikepdf

    project = copy_sample(tmp_path / "project")
    chapter = project / "handbook" / "meeting-roles.md"
    text = chapter.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith("  ") and ":" in line)
    key = first.split(":")[0]
    chapter.write_text(text.replace(first, f"{key}: Recite the zebra crossing principle of meetings"), encoding="utf-8")
    quiz = project / "exercises" / "roles-quiz.md"
    quiz.write_text(
        quiz.read_text(encoding="utf-8").replace("1. **The Chair.**", "1. **Quokka Island.**"), encoding="utf-8"
    )
    (project / "participants.csv").write_text("name\nAmina Example\nOmar Example\n", encoding="utf-8")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for lang in ("en", "ar"):
        result = subprocess.run(
            [sys.executable, "-m", "curriculum", "build", "--lang", lang, "--edition", "trainer", "--format", "pdf"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    kit = project / "_build" / "pdf" / "kit"
    for lang in ("en", "ar"):
        for kind in KINDS:
            path = kit / f"{SLUG}-{kind}-{lang}.pdf"
            assert path.is_file(), path
            with pikepdf.open(path) as pdf:
                box = [round(float(v)) for v in pdf.pages[0].mediabox]
                assert box[2:] == [595, 842], (path.name, box)  # A4 in points
                assert str(pdf.Root.Lang) == lang, path.name
                assert "/StructTreeRoot" in pdf.Root, path.name
                assert str(pdf.open_metadata().get("dc:title", "")), path.name
    assert "zebra crossing principle" in pdftext(kit / f"{SLUG}-evaluation-en.pdf")
    assert "Quokka Island" in pdftext(kit / f"{SLUG}-answer-key-en.pdf")
    assert "Quokka Island" not in pdftext(kit / f"{SLUG}-pre-test-en.pdf")
    certificates = pdftext(kit / f"{SLUG}-certificates-en.pdf")
    assert "Amina Example" in certificates and "Omar Example" in certificates
    # the trainer signs on a date of their own, beside the signature; the course's dates are above
    assert certificates.count("Signature of the trainer") == certificates.count("Date:") == 2
    # the Arabic kit has Arabic interface strings; untranslated content falls back to English
    with pikepdf.open(kit / f"{SLUG}-answer-key-ar.pdf") as pdf:
        assert "مفتاح الإجابات" in str(pdf.open_metadata().get("dc:title", ""))
    assert "Quokka Island" in pdftext(kit / f"{SLUG}-answer-key-ar.pdf")


@pytest.mark.slow
def test_meeting_pack_reaches_the_handbook_and_the_handout(built_sample: Path) -> None:
    """The sample built: the pack's participant parts in the handout, the model minutes trainer-only."""
    handout = built_sample / "_build" / "pdf" / "handouts" / "mock-meeting-en.pdf"
    trainer = built_sample / "_build" / "pdf" / f"{SLUG}-trainer-en.pdf"
    participant = pdftext(handout)
    for part in ("Meeting agenda", "Role cards", "Minutes template", "three offers for the projector"):
        assert part.lower() in participant.lower().replace("’", "'"), part
    assert "A model set of minutes" not in participant
    assert "Larger and smaller groups" not in participant
    handbook = pdftext(trainer).replace("’", "'")
    assert "A model set of minutes" in handbook and "Larger and smaller groups" in handbook


def test_the_interface_catalogues_are_written_in_their_languages() -> None:
    """The builder's own strings (covers, the kit, labels) for each language it ships: every one
    translated, and in that language's script. The French catalogue had 42 of its strings in
    Arabic: a French team's certificates and tests would have come out in Arabic."""
    import re

    from babel.messages.pofile import read_po

    from curriculum.paths import INTERFACE_LOCALE_DIR

    arabic = re.compile(r"[\u0600-\u06ff]")
    letters = re.compile(r"[^\W\d_]")
    placeholders = re.compile(r"%(\(\w+\))?[ds]|\b(participants\.csv|participants|group_size)\b")
    for path in sorted(INTERFACE_LOCALE_DIR.glob("*/LC_MESSAGES/curriculum.po")):
        language = path.parts[-3]
        with path.open("rb") as file:
            catalogue = read_po(file)
        for message in catalogue:
            if not message.id:
                continue
            text = str(message.string)
            assert text, f"{language}: {message.id!r} is not translated"
            words = placeholders.sub("", text)
            if language == "ar":
                assert not letters.search(words) or arabic.search(words), f"ar: {message.id!r} -> {text!r}"
            else:
                assert not arabic.search(text), f"{language}: {message.id!r} -> {text!r}"
