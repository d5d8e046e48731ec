"""Incremental builds that keep every page's navigation right.

Sphinx writes only the documents it has just read (and those whose output is older
than their source), but each HTML page carries the whole book's navigation: the
sidebar is rendered per page from the toctrees, and so are the previous/next links.
So after a page is added to, removed from or moved in a toctree, or a page's title
changes, an incremental build used to leave every other page with the old sidebar.

Here the navigation has a fingerprint: the documents, their titles, their section
outlines and every toctree (entries, order, caption, depth). It is kept in the
environment between builds; when it changes, every document is written again.
Reading stays incremental: only writing is widened, and only when the structure changed.
"""

from __future__ import annotations

import hashlib

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: The attribute of the (pickled) environment that holds the last build's fingerprint.
ATTRIBUTE = "curriculum_navigation"
TOCTREE_KEYS = ("caption", "entries", "maxdepth", "hidden", "numbered", "titlesonly", "glob", "includehidden")


def fingerprint(env: BuildEnvironment) -> str:
    """A digest of everything the navigation of a page is made from."""
    digest = hashlib.sha256()
    for docname in sorted(env.all_docs):
        title = env.titles.get(docname)
        digest.update(f"\0doc {docname}\0{title.astext() if title is not None else ''}".encode())
        digest.update(f"\0includes {env.toctree_includes.get(docname, [])!r}".encode())
        toc = env.tocs.get(docname)
        if toc is None:
            continue
        digest.update(f"\0outline {toc.astext()}".encode())
        for toctree in toc.findall(addnodes.toctree):
            digest.update(repr([(key, toctree.get(key)) for key in TOCTREE_KEYS]).encode())
    return digest.hexdigest()


def rewrite_all_when_navigation_changes(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: every document when the navigation differs from the last build's."""
    current = fingerprint(env)
    previous = getattr(env, ATTRIBUTE, None)
    setattr(env, ATTRIBUTE, current)
    if previous is None or previous == current:
        return []  # a first build writes every page anyway
    return sorted(env.all_docs)


def setup(app: Sphinx) -> None:
    app.connect("env-get-updated", rewrite_all_when_navigation_changes)
