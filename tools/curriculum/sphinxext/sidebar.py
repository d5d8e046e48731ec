"""The theme's navigation without a BeautifulSoup pass per page.

pydata-sphinx-theme (under sphinx-book-theme) gives each page's templates two functions that
reshape Sphinx's HTML with BeautifulSoup and CSS selectors: ``generate_toctree_html``, the
sidebar (the whole book's table of contents, in collapsible ``<details>``), and
``generate_toc_html``, the page's own contents. This module gives the templates the same
HTML, made as the theme makes it (pydata-sphinx-theme 0.20), faster:

- The sidebar is the same on every page but for the entries on the path to the page and the
  links (see :mod:`curriculum.sphinxext.toctree`): it is shaped once per build, its links as
  document names, and each page marks its path, writes its links, serializes and unmarks.
- No CSS selectors: soupsieve compiles its selector grammar the first time one is used, about
  0.15 s in every process.
- The secondary sidebar, when it is the page's contents alone, is not rendered once more just
  to see whether it is empty.

The theme's own functions still serve what is not shaped here (a sidebar starting below the
root, parts made collapsible with ``show_nav_level`` 0, a collapsed tree).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import AttributeValueList
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment.adapters.toctree import url_re

from .toctree import forget, in_a_toctree, per_build, shared_tree, template_options


def shape_sidebar(soup: BeautifulSoup, show_nav_level: int) -> BeautifulSoup:
    """pydata-sphinx-theme's ``generate_toctree_html(kind="sidebar")`` on Sphinx's HTML, for
    ``show_nav_level`` >= 1 (the same steps, in the same order, without selectors)."""
    for li in soup("li", {"class": "current"}):
        add_classes(li, "active")
    for li in soup.find_all("li"):  # links to sections of a page are not navigation
        link = li.find("a")
        if link and "#" in (href := str(link.get("href"))) and href != "#":
            li.decompose()
    for ul in soup("ul", recursive=False):
        add_classes(ul, "nav", "bd-sidenav")
    for li in soup.find_all("li"):  # add_collapse_checkboxes
        current = "current" in classes(li)
        if not li.find("ul"):
            continue
        add_classes(li, "has-children")
        details = soup.new_tag("details")
        details.extend(li.contents)
        li.append(details)
        if link := _child(details, "a", "reference"):
            li.insert(0, link)
        summary = soup.new_tag("summary")
        toggle = soup.new_tag("span", attrs={"class": "toctree-toggle", "role": "presentation"})
        toggle.append(soup.new_tag("i", attrs={"class": "fa-solid fa-chevron-down"}))
        summary.append(toggle)
        if caption := _child(details, "p", "caption"):
            summary.insert(0, caption)
        details.insert(0, summary)
        if current:
            details["open"] = "open"
    for level in range(show_nav_level):
        for li in soup.find_all("li", class_=f"toctree-l{level}"):
            if shown := _child(li, "details"):
                shown["open"] = "open"
    return soup


def _child(parent: Tag, name: str, css_class: str | None = None) -> Tag | None:
    """The first child ``name`` element of ``parent`` (with ``css_class``): ``parent > name.class``."""
    for child in parent.find_all(name, recursive=False):
        if isinstance(child, Tag) and (css_class is None or css_class in classes(child)):
            return child
    return None


def classes(element: Tag) -> list[str]:
    return [str(name) for name in element.get_attribute_list("class") if name is not None]


def add_classes(element: Tag, *names: str) -> None:
    """``names`` after the element's classes (a ``class`` attribute added last when it has none)."""
    element["class"] = AttributeValueList([*classes(element), *names])


def shape_toc(html: str, show_toc_level: int, kind: str = "html") -> Any:
    """pydata-sphinx-theme's ``generate_toc_html``: the page's contents, without selectors."""
    soup = BeautifulSoup(html, "html.parser")

    def add_header_level_recursive(ul: Tag | None, level: int) -> None:
        if ul is None:
            return
        if level <= show_toc_level + 1:
            add_classes(ul, "pst-show_toc_level")
        for li in ul("li", recursive=False):
            add_classes(li, f"toc-h{level}")
            add_header_level_recursive(li.find("ul", recursive=False), level + 1)

    add_header_level_recursive(soup.find("ul"), 1)
    for ul in soup("ul"):
        add_classes(ul, "nav", "section-nav", "flex-column")
    for li in soup("li"):
        add_classes(li, "nav-item", "toc-entry")
        if link := li.find("a"):
            add_classes(link, "nav-link")
    if kind != "html":
        return soup
    headings = soup.find_all(class_="toc-h1")
    if len(headings) == 1:  # one h1: the page's title, its sections are the contents
        return headings[0].find("ul") if headings[0].find_all(class_="toc-h2") else ""
    return soup


