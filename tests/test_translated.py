"""Translated messages are parsed once, plain text not at all, and documents searched once for
targets naming a title (curriculum.sphinxext.translated); the Arabic edition read that way is the
one Sphinx reads parsing every message twice: same doctrees (nodes, attributes, text, source
text, places), same pages."""

from __future__ import annotations

import io
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.transforms import i18n
from sphinx.util.docutils import docutils_namespace

from curriculum.sphinxconf import MYST_EXTENSIONS
from curriculum.sphinxext import translated
from curriculum.sphinxrun import make_app

from .conftest import copy_sample

pytestmark = pytest.mark.slow


def read_arabic(project: Path, out: Path, extra: tuple[str, ...]) -> None:
    """Read the Arabic participant site, with ``extra`` MyST extensions on (a ``conf.py`` may add some)."""
    warnings = io.StringIO()
    with docutils_namespace():
        app = make_app(
            project,
            "ar",
            "participant",
            "html",
            out,
            out / ".doctrees",
            warning=warnings,
            overrides={"myst_enable_extensions": [*MYST_EXTENSIONS, *extra]},
        )
        app.build()
    assert app.statuscode == 0, warnings.getvalue()


def quote_a_plain_message(project: Path) -> str:
    """Give a plain message quotes and a double dash, which smart quotes and typographic
    replacements change; returns the new translation."""
    for po in sorted((project / "locales" / "ar").rglob("*.po")):
        text = po.read_text(encoding="utf-8")
        for old in re.findall(r'^msgstr "([^"\\]{20,})"$', text, flags=re.MULTILINE):
            if translated.MARKUP.search(old) is None:
                po_text = f'{old} \\"مقتبس\\" -- هنا'  # as a .po file writes it: quotes escaped
                po.write_text(text.replace(f'msgstr "{old}"', f'msgstr "{po_text}"', 1), encoding="utf-8")
                return f'{old} "مقتبس" -- هنا'
    raise AssertionError("the sample has no plain one-line translation")


def doctrees(out: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every node of every document: its kind, attributes, text, source text and place."""
    trees = {}
    for path in sorted((out / ".doctrees").rglob("*.doctree")):
        tree = pickle.loads(path.read_bytes())
        trees[path.stem] = [
            (
                type(n).__name__,
                getattr(n, "attributes", None),
                n.astext(),
                getattr(n, "rawsource", None),
                n.source,
                n.line,
            )
            for n in tree.findall()
        ]
    return trees


def foreign_nodes(out: Path) -> int:
    """How many nodes of the saved doctrees belong to another document than their page's (a
    translated message's, pickled with the page)."""
    count = 0
    for path in (out / ".doctrees").rglob("*.doctree"):
        tree = pickle.loads(path.read_bytes())
        count += sum(1 for n in tree.findall() if getattr(n, "_document", tree) not in (None, tree))
    return count


@pytest.mark.parametrize("extra", [(), ("smartquotes", "replacements")], ids=["builder's syntax", "text-changing"])
def test_each_message_is_parsed_at_most_once_and_read_as_sphinx_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: tuple[str, ...]
) -> None:
    project = copy_sample(tmp_path / "sample")
    quoted = quote_a_plain_message(project)
    (project / "_build").mkdir()
    read_arabic(project, tmp_path / "warm", extra)  # our extension loaded: its wrapper is in place
    upstream: Callable[..., Any] = i18n._publish_msgstr.upstream  # type: ignore[attr-defined]
    parses: list[str] = []

    def counted(source: str, *args: Any, **options: Any) -> Any:
        parses.append(source)
        return upstream(source, *args, **options)

    monkeypatch.setattr(i18n, "_publish_msgstr", counted)
    title_mapping = i18n._NodeUpdater.update_title_mapping
    monkeypatch.setattr(i18n._NodeUpdater, "update_title_mapping", title_mapping.upstream)  # type: ignore[attr-defined]
    monkeypatch.setattr(translated, "setup", lambda app: None)
    read_arabic(project, tmp_path / "twice", extra)
    twice, messages = len(parses), set(parses)
    monkeypatch.undo()
    monkeypatch.setattr(i18n, "_publish_msgstr", translated.parse_once(counted))
    parses.clear()
    read_arabic(project, tmp_path / "once", extra)

    assert doctrees(tmp_path / "once") == doctrees(tmp_path / "twice")
    # the translations' nodes belong to their page (upstream, to the message's own document)
    assert foreign_nodes(tmp_path / "twice") > 100 and foreign_nodes(tmp_path / "once") == 0
    # once at most, and plain sentences not at all unless an extension may change them
    assert twice > 100 and len(parses) < (0.6 if extra else 0.4) * twice, (len(parses), twice)
    assert quoted in messages and (quoted in parses) == bool(extra)
    pages = sorted(p.relative_to(tmp_path / "twice") for p in (tmp_path / "twice").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert (tmp_path / "once" / page).read_bytes() == (tmp_path / "twice" / page).read_bytes(), page
