"""REF: learning outcomes, objectives and every cross-reference resolve."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from ..model import Chapter, Document
from ..project import CHAPTER_DIR, ROOT_DOC
from .context import Context
from .frontmatter import swallowed_line
from .markup import Element
from .registry import Finding, Sample, check, did_you_mean, family, rule
from .samples import CHAPTER, EXERCISE, GLOSSARY, INDEX, changed, glossary

family("REF", "References")

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>\s*$", re.DOTALL)
SOURCE_SUFFIXES = (".md", ".rst")
ANCHOR_LEVELS = 6
#: Directives that list pages (``trainer-toctree`` lists the trainer pages).
TOCTREES = frozenset({"toctree", "trainer-toctree"})
INCLUDES = frozenset({"include", "literalinclude"})

UNKNOWN_OBJECTIVE = rule(
    "REF001",
    "unknown-objective",
    "error",
    "An exercise objective names no declared learning outcome.",
    """
    Each entry of an exercise's `objectives` must be the id of a learning outcome that a
    chapter declares in its `learning_outcomes` front matter.

    **Fix:** correct the id (the message suggests the closest declared one), or declare the
    outcome in the chapter that teaches it.
    """,
    why="The coverage matrix and the evaluation form join exercises to outcomes by id; this one joins nothing.",
    example=changed(EXERCISE, ("[introduction-1]", "[introduction-2]")),
    fixed=EXERCISE,
)
DUPLICATE_OUTCOME = rule(
    "REF002",
    "duplicate-outcome",
    "error",
    "Two chapters declare the same learning-outcome id.",
    """
    Learning-outcome ids are unique across the curriculum: exercises and `{ref}` links name
    them, and could not tell two apart.

    **Fix:** rename one of them (ids usually start with the chapter's short name:
    `forum-1`, `forum-2`).
    """,
    why=(
        "An objective naming the id would count for both outcomes, and a link to the outcome would open either chapter."
    ),
    example=changed(CHAPTER, ("# Introduction\n", "# Next steps\n"), path="handbook/next-steps.md"),
    fixed=(
        changed(
            CHAPTER,
            ("introduction-1:", "next-steps-1:"),
            ("# Introduction\n", "# Next steps\n"),
            path="handbook/next-steps.md",
        ),
        changed(EXERCISE, ("[introduction-1]", "[introduction-1, next-steps-1]")),
    ),
)
NOT_PRACTISED = rule(
    "REF003",
    "outcome-not-practised",
    "warning",
    "A learning outcome is practised by no exercise.",
    """
    Every learning outcome should be practised by at least one exercise, or participants
    only read about it.

    **Fix:** add the outcome's id to the `objectives` of an exercise that practises it, or
    write such an exercise.
    """,
    why="An outcome nobody practises is promised to participants but never trained or assessed.",
    example=changed(CHAPTER, ("covers\n", "covers\n  introduction-2: Name the trainers\n")),
    fixed=(
        changed(CHAPTER, ("covers\n", "covers\n  introduction-2: Name the trainers\n")),
        changed(EXERCISE, ("[introduction-1]", "[introduction-1, introduction-2]")),
    ),
)
BROKEN_LINK = rule(
    "REF004",
    "broken-link",
    "error",
    "A relative link, image or include points to a file or anchor that does not exist.",
    """
    Links to other pages of the handbook are relative paths from the linking file:
    `[the Regional Forum](regional-forum.md)` inside `handbook/`,
    `[the Regional Forum](../handbook/regional-forum.md)` from `exercises/`. An anchor after `#`
    must be a heading of that page (as its slug) or a `(label)=` target.

    **Fix:** correct the path or the anchor, or link to an existing page.
    """,
    why="Sphinx cannot resolve the link, so the build fails, and a reader would land on nothing.",
    example=glossary("Terms used in the [introduction](intro.md)."),
    fixed=glossary("Terms used in the [introduction](introduction.md)."),
)
UNKNOWN_DOCUMENT = rule(
    "REF005",
    "unknown-document",
    "error",
    "A `{doc}` role or a toctree entry names a document that does not exist.",
    """
    ``{doc}`regional-forum` `` links to another page by its path without the `.md` suffix,
    relative to the linking file (or absolute from the project root with a leading `/`);
    entries of a `{toctree}` name pages the same way.

    **Fix:** correct the path, and leave out `.md`.
    """,
    why="Sphinx fails the build on a reference to a page it does not have.",
    example=glossary("Terms used in the {doc}`intro` chapter."),
    fixed=glossary("Terms used in the {doc}`introduction` chapter."),
)
UNKNOWN_TERM = rule(
    "REF006",
    "unknown-term",
    "error",
    "A `{term}` role names no term of the glossary.",
    """
    ``{term}`National Focal Point` `` links to the glossary entry written exactly so in the
    `{glossary}` block of `handbook/glossary.md` (same spelling and capitals). To show other
    text, write ``{term}`focal points <National Focal Point>` ``.

    **Fix:** use the glossary's spelling (the message suggests the closest term), or add the
    term to the glossary.
    """,
    why="Sphinx fails the build on a term the glossary does not define, and readers would find no definition.",
    example=glossary("Every session is listed in the {term}`Timetable`."),
    fixed=glossary("Every session is listed in the {term}`timetable <Agenda>`."),
)
UNKNOWN_REFERENCE = rule(
    "REF007",
    "unknown-reference",
    "error",
    "A `{ref}` role names a label that does not exist.",
    """
    ``{ref}`outcome-forum-1` `` links to the learning outcome `forum-1`; other labels are
    declared with a `(label)=` line before a heading.

    **Fix:** correct the label (the message suggests the closest), or declare it.
    """,
    why="Sphinx fails the build on a label it cannot find.",
    example=glossary("The agenda serves {ref}`outcome-introduction-2`."),
    fixed=glossary("The agenda serves {ref}`outcome-introduction-1`."),
)


NOT_IN_TOCTREE = rule(
    "REF008",
    "not-in-toctree",
    "error",
    "A chapter, exercise or page is listed in no toctree.",
    """
    Every `.md` file under `handbook/` and `exercises/` is a page of the book, and the build
    fails on a page that no `{toctree}` lists, because readers could never reach it. Pages
    under `handbook/trainer/` are listed by the `{trainer-toctree}` of `handbook/index.md`.
    `handbook/data/` holds data files, not pages. The finding points at the page's first line.

    **Fix:** add the page to a toctree of `handbook/index.md` (chapters as `chapter-id`,
    exercises as `../exercises/exercise-id`), or delete the file.
    """,
    why="Sphinx fails the build on a page that no table of contents lists, because readers could never reach it.",
    example=Sample("handbook/venue.md", "# Venue\n\nThe course takes place in the training room.\n"),
    fixed=(
        Sample("handbook/venue.md", "# Venue\n\nThe course takes place in the training room.\n"),
        changed(INDEX, ("glossary\n", "glossary\nvenue\n")),
    ),
)
DUPLICATE_LABEL = rule(
    "REF009",
    "duplicate-label",
    "error",
    "A `(label)=` target is declared twice in the book.",
    """
    Labels name one place in the whole book (``{ref}`label` `` links to it), so each may be
    declared once, in any page. Labels ignore case, and `outcome-<id>` labels are declared by
    the learning outcomes themselves.

    **Fix:** rename one of the two labels, and the links that meant it.
    """,
    why="A link to the label could lead to either place, and Sphinx fails the build on the duplicate.",
    example=changed(GLOSSARY, ("# Glossary\n", "(terms)=\n# Glossary\n\n(terms)=\n## Terms of the course\n")),
    fixed=changed(GLOSSARY, ("# Glossary\n", "(glossary)=\n# Glossary\n\n(terms)=\n## Terms of the course\n")),
)
DUPLICATE_TERM = rule(
    "REF010",
    "duplicate-term",
    "error",
    "The glossary defines the same term twice.",
    """
    Each term of a `{glossary}` block is one entry that ``{term}`` roles link to; a second
    entry with the same name could never be reached.

    **Fix:** merge the two definitions into one entry, or name one of them differently.
    """,
    why="Links to the term reach only one of the two entries, and Sphinx fails the build on the duplicate.",
    example=changed(GLOSSARY, (":::\n", "\nAgenda\n  The list of sessions.\n:::\n")),
    fixed=GLOSSARY,
)


@check(UNKNOWN_OBJECTIVE)
def objectives(context: Context) -> Iterator[Finding]:
    outcomes = context.outcomes
    for exercise in context.exercises():
        for index, objective in enumerate(exercise.value("objectives", list) or []):
            if (
                isinstance(objective, str)
                and objective.strip()
                and objective not in outcomes
                and swallowed_line(exercise, exercise.front_matter.where("objectives", index)[0], objective) is None
            ):
                yield UNKNOWN_OBJECTIVE.at(
                    exercise.path,
                    exercise.front_matter.where("objectives", index),
                    f"objective '{objective}' is not a learning outcome declared by any chapter"
                    f"{did_you_mean(objective, outcomes)}",
                )


@check(DUPLICATE_OUTCOME, NOT_PRACTISED)
def learning_outcomes(context: Context) -> Iterator[Finding]:
    first: dict[str, Path] = {}
    for chapter in context.chapters():
        for outcome in chapter.learning_outcomes:
            position = (outcome.line, outcome.column)
            if outcome.id in first:
                other = first[outcome.id].relative_to(context.curriculum.root).as_posix()
                yield DUPLICATE_OUTCOME.at(
                    chapter.path, position, f"learning outcome '{outcome.id}' is already declared in {other}"
                )
                continue
            first[outcome.id] = chapter.path
            if outcome.id not in context.practised:
                yield NOT_PRACTISED.at(
                    chapter.path, position, f"no exercise lists learning outcome '{outcome.id}' in its objectives"
                )


@check(NOT_IN_TOCTREE)
def toctrees(context: Context) -> Iterator[Finding]:
    root = context.curriculum.root
    index = context.document_at(root / f"{ROOT_DOC}.md")
    if index is not None and any(p.kind == "unparsable" for p in index.problems):
        return  # its toctrees are unknown; FILE005 says why
    listed: set[Path] = set()
    patterns: list[str] = []
    for document in context.documents():
        for element in context.markup(document, "directive"):
            if element.name not in TOCTREES:
                continue
            for entry in element.text.split("\n"):
                target = role_target(entry)
                if not target or SCHEME.match(target):
                    continue
                found = resolve(context, document, target)
                if found is None:
                    continue
                if "glob" in element.options and any(c in target for c in "*?["):
                    patterns.append(found.as_posix())
                listed.add(found)
    for document in context.curriculum.documents:
        if not document.markdown.file.readable or document.front_matter.data.get("orphan") is True:
            continue
        stem = document.path.with_suffix("")
        if stem == root / ROOT_DOC or stem in listed or any(fnmatch(stem.as_posix(), p) for p in patterns):
            continue
        name = context.relative(document.path).as_posix()
        where = "the `{trainer-toctree}`" if isinstance(document, Chapter) and "/" in document.name else "a toctree"
        yield NOT_IN_TOCTREE.at(
            document.path,
            (1, 1),
            f"{name} is not listed in any toctree; add it to {where} of {ROOT_DOC}.md",
        )


@check(DUPLICATE_LABEL, DUPLICATE_TERM)
def duplicates(context: Context) -> Iterator[Finding]:
    """Labels and glossary terms are declared once in the book."""
    chapters = context.curriculum.chapters
    labels = {
        f"outcome-{key}".lower(): f"{CHAPTER_DIR}/{chapters[o.chapter].path.name}:{o.line}"
        for key, o in context.outcomes.items()
        if o.chapter in chapters
    }
    terms: dict[str, str] = {}
    for document in context.documents():
        name = context.relative(document.path).as_posix()
        for element in context.markup(document):
            if element.kind == "target":
                label = element.target.strip().lower()
                if label in labels:
                    yield DUPLICATE_LABEL.at(
                        document.path,
                        element.position,
                        f"label '{element.target.strip()}' is already declared at {labels[label]}",
                    )
                else:
                    labels[label] = f"{name}:{element.line}"
            elif element.kind == "directive" and element.name == "glossary":
                for number, line in enumerate(element.text.split("\n")):
                    term = line.strip()
                    if not term or line[0].isspace() or term.startswith(".."):
                        continue
                    at = element.body_line + number
                    if term in terms:
                        yield DUPLICATE_TERM.at(
                            document.path,
                            (at, context.column(document, at)),
                            f"term '{term}' is already defined at {terms[term]}",
                        )
                    else:
                        terms[term] = f"{name}:{at}"


@check(BROKEN_LINK, UNKNOWN_DOCUMENT, UNKNOWN_TERM, UNKNOWN_REFERENCE)
def cross_references(context: Context) -> Iterator[Finding]:
    for document in context.documents():
        for element in context.markup(document):
            if element.kind == "link":
                yield from check_link(context, document, element)
            elif element.kind == "image" and not SCHEME.match(element.target):
                found = resolve(context, document, unquote(element.target))
                if found is None or not context.is_file(found):
                    yield BROKEN_LINK.at(document.path, element.position, f"image '{element.target}' does not exist")
            elif element.kind == "role":
                yield from check_role(context, document, element)
            elif element.kind == "directive" and element.name in TOCTREES:
                yield from check_toctree(context, document, element)
            elif element.kind == "directive" and element.name in INCLUDES and element.target:
                found = resolve(context, document, element.target)
                if found is not None and not context.is_file(found):
                    yield BROKEN_LINK.at(
                        document.path, element.position, f"included file '{element.target}' does not exist"
                    )


def check_link(context: Context, document: Document, link: Element) -> Iterator[Finding]:
    href = link.target.strip()
    if SCHEME.match(href) or link.name == "autolink":
        return
    path_part, _, anchor = href.partition("#")
    path_part = unquote(path_part.split("?", 1)[0])
    if not path_part and not anchor:
        yield BROKEN_LINK.at(document.path, link.position, f"link '{link.text}' has no target")
        return
    if not path_part:
        if anchor not in anchors(context, document.path) and anchor.lower() not in context.labels:
            yield BROKEN_LINK.at(
                document.path,
                link.position,
                f"no heading or label '#{anchor}' in this page{did_you_mean(anchor, anchors(context, document.path))}",
            )
        return
    target = resolve(context, document, path_part)
    if target is None or not context.is_file(target):
        if not Path(path_part).suffix and path_part.lower() in context.labels:
            return  # MyST resolves a bare name as a label
        yield BROKEN_LINK.at(
            document.path,
            link.position,
            f"link target '{path_part}' does not exist{nearest_page(context, document, path_part)}",
        )
    elif (
        anchor
        and target.suffix == ".md"
        and anchor not in anchors(context, target)
        and anchor.lower() not in context.labels
    ):
        yield BROKEN_LINK.at(
            document.path,
            link.position,
            f"no heading or label '#{anchor}' in {path_part}{did_you_mean(anchor, anchors(context, target))}",
        )


def check_role(context: Context, document: Document, role: Element) -> Iterator[Finding]:
    target = role_target(role.target)
    if target is None:
        return
    if role.name == "doc":
        if not is_document(context, resolve(context, document, target)):
            hint = (
                "; leave out the '.md' suffix"
                if target.endswith(SOURCE_SUFFIXES)
                else nearest_page(context, document, target)
            )
            yield UNKNOWN_DOCUMENT.at(document.path, role.position, f"document '{target}' does not exist{hint}")
    elif role.name == "term":
        terms = context.glossary_terms
        if terms is not None and target not in terms:
            yield UNKNOWN_TERM.at(
                document.path,
                role.position,
                f"'{target}' is not a term in handbook/glossary.md{did_you_mean(target, terms)}",
            )
    elif role.name == "ref" and target.lower() not in context.labels:
        yield UNKNOWN_REFERENCE.at(
            document.path,
            role.position,
            f"label '{target}' does not exist{did_you_mean(target.lower(), context.labels)}",
        )
    elif role.name == "download":
        found = resolve(context, document, target)
        if found is None or not context.is_file(found):
            yield BROKEN_LINK.at(document.path, role.position, f"download target '{target}' does not exist")


def check_toctree(context: Context, document: Document, toctree: Element) -> Iterator[Finding]:
    globbing = "glob" in toctree.options
    for number, entry in enumerate(toctree.text.split("\n")):
        target = role_target(entry)
        if not target or target == "self" or SCHEME.match(target) or (globbing and any(c in target for c in "*?[")):
            continue
        if not is_document(context, resolve(context, document, target)):
            line = toctree.body_line + number
            yield UNKNOWN_DOCUMENT.at(
                document.path,
                (line, context.column(document, line)),
                f"toctree entry '{target}' does not exist{nearest_page(context, document, target)}",
            )


def nearest_page(context: Context, document: Document, target: str) -> str:
    """``"; did you mean 'x'?"`` for the existing page closest to ``target``, written as the author wrote it."""
    suffix = Path(target).suffix
    base = context.curriculum.root if target.startswith("/") else document.path.parent
    names = []
    for other in context.curriculum.documents:
        relative = Path(os.path.relpath(other.path, base)).as_posix()
        name = relative if suffix else relative.removesuffix(other.path.suffix)
        names.append(f"/{name}" if target.startswith("/") else name)
    return did_you_mean(target, names)


def is_document(context: Context, path: Path | None) -> bool:
    """Whether ``path`` plus a source suffix (``.md``) is a file."""
    return path is not None and any(context.is_file(Path(f"{path}{suffix}")) for suffix in SOURCE_SUFFIXES)


def role_target(content: str) -> str | None:
    """A role's target: the part in ``<...>`` if given; ``None`` for ``!`` (no link)."""
    content = content.strip()
    match = EXPLICIT.match(content)
    target = (match[2] if match else content).strip()
    if target.startswith("!"):
        return None
    return target.lstrip("~")


