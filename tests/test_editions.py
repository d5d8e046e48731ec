"""Editions on the sample curriculum: nothing trainer-only leaks into participant outputs.

The trainer-only sentences come from the model (trainer sections of exercises and
``{trainer-note}`` blocks of chapters) and from the trainer pages; the same sentences must all be in the
trainer's handbook, which proves the search can find them.
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sphinx.search.en import SearchEnglish

from curriculum.model import TRAINER_SECTIONS, Curriculum, load_curriculum, parse_time
from curriculum.source import inline_text, markdown_parser

from .conftest import SAMPLE, SLUG

#: Real builds: the slow tier (`make test`, not `make test-fast`).
pytestmark = pytest.mark.slow

SENTENCE = re.compile(r"(?<=[.!?])\s+")


def normalise(text: str) -> str:
    """Whitespace, quotes and dashes as Sphinx's smart quotes and PDF extraction leave them."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("—", "-").replace("–", "-").replace("…", "...").replace("\u00ad", "")
    # pdftotext joins words broken at a line-end hyphen ("capacity-\nbuilding" -> "capacitybuilding")
    return re.sub(r"(\w)- ?(\w)", r"\1\2", " ".join(text.split()))


def sentences(tokens) -> list[str]:
    found = []
    for token in tokens:
        if token.type != "inline" or any(
            c.type.startswith("myst_role") or c.type == "myst_role" for c in token.children or []
        ):
            continue
        for sentence in SENTENCE.split(normalise(inline_text(token))):
            if len(sentence.split()) >= 6:
                found.append(sentence)
    return found


def inlines(tokens, trainer: bool = False):
    """``(inline token, is trainer-only)`` pairs, descending into directive bodies."""
    for token in tokens:
        if token.type == "inline":
            yield token, trainer
        elif token.type in {"fence", "colon_fence"} and token.info.strip().startswith("{"):
            note = token.info.strip().startswith("{trainer-note}")
            yield from inlines(markdown_parser().parse(token.content), trainer or note)


def trainer_only(curriculum: Curriculum) -> list[str]:
    """Sentences that appear only in trainer material."""
    found: list[tuple[object, bool]] = []
    for exercise in curriculum.exercises.values():
        for section in exercise.sections:
            found += inlines(section.tokens, section.title in TRAINER_SECTIONS)
    for chapter in curriculum.chapters.values():
        found += inlines(chapter.tokens)
    for page in sorted((curriculum.root / "handbook" / "trainer").glob("*.md")):  # trainer pages
        found += inlines(markdown_parser().parse(page.read_text(encoding="utf-8")), True)
    public = " ".join(normalise(inline_text(t)) for t, trainer in found if not trainer)
    return [s for s in sentences([t for t, trainer in found if trainer]) if s not in public]


@pytest.fixture(scope="module")
def secret() -> list[str]:
    found = trainer_only(load_curriculum(SAMPLE))
    assert len(found) > 30, "the trainer material was not found"
    assert any("trainers only" in s for s in found), "the trainer page was not read"
    return found


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in {"script", "style"}

    def handle_endtag(self, tag):
        self.skip -= tag in {"script", "style"}

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(path: Path, raw: bool = False) -> str:
    parser = Text()
    parser.feed(path.read_text(encoding="utf-8"))
    text = " ".join(parser.parts)
    return text if raw else normalise(text)


