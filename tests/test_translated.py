"""Translated messages are parsed once, plain text not at all (curriculum.sphinxext.translated),
and the Arabic edition read that way is the one Sphinx reads parsing every message twice: same
doctrees (nodes, attributes, text, source text, places), same pages."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.transforms import i18n
from sphinx.util.docutils import docutils_namespace

from curriculum import sphinxrun
from curriculum.sphinxext import translated

from .conftest import copy_sample

pytestmark = pytest.mark.slow


def read_arabic(project: Path, out: Path) -> None:
    with docutils_namespace():
        assert sphinxrun.run(project, "ar", "participant", "html", out, out / ".doctrees") == []


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


def test_each_message_is_parsed_at_most_once_and_read_as_sphinx_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_sample(tmp_path / "sample")
    (project / "_build").mkdir()
    read_arabic(project, tmp_path / "warm")  # our extension loaded: its wrapper is in place
    upstream: Callable[..., Any] = i18n._publish_msgstr.upstream  # type: ignore[attr-defined]
    parses: list[str] = []

    def counted(source: str, *args: Any, **options: Any) -> Any:
        parses.append(source)
        return upstream(source, *args, **options)

    monkeypatch.setattr(i18n, "_publish_msgstr", counted)
    monkeypatch.setattr(translated, "setup", lambda app: None)
    read_arabic(project, tmp_path / "twice")
    twice, messages = len(parses), set(parses)
    monkeypatch.undo()
    monkeypatch.setattr(i18n, "_publish_msgstr", translated.parse_once(counted))
    parses.clear()
    read_arabic(project, tmp_path / "once")

    # once at most, and plain sentences not at all
    assert twice > 100 and len(parses) < 0.4 * twice, (len(parses), twice)
    assert any(translated.MARKUP.search(message) is None for message in messages), "no plain message"
    assert doctrees(tmp_path / "once") == doctrees(tmp_path / "twice")
    pages = sorted(p.relative_to(tmp_path / "twice") for p in (tmp_path / "twice").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert (tmp_path / "once" / page).read_bytes() == (tmp_path / "twice" / page).read_bytes(), page
