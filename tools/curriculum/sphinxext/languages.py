"""Languages on the site: ``dir="rtl"`` for right-to-left pages and a language switch.

Sphinx writes ``lang`` but never ``dir``, and the themes have no right-to-left
styles: we set ``dir`` on ``<html>`` after writing, and every page gets a plain
link (no JavaScript) to the same page in each other language of the site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform

from .i18n import direction

SOURCE_LANGUAGE = "en"

NAMES = {"en": "English", "ar": "العربية", "fr": "Français"}
FONTS = Path(__file__).parent.parent / "fonts"
TEMPLATES = Path(__file__).parent.parent / "templates"


def language_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Links to this page in each other language, for the ``language-switch.html`` component."""
    current = app.config.language or SOURCE_LANGUAGE
    up = "../" * (pagename.count("/") + 1)
    context["curriculum_language_links"] = [
        {"lang": lang, "dir": direction(lang), "name": NAMES.get(lang, lang), "href": f"{up}{lang}/{pagename}.html"}
        for lang in app.config.curriculum_languages if lang != current
    ]
    if app.config.html_theme != "sphinx_book_theme" and "body" in context and app.builder.name != "handbook-pdf":
        switch = app.builder.templates.render("language-switch.html", context)
        context["body"] = switch + context["body"]


def add_switch_to_header(app: Sphinx, config: Config) -> None:
    """Show the switch at the top of every article, search and index pages included.

    With sphinx-book-theme it is a header component; other themes get it at the top
    of the page body (see :func:`language_links`).
    """
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    if config.html_theme != "sphinx_book_theme":
        return
    options = dict(config.html_theme_options)
    options["article_header_end"] = ["language-switch.html", *options.get("article_header_end", ["article-header-buttons.html"])]
    config.html_theme_options = options


class MarkUntranslated(SphinxTransform):
    """Mark text left in the source language, so it is announced and laid out as English.

    The class ``language-en`` becomes ``lang="en"`` in HTML; the stylesheets set
    such blocks left to right inside a right-to-left page.
    """

    default_priority = 951  # after Sphinx's Locale (20) and AddTranslationClasses (950)

    def apply(self, **kwargs: object) -> None:
        if (self.config.language or SOURCE_LANGUAGE) == SOURCE_LANGUAGE:
            return
        for node in self.document.findall(nodes.Element):
            if node.get("translated") is False and isinstance(node, (nodes.TextElement, nodes.term)):
                node["classes"] += ["untranslated", f"language-{SOURCE_LANGUAGE}"]


def set_direction(app: Sphinx, exception: Exception | None) -> None:
    """Add ``dir="rtl"`` to every written page of a right-to-left build."""
    if exception or app.builder.format != "html" or direction(app.config.language) != "rtl":
        return
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "<html" in html and ' dir="' not in html.split(">", 2)[1][:400]:
            page.write_text(html.replace("<html", '<html dir="rtl"', 1), encoding="utf-8")


def add_fonts(app: Sphinx) -> None:
    """Ship the Arabic book face with the site, so readers without it still read correctly."""
    fonts = [str(FONTS / name) for name in ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf")]
    app.config.html_static_path = [*app.config.html_static_path, *fonts]


def setup(app: Sphinx) -> None:
    app.add_transform(MarkUntranslated)
    app.connect("builder-inited", add_fonts)
    app.connect("config-inited", add_switch_to_header)
    app.connect("html-page-context", language_links)
    app.connect("build-finished", set_direction)
