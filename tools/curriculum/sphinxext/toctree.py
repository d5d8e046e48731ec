"""The site's navigation, resolved once per build instead of once per page.

Every page of the site carries the whole book's table of contents in its sidebar (the theme
asks Sphinx's ``toctree()`` for it, uncollapsed). Sphinx resolves it again for each page,
copying every document's section outline to keep only the titles: about a quarter of an
HTML build. Uncollapsed, the tree is the same for every page but for two things, which
is what this module does per page:

- the entries on the path to the page carry the ``current`` class (Sphinx's rule: the
  entry whose target is the page, and every element above it);
- the links are relative to the page.

A collapsed tree (``collapse=True``) depends on the page and goes to Sphinx as before.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.environment.adapters.toctree import global_toctree_for_doc, url_re

CACHE = "_curriculum_toctrees"


def per_build(builder: StandaloneHTMLBuilder) -> dict[tuple, Any]:
    """What the navigation keeps for one build (this module's trees, :mod:`.sidebar`'s shaped
    sidebars), forgotten when the documents change."""
    return builder.__dict__.setdefault(CACHE, {})


def template_options(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` of the templates' ``toctree()`` with the HTML builder's defaults applied."""
    options = {"includehidden": False, **options}
    if options.get("maxdepth") == "":
        options.pop("maxdepth")
    return options


def in_a_toctree(env: BuildEnvironment, pagename: str) -> bool:
    return any(pagename in included for included in env.toctree_includes.values())


class _Docnames:
    """Stands in for the builder while the shared tree is resolved: links keep their
    document names (made relative per page later)."""

    @staticmethod
    def get_relative_uri(from_: str, to: str, typ: str | None = None) -> str:
        return to


def shared_tree(builder: StandaloneHTMLBuilder, **options: Any) -> nodes.Element | None:
    """The uncollapsed global toctree with ``options``, links as document names, no page current."""
    cache = per_build(builder)
    key = ("tree", *sorted(options.items()))
    if key not in cache:
        cache[key] = global_toctree_for_doc(
            builder.env,
            "",  # no document: nothing is marked current
            _Docnames(),  # type: ignore[arg-type]
            tags=builder.tags,
            collapse=False,
            **options,
        )
    return cache[key]


def page_tree(builder: StandaloneHTMLBuilder, pagename: str, tree: nodes.Element) -> nodes.Element | None:
    """``tree`` as Sphinx resolves it for ``pagename``: the path to the page marked current,
    links relative to the page. None when the page is in a toctree but not in ``tree`` (cut
    at ``maxdepth``): Sphinx marks its ancestors still, and only Sphinx knows them."""
    tree = tree.deepcopy()
    found = False
    for reference in tree.findall(nodes.reference):
        anchor = reference["anchorname"]
        uri = reference["refuri"].removesuffix(anchor)  # the shared tree's links: document + anchor
        if uri == pagename and not anchor:
            found = True
            branch: nodes.Element | None = reference
            while branch is not None:
                branch["classes"].append("current")
                branch = branch.parent
        if url_re.match(uri) is None:
            reference["refuri"] = builder.get_relative_uri(pagename, uri) + anchor
    if not found and in_a_toctree(builder.env, pagename):
        return None
    return tree


def fast_local_toctree(builder: StandaloneHTMLBuilder) -> Any:
    """A replacement for the builder's ``_get_local_toctree`` (what templates call as ``toctree()``)."""
    sphinx_own = builder._get_local_toctree

    def local_toctree(docname: str, collapse: bool = True, **options: Any) -> str:
        if collapse:
            return sphinx_own(docname, collapse, **options)
        options = template_options(options)
        tree = shared_tree(builder, **options)
        if tree is None:
            return ""
        resolved = page_tree(builder, docname, tree)
        if resolved is None:
            return sphinx_own(docname, collapse, **options)
        return builder.render_partial(resolved)["fragment"]

    return local_toctree


def install(app: Sphinx) -> None:
    """``builder-inited``: HTML builders resolve the uncollapsed toctree once."""
    if isinstance(app.builder, StandaloneHTMLBuilder):
        app.builder._get_local_toctree = fast_local_toctree(app.builder)  # type: ignore[method-assign]


def forget(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the documents may have changed (an application kept alive rebuilds):
    what :func:`per_build` kept is made again."""
    app.builder.__dict__.pop(CACHE, None)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", install)
    app.connect("env-updated", forget)
