"""The theme's "does this template render empty?" check is left out for templates that always
write markup (curriculum.sphinxext.templates): the same pages, each such template rendered once."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment
from pydata_sphinx_theme import utils
from sphinx.testing.util import SphinxTestApp

from curriculum.sphinxext import templates
from curriculum.sphinxext.templates import writes_markup

ROOT = Path(__file__).parent / "roots" / "test-toctree"


@pytest.mark.parametrize(
    ("source", "always"),
    [
        ('<nav class="links">{{ items }}</nav>', True),
        ('{% from "m.html" import f with context %}\n<div>{{ f() }}</div>', True),
        ("{% if items %}<ul>{{ items }}</ul>{% endif %}", False),
        ("{% for item in items %}<li>{{ item }}</li>{% endfor %}", False),
        ("  \n{{ items }}\n", False),
        ('{% extends "base.html" %}<p>ignored</p>', False),
        ("{% if %}", False),  # a template that does not parse is checked as the theme checks it
    ],
)
def test_a_template_always_writes_markup_only_when_its_top_level_does(source: str, always: bool) -> None:
    environment = Environment(loader=DictLoader({"t.html": source, "m.html": "", "base.html": ""}))
    assert writes_markup(environment, "t.html") is always
    assert writes_markup(environment, "missing.html") is False


def build(tmp_path: Path, name: str) -> tuple[dict[str, bytes], Counter[str]]:
    """The fixture site's pages, and how often each template was rendered on its own (the
    empty checks: a page includes its templates in its own render)."""
    source = shutil.copytree(ROOT, tmp_path / name)
    app = SphinxTestApp("html", srcdir=source, confoverrides={"extensions": ["curriculum.sphinxext.templates"]})
    renders: Counter[str] = Counter()
    try:
        render = app.builder.templates.render

        def counted(template: str, context: Any) -> str:
            renders[template] += 1
            return render(template, context)

        app.builder.templates.render = counted  # type: ignore[method-assign]
        app.build()
        assert not app.warning.getvalue().strip(), app.warning.getvalue()
    finally:
        app.cleanup()
    pages = {str(p.relative_to(app.outdir)): p.read_bytes() for p in sorted(Path(app.outdir).rglob("*.html"))}
    return pages, renders


def test_pages_are_the_themes_with_fewer_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ours, our_renders = build(tmp_path, "ours")
    check = utils._update_and_remove_templates
    monkeypatch.setattr(utils, "_update_and_remove_templates", getattr(check, "upstream", check))
    monkeypatch.setattr(templates, "setup", lambda app: None)
    theirs, their_renders = build(tmp_path, "theirs")
    assert len(ours) > 5 and ours == theirs
    pages = len(ours)
    # the book's sidebar and the article's header buttons: checked by the theme on every page
    for template in ("sbt-sidebar-nav.html", "article-header-buttons.html"):
        assert our_renders[template] == 0 and their_renders[template] >= pages - 2, template
    # a template that may render empty is still checked
    assert our_renders["icon-links.html"] == their_renders["icon-links.html"] > 0
