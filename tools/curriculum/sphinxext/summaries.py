"""Pages that summarise every chapter and exercise are read again only when what they show changes.

The agenda shows each exercise's duration and each chapter's timed activities; the coverage
matrix shows each chapter's learning outcomes and each exercise's objectives. Made to depend
on those files, such a page was read again (and the model loaded for it) at every edit of any
chapter's text. Instead, the page keeps a fingerprint of what it shows of each file (the front
matter and the timed activities), and an edited chapter or exercise makes it outdated only when
its fingerprint has changed. A file added or removed always does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Set
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..model import CHAPTER_DIR, EXERCISE_DIR, Chapter, Exercise
from .shared import read_per_edition

#: The environment's record: {summarising docname: {source path: fingerprint}}.
ATTRIBUTE = "curriculum_summaries"


def fingerprint(document: Chapter | Exercise) -> str:
    """What a summary can show of ``document``: its front matter and its timed activities."""
    activities = [(a.title, a.minutes) for a in document.activities] if isinstance(document, Chapter) else []
    return hashlib.sha256(repr((document.front_matter.data, activities)).encode()).hexdigest()


def summarises(env: BuildEnvironment, documents: Iterable[Chapter | Exercise]) -> None:
    """Record that the page being read shows ``documents`` (instead of depending on their files);
    each edition reads it (the record is the edition's)."""
    read_per_edition(env)
    record = env.__dict__.setdefault(ATTRIBUTE, {})
    record.setdefault(env.docname, {}).update({source(d.path): fingerprint(d) for d in documents})


def source(path: Path | str) -> str:
    """A file's key in the record: its real path (the model's and Sphinx's paths may differ)."""
    return str(Path(path).resolve())


def summarised(docname: str) -> bool:
    """A chapter or an exercise: what summaries show."""
    return docname.startswith((f"{CHAPTER_DIR}/", f"{EXERCISE_DIR}/"))


def outdated(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]) -> list[str]:
    """``env-get-outdated``: the summarising pages whose chapters or exercises changed what they show."""
    record: dict[str, dict[str, str]] = env.__dict__.get(ATTRIBUTE, {})
    if not record:
        return []
    from . import document_model

    moved = {d for d in (*added, *removed) if summarised(d)}
    shown_anywhere = {path for shown in record.values() for path in shown}
    now: dict[str, str] = {}  # the edited files' fingerprints, each file parsed once
    for docname in sorted(changed):
        path = source(env.doc2path(docname))
        if summarised(docname) and path in shown_anywhere and (document := document_model(app, docname)) is not None:
            now[path] = fingerprint(document)
    return [
        page
        for page, shown in record.items()
        if page not in changed and (moved or any(path in shown and shown[path] != value for path, value in now.items()))
    ]


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env.__dict__.get(ATTRIBUTE, {}).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
    """Parallel reading: the record of the pages another process read."""
    theirs = other.__dict__.get(ATTRIBUTE, {})
    env.__dict__.setdefault(ATTRIBUTE, {}).update({d: theirs[d] for d in docnames if d in theirs})


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
