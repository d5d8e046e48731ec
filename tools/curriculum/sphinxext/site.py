"""A clean site page: one search entry point, a favicon, a description and a valid theme mode
(the static files it takes: :mod:`curriculum.sphinxext.assets`).

- sphinx-book-theme puts a search field in the primary sidebar and a search button in the
  article header (pydata-sphinx-theme adds its own in the narrow-screen navbar): the
  sidebar's goes, so every width shows one way to search, the header button.
- A favicon: the curriculum's logo when it is an image a browser takes as an icon, else the
  builder's own ``favicon.svg`` (without one, every page asks for ``/favicon.ico`` and gets a 404).
- ``<meta name="description">``: the page's first paragraph, or the book's subtitle.
- pydata-sphinx-theme reads the colour mode from ``html_context["default_mode"]``; left unset it
  writes ``data-default-mode=""`` and logs "Got invalid theme mode" in every page's console.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docutils import nodes
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, Template
from markupsafe import Markup, escape
from sphinx.application import Sphinx
from sphinx.config import Config

from ..paths import FAVICON, ICON_SUFFIXES, user_cache

#: The theme's sidebar without its search field (sphinx-book-theme's ``sidebars`` less one).
SIDEBAR = ["navbar-logo.html", "icon-links.html", "sbt-sidebar-nav.html"]
DESCRIPTION_LENGTH = 160
THEMES = {"sphinx_book_theme", "pydata_sphinx_theme"}


def configure(app: Sphinx, config: Config) -> None:
    """Favicon, sidebar and colour mode, unless the curriculum's ``conf.py`` chose its own."""
    if not config.html_favicon:
        logo = Path(config.curriculum_logo) if config.curriculum_logo else None
        config.html_favicon = str(logo if logo is not None and logo.suffix.lower() in ICON_SUFFIXES else FAVICON)
    if config.html_theme == "sphinx_book_theme" and not config.html_sidebars:
        config.html_sidebars = {"**": list(SIDEBAR)}
    if config.html_theme in THEMES:
        config.html_context = {"default_mode": "auto", **config.html_context}
    if config.html_theme == "sphinx_book_theme":
        # what the theme adds when the builder starts, after Sphinx has compared this configuration
        # with the last build's: added here too, a build with nothing new reads as unchanged
        theme = package_dir("sphinx_book_theme") / "theme" / "sphinx_book_theme" / "components"
        base = package_dir("pydata_sphinx_theme") / "theme" / "pydata_sphinx_theme" / "components"
        config.templates_path = [*config.templates_path, str(theme), str(base)]
        defaults = {"icon_links": [], "logo": {}, "navbar_persistent": ["search-button-field"]}
        config.html_theme_options = {**defaults, **config.html_theme_options}


def package_dir(name: str) -> Path:
    """Where an installed package lives, without importing it (the PDF builds never need the themes)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(name)
    return Path(next(iter(spec.submodule_search_locations)))


def drop_repeated_template_folders(app: Sphinx) -> None:
    """The theme appends its folders again when the builder starts: keep each once, in order."""
    unique = list(dict.fromkeys(app.config.templates_path))
    app.config.templates_path[:] = unique


def description(doctree: nodes.document | None, fallback: str) -> str:
    """The first paragraph of the page's text, shortened at a word; else ``fallback``."""
    if doctree is not None:
        for paragraph in doctree.findall(nodes.paragraph):
            if not isinstance(paragraph.parent, (nodes.section, nodes.document)):
                continue  # the running text only: not outcomes, notes, lists or tables
            text = " ".join(paragraph.astext().split())
            if len(text) >= 20:
                return shorten(text)
    return shorten(" ".join(fallback.split()))


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    cut = re.sub(r"\s+\S*$", "", cut) or cut
    return cut.rstrip(" ,;:") + "…"


def add_description(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.format != "html" or app.builder.name == "handbook-pdf":
        return
    fallback = app.config.curriculum_subtitle or app.config.html_title or app.config.project
    text = description(doctree, fallback)
    context["metatags"] = Markup(context.get("metatags", "")) + Markup(
        f'\n    <meta name="description" content="{escape(text)}" />'
    )
    context.setdefault("default_mode", "auto")


#: Where the compiled templates are kept when the user's cache cannot be written.
TEMPLATE_CACHE_DIR = "_build/.cache/templates"


def cache_compiled_templates(app: Sphinx) -> None:
    """Keep the themes' compiled Jinja templates between builds, as Python keeps bytecode: each
    build is a new process, and compiling them takes 0.15 to 0.2 s of every site's first
    page, cold builds included. They are derived from installed files only, and each is keyed by
    its file and checked against its text (and written whole), so every site of every project
    shares them, in the user's cache (:func:`curriculum.paths.user_cache`)."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is not None:
        folder = user_cache("templates")
        if folder is None:
            folder = Path(app.srcdir) / TEMPLATE_CACHE_DIR
            folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
        environment.from_string = kept_from_string(environment, environment.bytecode_cache)


def kept_from_string(environment: Environment, cache: BytecodeCache) -> Callable[..., Template]:
    """``environment.from_string`` keeping what it compiles in ``cache`` too: Sphinx renders
    the static files' templates (``*_t``: the search and language scripts, ``basic.css``) from
    their text at every build, a compile each."""
    upstream = environment.from_string

    def from_string(source: Any, globals: Any = None, template_class: Any = None) -> Template:
        if not isinstance(source, str) or template_class is not None:
            return upstream(source, globals, template_class)
        # keyed by the text itself (it has no file), and checked against it as a file's is
        bucket = cache.get_bucket(environment, "<string>", hashlib.sha256(source.encode()).hexdigest(), source)
        if bucket.code is None:
            bucket.code = environment.compile(source)
            cache.set_bucket(bucket)
        return environment.template_class.from_code(environment, bucket.code, environment.make_globals(globals), None)

    return from_string


def setup(app: Sphinx) -> None:
    app.connect("config-inited", configure, priority=600)
    app.connect("builder-inited", cache_compiled_templates)
    app.connect("builder-inited", drop_repeated_template_folders, priority=900)  # after the theme's
    app.connect("html-page-context", add_description)
