"""The sidebar's table of contents, resolved once per build (curriculum.sphinxext.toctree),
is the one Sphinx resolves for each page: same HTML, on every page, with every option a
template passes."""

from __future__ import annotations

import itertools

import pytest
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.testing.util import SphinxTestApp

OPTIONS = [
    # sphinx-book-theme's sidebar
    {"maxdepth": 4, "includehidden": True, "titles_only": True},
    # the template function's defaults, and the other switches
    {},
    *({"maxdepth": depth, "titles_only": titles} for depth, titles in itertools.product(("", 1, 2, -1), (False, True))),
]


@pytest.mark.sphinx("html", testroot="toctree")
def test_every_page_gets_the_navigation_sphinx_would_give_it(app: SphinxTestApp) -> None:
    app.build()
    assert not app.warning.getvalue().strip(), app.warning.getvalue()
    builder = app.builder
    assert isinstance(builder, StandaloneHTMLBuilder)
    pages = sorted(app.env.found_docs)
    assert len(pages) == 7
    for page, options in itertools.product(pages, OPTIONS):
        ours = builder._get_local_toctree(page, collapse=False, **options)
        sphinx = StandaloneHTMLBuilder._get_local_toctree(builder, page, collapse=False, **options)
        assert ours == sphinx, (page, options)
    # the written pages carry it: the current page marked, links relative to the page
    four = (app.outdir / "part" / "deeper" / "four.html").read_text(encoding="utf-8")
    assert 'class="current reference internal" href="#"' in four
    assert 'href="../../one.html"' in four and 'href="https://example.org/"' in four
