"""PO: translations keep what makes the handbook work: roles, targets and links.

Translated messages are parsed again as MyST, so a translation that drops a
``{term}`` role, changes a ``{ref}`` target or a link's URL breaks the Arabic
page silently. Display text may change; what a role or link points to may not.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .context import Context
from .registry import Finding, check, family, rule
from .samples import TERMBASE, changed, po_file

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
    "PO001",
    "malformed-catalogue",
    "error",
    "A translation catalogue (`.po` file) cannot be read.",
    """
    Sphinx skips a catalogue it cannot read, and the whole document falls back to English.

    **Fix:** correct the `.po` syntax at the line given (unbalanced quotes, a `msgstr`
    without `msgid`), or run `curriculum translate update` to rewrite the file.
    """,
    why="Sphinx skips a catalogue it cannot read, so the whole page falls back to the source language.",
    example=changed(po_file(("Glossary", "Glossaire")), ('"Glossaire"', '"Glossaire')),
    fixed=po_file(("Glossary", "Glossaire")),
)
MARKUP_CHANGED = rule(
    "PO002",
    "translation-changes-markup",
    "error",
    "A translation drops or changes a role, a target or a link URL of its message.",
    """
    Translated text is parsed again as MyST. Roles such as ``{term}`Steering Committee` ``
    must keep their target, and links their URL, or the Arabic page loses the link or
    the build fails.

    **Fix:** keep the role and its target, translating only the text shown:
    ``{term}`اللجنة التوجيهية <Steering Committee>` ``; copy link URLs unchanged:
    `[نص](https://example.org/page)`.
    """,
    why="The translated page loses the link, or the build fails on a role whose target does not exist.",
    example=po_file(("See the {term}`Agenda`.", "Voir le calendrier.")),
    fixed=po_file(("See the {term}`Agenda`.", "Voir le {term}`calendrier <Agenda>`.")),
)
FUZZY = rule(
    "PO003",
    "fuzzy-translation",
    "warning",
    "A translation is marked fuzzy: the English changed since it was translated.",
    """
    Sphinx ignores fuzzy translations, so readers see the English text.

    **Fix:** check the translation against the new English, update it, and remove the
    `#, fuzzy` line above it.
    """,
    why="Readers of the translation see the source language where the message stands.",
    example=po_file(("Glossary", "Glossaire", "fuzzy")),
    fixed=po_file(("Glossary", "Glossaire")),
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


@check(MALFORMED, MARKUP_CHANGED, FUZZY)
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
                lost = ", ".join(sorted((expected - actual).elements()))
                added = ", ".join(sorted((actual - expected).elements()))
                parts = [f"the translation drops {lost}" if lost else "", f"adds {added}" if added else ""]
                if lost and added:
                    parts[1] = f"and adds {added}"
                elif added:
                    parts[1] = f"the translation adds {added}"
                yield MARKUP_CHANGED.at(
                    catalogue.path,
                    (message.line, 1),
                    f"{' '.join(p for p in parts if p)}; keep the source's roles, links and targets as they are",
                )


TERM = rule(
    "PO004",
    "term-not-approved",
    "error",
    "A translation renders a key term other than the termbase approves.",
    """
    Each language can keep a termbase, `locales/<lang>/terms.yml`: for each key term its
    approved translations (the first is preferred) and, optionally, forbidden ones. When a
    message's English contains a term (whole words, any case; link targets, URLs, role targets
    and inline code, which stay as they are, do not count), its translation must contain one of
    the approved forms and none of the forbidden ones, so that one concept has one name
    throughout the book.

    **Fix:** use an approved form (the message names them), or, if the termbase is wrong,
    change `terms.yml` and every catalogue with it.
    """,
    why=(
        "One concept under several names confuses readers, and a forbidden rendering is usually a known mistranslation."
    ),
    example=(TERMBASE, po_file(("The agenda lists every session.", "L'ordre du jour liste chaque séance."))),
    fixed=(TERMBASE, po_file(("The agenda lists every session.", "Le programme liste chaque séance."))),
)
INCONSISTENT = rule(
    "PO005",
    "inconsistent-translation",
    "warning",
    "The same English message is translated differently in two places.",
    """
    Where the same English sentence occurs twice (a section heading, a repeated instruction),
    a reader expects the same translation (an abbreviation alone, such as `NFP`, may be
    expanded where it stands). The finding names the most common translation
    (the first, when there is a tie); reuse it unless context truly demands another.

    **Fix:** copy the most common translation, or change them all.
    """,
    why="Readers meet one sentence under two translations and wonder whether they mean different things.",
    example=(po_file(("Key points", "Points clés")), po_file(("Key points", "À retenir"), name="introduction")),
    fixed=(po_file(("Key points", "Points clés")), po_file(("Key points", "Points clés"), name="introduction")),
)
TERMBASE_PROBLEM = rule(
    "PO006",
    "malformed-termbase",
    "error",
    "A termbase (`locales/<lang>/terms.yml`) cannot be read.",
    """
    The termbase is a YAML mapping with a list `terms`; each term has `en` (the English term)
    and `approved` (a list of translations), and may have `forbidden` (a list) and `note`.

    **Fix:** correct the entry at the reported line.
    """,
    why="A termbase the checker cannot read checks no translation, so terms drift apart unnoticed.",
    example=changed(TERMBASE, ("[programme]", "programme")),
    fixed=TERMBASE,
)

REPARSED = rule(
    "PO007",
    "translation-reads-as-block",
    "error",
    "A translation starts like a list item, heading or quote, so Sphinx keeps the English.",
    """
    Sphinx parses each translation again as MyST. A translation that starts with `2. `,
    `- `, `# ` or `> ` becomes a list, heading or quote instead of the text it replaces, and
    Sphinx then silently keeps the source language (typically numbered headings such as
    `### 2. Purpose` whose message is `2. Purpose`).

    **Fix:** escape the marker: `2\\. الغرض`, `\\- ...`.
    """,
    why="Sphinx silently keeps the source language where the translation reads as a list, heading or quote.",
    example=po_file(("2. Purpose", "2. Objectif")),
    fixed=po_file(("2. Purpose", "2\\\\. Objectif")),
)
#: The start of a Markdown block construct.
BLOCK_START = re.compile(r"^(\d+[.)]\s|[-*+]\s|#{1,6}\s|>\s)")


@check(REPARSED)
def reparsed(context: Context) -> Iterator[Finding]:
    for catalogue in context.curriculum.catalogues:
        for message in catalogue.messages:
            if message.string and not message.fuzzy and BLOCK_START.match(message.string):
                marker = BLOCK_START.match(message.string)[0].strip()  # type: ignore[index]
                yield REPARSED.at(
                    catalogue.path,
                    (message.line, 1),
                    f"the translation starts with '{marker}', which MyST reads as a block; escape it",
                )


#: Link destinations and web addresses: not prose.
DESTINATION = re.compile(r"\]\([^)]*\)|https?://\S+")
#: A role (``{term}`text <target>```: its text is prose) or inline code (none of it is), found
#: from the left so that a role's closing backtick never opens a code span.
CODE_OR_ROLE = re.compile(r"(?P<role>\{[^{}`\s]+\})?(?P<fence>`+)(?P<body>.+?)(?<!`)(?P=fence)(?!`)")
TARGET = re.compile(r"\s*<[^<>]*>\s*$")


def prose(message: str) -> str:
    """The words of an English message a translation renders: without link destinations,
    role targets and inline code (commands and markup stay as they are)."""
    return CODE_OR_ROLE.sub(
        lambda found: TARGET.sub("", found["body"]) if found["role"] else " ", DESTINATION.sub(" ", message)
    )


@functools.cache
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])", re.IGNORECASE)


@check(TERM, TERMBASE_PROBLEM)
def termbase(context: Context) -> Iterator[Finding]:
    curriculum = context.curriculum
    for language, base in curriculum.termbases.items():
        for problem in base.problems:
            yield TERMBASE_PROBLEM.at(base.path, (problem.line, problem.column), problem.message)
        for catalogue in curriculum.catalogues:
            if catalogue.language != language:
                continue
            for message in catalogue.messages:
                if not message.string or message.fuzzy:
                    continue
                words = prose(message.id)
                folded = words.lower()
                for term in base.terms:
                    # a substring test first: the word-boundary search only where the term occurs
                    if term.en.lower() not in folded or not _term_pattern(term.en).search(words):
                        continue
                    wrong = [f for f in term.forbidden if f in message.string]
                    if wrong or not any(a in message.string for a in term.approved):
                        yield TERM.at(
                            catalogue.path,
                            (message.line, 1),
                            f"'{term.en}' must be rendered as {' or '.join(term.approved[:3])}"
                            + (f", not {wrong[0]}" if wrong else "")
                            + f" (terms.yml line {term.line})",
                        )


ABBREVIATION = re.compile(r"[A-Z0-9+&.-]{2,8}")


@check(INCONSISTENT)
def consistency(context: Context) -> Iterator[Finding]:
    """Each translation of a repeated message that differs from its most common one."""
    seen: dict[tuple[str, str], list[tuple[str, Path, int]]] = {}
    for catalogue in context.curriculum.catalogues:
        for message in catalogue.messages:
            # an abbreviation alone ("NFP") may be expanded where it stands
            if message.string and not message.fuzzy and not ABBREVIATION.fullmatch(message.id):
                seen.setdefault((catalogue.language, message.id), []).append(
                    (message.string, catalogue.path, message.line)
                )
    for (_language, english), places in seen.items():
        counts = Counter(string for string, _path, _line in places)
        if len(counts) < 2:
            continue
        usual = max(
            counts,
            key=lambda string: (counts[string], -next(i for i, place in enumerate(places) if place[0] == string)),
        )
        model = next(place for place in places if place[0] == usual)
        where = f"{context.relative(model[1]).as_posix()}:{model[2]}"
        for string, path, line in places:
            if string != usual:
                yield INCONSISTENT.at(
                    path,
                    (line, 1),
                    f"'{english[:40]}' is translated differently at {where} "
                    f"(the usual translation, {counts[usual]} of {len(places)})",
                )
