"""Translated section titles rename the targets that refer to them, as Sphinx does, without
searching a document that holds none (curriculum.sphinxext.translated.search_named_targets_once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx.transforms import i18n

from curriculum.sphinxext.translated import search_named_targets_once

#: Sphinx's own, whether or not a build in this process has wrapped it
UPSTREAM: Callable[[Any], bool] = getattr(
    i18n._NodeUpdater.update_title_mapping, "upstream", i18n._NodeUpdater.update_title_mapping
)


def translate_titles(update: Callable[[Any], bool], named: bool, patched_in: bool) -> str:
    """Two sections, their titles translated in turn, as the Locale transform's first pass does;
    ``named``: a target refers to the second title by name; ``patched_in``: the first title's
    translation brings one."""
    document = new_document("chapter.md", get_default_settings(Parser))
    titles = []
    for name in ("First", "Second"):
        section = nodes.section()
        title = nodes.title(name, name)
        section += title
        document += section
        document.note_implicit_target(section)
        titles.append(title)
    if named:
        document += nodes.paragraph("", "", nodes.target("", "", refname="second"))
    for title, translation in zip(titles, ("Premier", "Deuxième"), strict=True):
        patch = nodes.paragraph(translation, translation)
        if patched_in and title is titles[0]:
            patch += nodes.target("", "", refname="second")
        updater = i18n._NodeUpdater(title, patch, document, noqa=False)
        if update(updater):
            updater.update_leaves()
    return document.pformat() + repr(sorted(document.nameids.items()))


@pytest.mark.parametrize(
    ("named", "patched_in"),
    [(False, False), (True, False), (False, True)],
    ids=["none", "in the source", "translated in"],
)
def test_titles_are_mapped_as_sphinx_maps_them(named: bool, patched_in: bool) -> None:
    ours = translate_titles(search_named_targets_once(UPSTREAM), named, patched_in)
    assert ours == translate_titles(UPSTREAM, named, patched_in)
    assert ('refname="deuxième"' in ours) == (named or patched_in)


def test_a_document_without_named_targets_is_searched_once(monkeypatch: pytest.MonkeyPatch) -> None:
    searches: list[object] = []
    findall = nodes.Node.findall

    def counted(self: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        if isinstance(self, nodes.document):
            searches.append(args)
        return findall(self, *args, **kwargs)

    monkeypatch.setattr(nodes.Node, "findall", counted)
    translate_titles(search_named_targets_once(UPSTREAM), named=False, patched_in=False)
    assert len(searches) == 1
    searches.clear()
    translate_titles(UPSTREAM, named=False, patched_in=False)
    assert len(searches) == 2  # upstream: once per title
