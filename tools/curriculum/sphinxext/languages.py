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

from ..paths import TEMPLATES_DIR
from ..project import direction, language_name
from .i18n import _


def source_language(config: Config) -> str:
    return (config.curriculum_languages or [config.language or "en"])[0]


def language_links(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Links to this page in each other language, for the ``language-switch.html`` component."""
    current = app.config.language or source_language(app.config)
    up = "../" * (pagename.count("/") + 1)
    context["curriculum_language_name"] = language_name(current)
    context["curriculum_language_label"] = _("Language")  # the switch's name, in the page's language
    context["curriculum_language_links"] = [
        {"lang": lang, "dir": direction(lang), "name": language_name(lang), "href": f"{up}{lang}/{pagename}.html"}
        for lang in app.config.curriculum_languages
        if lang != current
    ]
    if app.config.html_theme != "sphinx_book_theme" and "body" in context and app.builder.name != "handbook-pdf":
        switch = app.builder.templates.render("language-switch.html", context)
        context["body"] = switch + context["body"]


def add_switch_to_header(app: Sphinx, config: Config) -> None:
    """Show the switch at the top of every article, search and index pages included.

    With sphinx-book-theme it is a header component; other themes get it at the top
    of the page body (see :func:`language_links`).
    """
    config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]
    if config.html_theme != "sphinx_book_theme":
        return
    options = dict(config.html_theme_options)
    options["article_header_end"] = [
        "language-switch.html",
        *options.get("article_header_end", ["article-header-buttons.html"]),
    ]
    config.html_theme_options = options


class MarkUntranslated(SphinxTransform):
    """Mark text left in the source language, so it is announced and laid out as English.

    The class ``language-en`` becomes ``lang="en"`` in HTML; the stylesheets set
    such blocks left to right inside a right-to-left page.
    """

    default_priority = 951  # after Sphinx's Locale (20) and AddTranslationClasses (950)

    def apply(self, **kwargs: object) -> None:
        source = source_language(self.config)
        if (self.config.language or source) == source:
            return
        for node in self.document.findall(nodes.Element):
            if node.get("translated") is False and isinstance(node, (nodes.TextElement, nodes.term)):
                node["classes"] += ["untranslated", f"language-{source}"]


def set_direction(app: Sphinx, exception: Exception | None) -> None:
    """Add ``dir="rtl"`` to every written page of a right-to-left build."""
    if exception or app.builder.format != "html" or direction(app.config.language) != "rtl":
        return
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "<html" in html and ' dir="' not in html.split(">", 2)[1][:400]:
            page.write_text(html.replace("<html", '<html dir="rtl"', 1), encoding="utf-8")


def favicon_link(app: Sphinx, prefix: str) -> str:
    """``<link rel="icon">`` for a page the theme does not write (else browsers ask for /favicon.ico)."""
    favicon = app.config.html_favicon
    return f'<link rel="icon" href="{prefix}{Path(favicon).name}">' if favicon else ""


def write_start_page(app: Sphinx, exception: Exception | None) -> None:
    """``<lang>/index.html``: an exact redirect to the start page when that lives deeper."""
    root_doc = app.config.root_doc
    if exception or app.builder.format != "html" or root_doc == "index" or app.builder.name == "singlehtml":
        return
    target = f"{root_doc}.html"
    language = app.config.language or "en"
    others = "".join(
        f'<a href="../{lang}/index.html" hreflang="{lang}" lang="{lang}" dir="{direction(lang)}">'
        f"{language_name(lang)}</a> "
        for lang in app.config.curriculum_languages
        if lang != language
    )
    label = _("Language")
    switch = f'<nav class="language-switch" aria-label="{label}">{others.strip()}</nav>' if others else ""
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}" dir="{direction(language)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}"><link rel="canonical" href="{target}">'
        f"{favicon_link(app, '_static/')}"
        f"<title>{app.config.html_title or app.config.project}</title></head>"
        f'<body><p><a href="{target}">{app.config.html_title or app.config.project}</a></p>{switch}</body></html>\n'
    )
    Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_transform(MarkUntranslated)
    app.connect("config-inited", add_switch_to_header)
    app.connect("html-page-context", language_links)
    app.connect("build-finished", set_direction)
    app.connect("build-finished", write_start_page)
