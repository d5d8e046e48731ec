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
from sphinx.transforms import SphinxTransform

from .i18n import direction

SOURCE_LANGUAGE = "en"

NAMES = {"en": "English", "ar": "العربية", "fr": "Français"}
FONTS = Path(__file__).parent.parent / "fonts"


def language_switch(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Put a link to this page in each other language at the top of the page body."""
    if app.builder.format != "html" or "body" not in context or app.builder.name == "handbook-pdf":
        return
    current = app.config.language or "en"
    up = "../" * (pagename.count("/") + 1)
    links = [
        f'<a href="{up}{lang}/{pagename}.html" hreflang="{lang}" lang="{lang}" dir="{direction(lang)}">{NAMES.get(lang, lang)}</a>'
        for lang in app.config.curriculum_languages if lang != current
    ]
    if links:
        label = NAMES.get(current, current)
        context["body"] = (
            f'<nav class="language-switch" aria-label="Language / اللغة">{" · ".join(links)}</nav>\n'
            + context["body"]
        )
        context["curriculum_language"] = label


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
    app.connect("html-page-context", language_switch)
    app.connect("build-finished", set_direction)