def resolve(context: Context, document: Document, target: str) -> Path | None:
    """``target`` relative to ``document`` (or to the root if it starts with ``/``), if inside the project."""
    root = str(context.curriculum.root)
    base = root if target.startswith("/") else str(document.path.parent)
    path = os.path.normpath(os.path.join(base, target.lstrip("/")))
    return Path(path) if path == root or path.startswith(root + os.sep) else None


def anchors(context: Context, path: Path) -> frozenset[str]:
    """The heading slugs (GitHub and docutils style) and ``(label)=`` targets of a page."""
    document = context.document_at(path)
    if document is None:
        return frozenset()
    found = context.anchors.get(path)
    if found is None:
        slugs: set[str] = set()
        for heading in document.headings:
            if heading.level <= ANCHOR_LEVELS:
                slugs.add(unique_slug(github_slug(heading.title), slugs))
        slugs.update(docutils_slug(heading.title) for heading in document.headings)
        slugs.update(t.target.strip() for t in context.markup(document, "target"))
        found = context.anchors[path] = frozenset(slugs)
    return found


def github_slug(title: str) -> str:
    """MyST's default heading slug (GitHub style)."""
    return re.sub(r"[^\w\u4e00-\u9fff\- ]", "", title.lower().replace(" ", "-"))


@cache
def docutils_slug(title: str) -> str:
    """Roughly docutils' section id: ASCII letters and digits joined by hyphens."""
    return re.sub(r"^[-0-9]+|-+$", "", re.sub(r"[^a-z0-9]+", "-", title.lower()))


def unique_slug(slug: str, existing: set[str]) -> str:
    unique, number = slug, 1
    while unique in existing:
        unique, number = f"{slug}-{number}", number + 1
    return unique
