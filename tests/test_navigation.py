"""The sidebar's table of contents, resolved once per build (curriculum.sphinxext.toctree),
is the one Sphinx resolves for each page, and the theme's navigation made from it once per
build (curriculum.sphinxext.sidebar) is the one the theme makes for each page: same HTML, on
every page, with every option a template passes."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from pydata_sphinx_theme.toctree import add_toctree_functions
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"

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


#: what the theme's sidebar templates pass, and the other switches
SIDEBARS = [
    {"show_nav_level": level, "maxdepth": depth, "includehidden": hidden, "titles_only": titles}
    for level, depth, hidden, titles in itertools.product((1, 2), (4, 1, -1), (True, False), (True, False))
]


@pytest.mark.sphinx("html", testroot="toctree", confoverrides={"extensions": ["curriculum.sphinxext.sidebar"]})
def test_every_page_gets_the_navigation_the_theme_would_give_it(app: SphinxTestApp) -> None:
    pages: dict[str, tuple[dict, dict]] = {}

    def compare(app, pagename, templatename, context, doctree) -> None:
        theirs = dict(context)
        add_toctree_functions(app, pagename, templatename, theirs, doctree)
        assert context["generate_toctree_html"] is not theirs["generate_toctree_html"]  # ours is installed
        for options in SIDEBARS:
            ours = context["generate_toctree_html"]("sidebar", startdepth=0, collapse=False, **options)
            assert str(ours) == str(
                theirs["generate_toctree_html"]("sidebar", startdepth=0, collapse=False, **options)
            ), (
                pagename,
                options,
            )
        for kind in ("html", "raw"):
            assert str(context["generate_toc_html"](kind)) == str(theirs["generate_toc_html"](kind)), (pagename, kind)
        pages[pagename] = (context, theirs)

    app.connect("html-page-context", compare, priority=900)
    app.build()
    assert not app.warning.getvalue().strip(), app.warning.getvalue()
    assert {"index", "one", "part/deeper/four", "annex", "search", "genindex"} <= set(pages)
    # what the comparison saw: a page marked on its path, its branch open, links relative to it
    four = (app.outdir / "part" / "deeper" / "four.html").read_text(encoding="utf-8")
    assert '<ul class="current nav bd-sidenav">' in four
    assert '<li class="toctree-l2 current active has-children"><a class="reference internal" href="three.html">' in four
    assert '<li class="toctree-l3 current active"><a class="current reference internal" href="#">Four</a>' in four
    assert '<details open="open">' in four and 'href="../../one.html"' in four


def test_a_site_is_built_without_css_selectors(tmp_path: Path) -> None:
    """Nothing the builder's navigation does loads soupsieve (BeautifulSoup's CSS selectors,
    0.15 s a process to import and compile): it stays a stand-in (curriculum.sphinxrun)."""
    script = f"""
import sys
from curriculum import sphinxrun
from sphinx.application import Sphinx
app = Sphinx({str(ROOTS / "test-toctree")!r}, {str(ROOTS / "test-toctree")!r}, {str(tmp_path / "out")!r}, {str(tmp_path / "doctrees")!r}, "html",
             confoverrides={{"extensions": ["curriculum.sphinxext.sidebar"]}}, status=None, warningiserror=True)
app.build()
print(type(sys.modules["soupsieve"]).__name__)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "ImportedOnFirstUse", result.stdout
    # the theme's navigation, made by ours: the sidebar, a page's contents
    assert "bd-sidenav" in (tmp_path / "out" / "part" / "deeper" / "four.html").read_text(encoding="utf-8")
    assert "toc-entry" in (tmp_path / "out" / "one.html").read_text(encoding="utf-8")
