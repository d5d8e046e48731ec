"""The Typst writer's handling of English words inside Arabic text."""

from __future__ import annotations

from docutils import nodes

from curriculum.sphinxext.parser import make_document
from curriculum.typst.writer import TypstTranslator, english_runs


def runs(text: str) -> list[str]:
    return [text[start:end] for start, end in english_runs(text)]


def test_brackets_around_english_words_stay_in_the_arabic_text() -> None:
    """A closing bracket inside the left-to-right run and its opening one outside it came out
    as "((EUROMED Migration" in the Arabic handbook."""
    assert runs("يوروميد للهجرة (EUROMED Migration) أو") == ["EUROMED Migration"]
    assert runs("المركز الدولي (ICMPD). وقد") == ["ICMPD"]
    assert runs("يوروميد للهجرة (EUROMED Migration V) ومشروع") == ["EUROMED Migration V"]
    # brackets opened and closed within the English stay with it
    assert runs("برنامج (Mediterranean City-to-City Migration (MC2CM)) في") == [
        "Mediterranean City-to-City Migration (MC2CM)"
    ]
    assert runs("حوار MTM (commission.ge) هنا") == ["MTM (commission.ge)"]


def test_arabic_text_writes_english_runs_with_their_brackets_outside() -> None:
    document = make_document()
    paragraph = nodes.paragraph("", "", nodes.Text("يوروميد للهجرة (EUROMED Migration) أو غيره"))
    document.append(paragraph)
    translator = TypstTranslator(document, language="ar")
    assert translator.render(paragraph) == r"يوروميد للهجرة \(#en[EUROMED Migration]\) أو غيره"