class Sidebar:
    """The shaped sidebar of the whole book: links as document names, no page current."""

    def __init__(self, soup: BeautifulSoup) -> None:
        self.soup = soup
        #: every link to a document of the book, with its document and anchor
        self.links: list[tuple[Tag, str, str]] = []
        self.pages: dict[str, list[Tag]] = {}
        for link in soup.find_all("a"):
            href = str(link.get("href", ""))
            if url_re.match(href) is None:
                document, hash_, anchor = href.partition("#")
                self.links.append((link, document, hash_ + anchor))
                if not anchor:
                    self.pages.setdefault(document, []).append(link)

    def html(self, builder: StandaloneHTMLBuilder, pagename: str) -> str:
        """The sidebar of ``pagename``: its path marked current as Sphinx and the theme mark
        it, the links relative to it."""
        for link, document, anchor in self.links:
            link["href"] = (builder.get_relative_uri(pagename, document) + anchor) or "#"
        path = {
            id(element): element
            for link in self.pages.get(pagename, ())
            for element in (link, *link.parents)
            if element.name in {"a", "li", "ul"}
        }
        opened = [
            details for element in path.values() if element.name == "li" and (details := _child(element, "details"))
        ]
        kept = [(element, dict(element.attrs)) for element in (*path.values(), *opened)]
        for element in path.values():
            mark_current(element)
        for details in opened:  # the theme opens the branch that holds the page
            details["open"] = "open"
        try:
            return str(self.soup)
        finally:
            for element, attributes in kept:
                element.attrs = attributes


def mark_current(element: Tag) -> None:
    """The classes Sphinx (``current``) and the theme (``active``) give an element on the path
    to the page: Sphinx's before the writer's (``a``) and the theme's (``ul``, ``li``)."""
    names = classes(element)
    if element.name == "li":
        at = names.index("has-children") if "has-children" in names else len(names)
        names[at:at] = ["current", "active"]
    else:
        names.insert(0, "current")
    element["class"] = AttributeValueList(names)


def sidebar(builder: StandaloneHTMLBuilder, show_nav_level: int, **options: Any) -> Sidebar:
    """The book's sidebar with ``options`` (Sphinx's toctree options), made once per build."""
    cache = per_build(builder)
    key = ("sidebar", show_nav_level, *sorted(options.items()))
    if key not in cache:
        tree = shared_tree(builder, **options)
        html = builder.render_partial(tree)["fragment"] if tree is not None else ""
        cache[key] = Sidebar(shape_sidebar(BeautifulSoup(html, "html.parser"), show_nav_level))
    return cache[key]


#: The secondary sidebar's template when it shows the page's contents alone (sphinx-book-theme's
#: default), as the theme's settings may name it.
PAGE_TOC = "page-toc.html"
PAGE_TOC_ONLY = (PAGE_TOC, "page-toc", [PAGE_TOC], ["page-toc"])


def install(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object) -> None:
    """``html-page-context``, right after the theme's: the page's navigation functions."""
    builder = app.builder
    theme_sidebar: Callable[..., Any] | None = context.get("generate_toctree_html")
    if theme_sidebar is None or not isinstance(builder, StandaloneHTMLBuilder):
        return

    @cache
    def generate_toctree_html(kind: str, startdepth: int = 1, show_nav_level: int = 1, **options: Any) -> Any:
        if kind == "sidebar" and startdepth == 0 and int(show_nav_level) >= 1 and not options.get("collapse", True):
            toctree_options = template_options({key: value for key, value in options.items() if key != "collapse"})
            shared = sidebar(builder, int(show_nav_level), **toctree_options)
            # a page of a toctree that maxdepth cut from the tree still has its ancestors
            # marked, which only Sphinx knows: the theme's function asks it
            if pagename in shared.pages or not in_a_toctree(builder.env, pagename):
                return shared.html(builder, pagename)
        return theme_sidebar(kind, startdepth, show_nav_level, **options)

    @cache
    def generate_toc_html(kind: str = "html") -> Any:
        if "toc" not in context:
            return ""
        return shape_toc(context["toc"], context["theme_show_toc_level"], kind)

    context["generate_toctree_html"] = generate_toctree_html
    context["generate_toc_html"] = generate_toc_html
    if context.get("theme_secondary_sidebar_items") in PAGE_TOC_ONLY:
        # the theme would render the page's contents once to see whether they are empty, and
        # again for the page: empty is what that template tests (`page_toc | length >= 1`)
        del context["theme_secondary_sidebar_items"]
        context["secondary_sidebar_items"] = [PAGE_TOC] if len(generate_toc_html()) >= 1 else []


def follow_the_theme(app: Sphinx) -> None:
    """``builder-inited`` (the theme has connected its handlers): :func:`install` runs right
    after the theme's ``add_toctree_functions``, at its priority, so that the theme's next
    handler, which renders templates to drop the empty ones, already calls ours."""
    try:
        from pydata_sphinx_theme.toctree import add_toctree_functions
    except ImportError:
        return
    listeners = app.events.listeners["html-page-context"]
    theirs = next((i for i, listener in enumerate(listeners) if listener.handler is add_toctree_functions), None)
    if theirs is None:  # a theme of another family
        return
    app.connect("html-page-context", install, priority=listeners[theirs].priority)
    listeners.insert(theirs + 1, listeners.pop())


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", follow_the_theme)
    # the shaped sidebars are kept with the trees they are made from, and forgotten with them
    # (connected here too: this module also serves as an extension of its own)
    app.connect("env-updated", forget)
