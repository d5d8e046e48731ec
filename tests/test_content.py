"""The migration-dialogues curriculum's own content: its Arabic terminology and glossary."""

from __future__ import annotations

from pathlib import Path

import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
AR = ROOT / "locales" / "ar"


def test_glossary_headwords_are_the_termbase_preferred_forms() -> None:
    terms = {term["en"]: term["approved"][0] for term in yaml.safe_load((AR / "terms.yml").read_text())["terms"]}
    glossary = read_po((AR / "LC_MESSAGES" / "handbook" / "glossary.po").open("rb"))
    headwords = {m.id: m.string for m in glossary if m.id in terms}
    assert len(headwords) >= 10
    assert {english: arabic for english, arabic in headwords.items() if arabic != terms[english]} == {}
