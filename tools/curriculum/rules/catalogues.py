"""PO: translations keep what makes the handbook work: roles, targets and links.

Translated messages are parsed again as MyST, so a translation that drops a
``{term}`` role, changes a ``{ref}`` target or a link's URL breaks the Arabic
page silently. Display text may change; what a role or link points to may not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from .context import Context
from .registry import Finding, check, family, rule

family("PO", "Translation catalogues")

#: ``{role}`text <target>``` or ``{role}`target```.
ROLE = re.compile(r"\{([\w:.-]+)\}`([^`]*)`")
#: Roles whose content names a target; for the rest only the role itself must survive.
TARGETED = frozenset({"term", "doc", "ref", "numref", "download", "any", "std:term", "std:ref", "std:doc"})
#: A Markdown link's destination: ``](url)``.
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
#: A MyST target line: ``(label)=``.
TARGET = re.compile(r"^\(([^()\s]+)\)=\s*$", re.MULTILINE)

MALFORMED = rule(
    "PO001", "malformed-catalogue", "error",
    "A translation catalogue (`.po` file) cannot be read.",
    """
    Sphinx skips a catalogue it cannot read, and the whole document falls back to English.

    **Fix:** correct the `.po` syntax at the line given (unbalanced quotes, a `msgstr`
    without `msgid`), or run `curriculum translate update` to rewrite the file.
    """,
)
MARKUP_CHANGED = rule(
    "PO002", "translation-changes-markup", "error",
    "A translation drops or changes a role, a target or a link URL of its message.",
    """
    Translated text is parsed again as MyST. Roles such as ``{term}`Steering Committee` ``
    must keep their target, and links their URL, or the Arabic page loses the link or
    the build fails.

    **Fix:** keep the role and its target, translating only the text shown:
    ``{term}`اللجنة التوجيهية <Steering Committee>` ``; copy link URLs unchanged:
    `[نص](https://example.org/page)`.
    """,
)
FUZZY = rule(
    "PO003", "fuzzy-translation", "warning",
    "A translation is marked fuzzy: the English changed since it was translated.",
    """
    Sphinx ignores fuzzy translations, so readers see the English text.

    **Fix:** check the translation against the new English, update it, and remove the
    `#, fuzzy` line above it.
    """,
)


def markup(text: str) -> Counter[str]:
    """What must survive translation: roles with their targets, link URLs, target labels."""
    found: Counter[str] = Counter()
    for role, content in ROLE.findall(text):
        if role in TARGETED:
            explicit = re.search(r"<([^<>]+)>\s*$", content)
            found[f"{{{role}}}`{(explicit[1] if explicit else content).strip()}`"] += 1
        else:
            found[f"{{{role}}}"] += 1
    found.update(f"]({url})" for url in LINK.findall(text))
    found.update(f"({label})=" for label in TARGET.findall(text))
    return found


@check
def catalogues(context: Context) -> Iterator[Finding]:
    for catalogue in context.curriculum.catalogues:
        for problem in catalogue.problems:
            if problem.kind == "catalogue":
                yield MALFORMED.at(catalogue.path, (problem.line, problem.column), problem.message)
        for message in catalogue.messages:
            if not message.string:
                continue
            if message.fuzzy:
                yield FUZZY.at(catalogue.path, (message.line, 1), f"fuzzy translation of '{message.id[:50]}'")
                continue
            expected, actual = markup(message.id), markup(message.string)
            if expected != actual:
                lost = ", ".join(sorted((expected - actual).elements())) or "nothing"
                added = ", ".join(sorted((actual - expected).elements())) or "nothing"
                yield MARKUP_CHANGED.at(
                    catalogue.path, (message.line, 1),
                    f"translation changes markup: missing {lost}; unexpected {added}",
                )
