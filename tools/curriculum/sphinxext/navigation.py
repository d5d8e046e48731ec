"""Incremental builds that keep every page's navigation right.

Sphinx writes only the documents it has just read (and those whose output is older
than their source), but each HTML page carries the whole book's navigation: the
sidebar is rendered per page from the toctrees, and so are the previous/next links.
So after a page is added to, removed from or moved in a toctree, or a page's title
changes, an incremental build used to leave every other page with the old sidebar.

Here the navigation has a fingerprint: the documents, their titles, their section
outlines and every toctree (entries, order, caption, depth). It is kept in the
environment between builds; when it changes, every document is written again.
Reading stays incremental: only writing is widened, and only when the structure changed, or
when the site's search index cannot be read back (see :func:`rewrite_all_when_the_search_index_is_lost`).
"""

from __future__ import annotations

import hashlib

from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
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


def search_index_lost(builder: StandaloneHTMLBuilder) -> bool:
    """The site's search index cannot be read back as Sphinx will try to (it is missing, or was
    written by another version of the builder, or from another environment)."""
    from sphinx.search import IndexBuilder

    lang = builder.config.html_search_language or builder.config.language
    indexer = IndexBuilder(builder.env, lang, builder.config.html_search_options, builder.config.html_search_scorer)
    try:
        with open(builder.outdir / builder.searchindex_filename, encoding="utf-8") as index:
            indexer.load(index, builder.indexer_format)
    except (OSError, ValueError):
        return True
    return False


def rewrite_all_when_the_search_index_is_lost(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: every document when the site's search index cannot be read back.

    Sphinx keeps the index of the pages it does not write again; without it, a build that writes
    some pages only ends in "the index will be incomplete" (after a new version of the builder,
    whose environment another output read first).
    """
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder) or not builder.search or not builder.indexer_dumps_unicode:
        return []
    return sorted(env.all_docs) if search_index_lost(builder) else []


def setup(app: Sphinx) -> None:
    app.connect("env-get-updated", rewrite_all_when_navigation_changes)
    app.connect("env-get-updated", rewrite_all_when_the_search_index_is_lost)