def pdf_text(path: Path) -> str:
    """The text of the page bodies: running heads and "Page X of Y" (in the margins) left out,
    and the page numbers printed after cross-references ("(p. 12)") dropped."""
    body = ["-x", "0", "-y", "55", "-W", "595", "-H", "727"]
    text = subprocess.run(["pdftotext", *body, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return normalise(re.sub(r" ?\(p\. \d+\)", "", text))


def leaks(text: str, secret: list[str]) -> list[str]:
    return [s for s in secret if s in text]


def test_participant_site_has_no_trainer_sentence(built_sample: Path, secret: list[str]) -> None:
    pages = list((built_sample / "_build" / "html" / "en").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert not leaks(html_text(page), secret), page


def test_participant_search_index_holds_only_what_the_pages_show(built_sample: Path) -> None:
    """Every indexed word is on a participant page (which the test above keeps clean)."""
    site = built_sample / "_build" / "html" / "en"
    raw = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    stem = SearchEnglish({}).stem
    words = {w.lower() for page in site.rglob("*.html") for w in re.findall(r"\w+", html_text(page, raw=True))}
    shown = words | {stem(w) for w in words}
    unseen = sorted(t for t in index["terms"] if t.lower() not in shown and stem(t.lower()) not in shown)
    assert len(index["terms"]) > 200 and not unseen, unseen[:20]
    assert not any(t in index["alltitles"] for t in TRAINER_SECTIONS)


def test_participant_pdfs_and_handouts_have_no_trainer_sentence(built_sample: Path, secret: list[str]) -> None:
    folder = built_sample / "_build" / "pdf"
    pdfs = [folder / f"{SLUG}-participant-en.pdf", *sorted((folder / "handouts").glob("*-en.pdf"))]
    assert len(pdfs) == 1 + len(load_curriculum(SAMPLE).exercises)
    for pdf in pdfs:
        assert not leaks(pdf_text(pdf), secret), pdf.name


def test_trainer_handbook_contains_every_trainer_sentence(built_sample: Path, secret: list[str]) -> None:
    text = pdf_text(built_sample / "_build" / "pdf" / f"{SLUG}-trainer-en.pdf")
    missing = [s for s in secret if s not in text]
    assert not missing, missing[:5]


def test_trainer_site_shows_trainer_sections(built_sample: Path) -> None:
    page = built_sample / "_build" / "html-trainer" / "en" / "exercises" / "read-aloud.html"
    text = html_text(page)
    for title in TRAINER_SECTIONS:
        assert title in text


def test_every_exercise_has_a_handout_with_its_timing(built_sample: Path) -> None:
    curriculum = load_curriculum(SAMPLE)
    for exercise in curriculum.exercises.values():
        handout = built_sample / "_build" / "pdf" / "handouts" / f"{exercise.exercise_id}-en.pdf"
        text = pdf_text(handout)
        assert normalise(exercise.title.title) in text
        assert f"{exercise.duration} minutes" in text
        if exercise.type == "drafting":
            assert "Notes" in text


def agenda_rows(built_sample: Path) -> list[tuple[str, str, str]]:
    page = (built_sample / "_build" / "html" / "en" / "handbook" / "agenda.html").read_text(encoding="utf-8")
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S):
        cells = [normalise(re.sub(r"<[^>]+>", " ", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        if len(cells) >= 3:
            rows.append((cells[0], cells[1], cells[2]))
    return rows


def test_agenda_times_follow_from_the_durations(built_sample: Path) -> None:
    curriculum = load_curriculum(SAMPLE)
    rows = agenda_rows(built_sample)
    items = [item for day in curriculum.agenda.days for item in day.items]
    assert len(rows) == len(items)
    days = iter(curriculum.agenda.days)
    day = next(days)
    clock = day.start
    remaining = len(day.items)
    for (time, _session, duration), item in zip(rows, items, strict=False):
        if remaining == 0:
            day = next(days)
            clock, remaining = day.start, len(day.items)
        assert parse_time(time) == clock
        minutes = int(duration.split()[0])
        if item.kind == "exercise":
            assert minutes == curriculum.exercise_by_id()[item.ref].duration
        clock += minutes
        remaining -= 1
        assert clock <= day.end


def test_coverage_matrix_lists_every_outcome(built_sample: Path) -> None:
    curriculum = load_curriculum(SAMPLE)
    trainer = html_text(built_sample / "_build" / "html-trainer" / "en" / "handbook" / "agenda.html")
    participant = html_text(built_sample / "_build" / "html" / "en" / "handbook" / "agenda.html")
    for outcome in curriculum.learning_outcomes.values():
        assert normalise(f"{outcome.id} {outcome.text}") in trainer
        assert normalise(f"{outcome.id} {outcome.text}") not in participant
