"""Each translated message parsed once, not twice, and plain text not parsed at all.

Sphinx's ``Locale`` transform puts the curriculum's translations in place in two passes over
a document's messages: the first parses every message to find the section titles, the second
parses every message that was not a title again, with the same text at the same place. With
MyST-Parser a parse is a whole Markdown document for one paragraph; the second parse was
about a quarter of reading the Arabic edition.

Here a copy of the parser's result for a message is kept while its document is read, and
the second pass is given it. A message is keyed by its text, its place (file and line) and the
environment it is read into; a message whose translation changed is a new key.

Most translations are a sentence of plain text (two in three of the Arabic edition's): no
character Markdown gives a meaning to. MyST-Parser makes such a message one paragraph holding
the text, placed at line 1 of the message; so does :func:`paragraph`, without the parser and
without a document around it (unless a curriculum's ``conf.py`` turns on a MyST extension that
changes plain text).

The nodes of a translation are made in a document of their own, and each keeps a reference to
it when it is put in the page's: every one of those documents was pickled with the page's
doctree (an Arabic page's was about five times its English one's, and as slow to save and load).
They are handed to the page's document once translated (:class:`AdoptTranslations`).

For each translated section title, Sphinx then searches the whole document for targets that
name the title by its old name (reStructuredText's ``Title_``) to rename them: a title times a
document, a tenth of reading the Arabic edition. MyST-Parser makes no such targets, so a
document found to hold none is not searched again (:func:`search_named_targets_once`).
"""

from __future__ import annotations

import contextlib
import re
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform, i18n

from ..sphinxconf import MYST_EXTENSIONS

Key = tuple[int, str, str, int]

#: What may start a Markdown block (a list item, a quote, a heading, a fence, a definition...)
#: or mean something inline (emphasis, code, links, roles, attributes, substitutions, entities,
#: HTML, escapes, breaks); a message with none of it is plain text.
MARKUP = re.compile(r"[\\`*_\[\]{}<>#|~&$=!\n\r\t]|^[\s+\-:]|^\d+[.)]|\s\s|\s$")


def paragraph(source: str, source_path: str, source_line: int) -> nodes.Element:
    """What MyST-Parser makes of plain text: a paragraph of the text, both placed at line 1 of
    the message (without the document MyST-Parser's is made in: the page adopts its nodes)."""
    text = nodes.Text(source)
    node = nodes.paragraph(source, "", text)
    for placed in (node, text):
        placed.source, placed.line = f"{source_path}:{source_line}:<translated>", 1
    return node


def plain_stays_plain(env: Any) -> bool:
    """Whether MyST-Parser leaves plain text as it is: only the builder's own syntax extensions
    are on (a curriculum's ``conf.py`` may add ones that change text: smart quotes, typographic
    replacements, bare links made links)."""
    enabled = getattr(getattr(env, "myst_config", None), "enable_extensions", None)
    return enabled is not None and set(enabled) <= set(MYST_EXTENSIONS)


def parse_once(publish: Any) -> Any:
    """``publish`` (Sphinx's ``_publish_msgstr``) remembering the current document's results."""
    kept: dict[Key, nodes.Element] = {}

    def publish_msgstr(source: str, source_path: str, source_line: int, **options: Any) -> nodes.Element:
        key = (id(options.get("env")), source_path, source, source_line)
        if kept and next(iter(kept))[:2] != key[:2]:  # another document: forget the last one's
            kept.clear()
        if (copy := kept.pop(key, None)) is not None:
            return copy
        if MARKUP.search(source) is None and plain_stays_plain(options.get("env")):
            patch = paragraph(source, source_path, source_line)
        else:
            patch = publish(source, source_path, source_line, **options)
        kept[key] = twin(patch)  # for the second pass: the first may move nodes out of its own
        return patch

    publish_msgstr.upstream = publish  # type: ignore[attr-defined]
    return publish_msgstr


def twin(node: nodes.Element) -> nodes.Element:
    """A deep copy of ``node``, its text nodes' places too (warnings about them are located)."""
    copy = node.deepcopy()
    for original, copied in zip(node.findall(nodes.Text), copy.findall(nodes.Text), strict=True):
        copied.source, copied.line = original.source, original.line
    return copy


class AdoptTranslations(SphinxTransform):
    """Nodes a translation put in the document belong to it, not to the document their
    message was parsed in."""

    default_priority = i18n.Locale.default_priority + 1  # as soon as the translations are in

    def apply(self, **kwargs: Any) -> None:
        if self.config.language == self.config.curriculum_languages[0]:
            return  # the source language: nothing was translated
        document = self.document
        for node in document.findall():
            if getattr(node, "_document", document) not in (None, document):
                node.document = document


def names_targets(node: nodes.Node) -> bool:
    """Whether ``node`` holds a target referring to a name (``refname``)."""
    return any("refname" in target for target in node.findall(nodes.target))


class _NoTargets:
    """A search for targets in a document known to hold none that refer to a name."""

    def findall(self, node: nodes.Node) -> Iterator[nodes.Node]:
        return iter(())


@contextlib.contextmanager
def _targets_not_searched() -> Iterator[None]:
    matcher = i18n.NodeMatcher

    def matching(*classes: Any, **attributes: Any) -> Any:
        if classes == (nodes.target,) and set(attributes) == {"refname"}:
            return _NoTargets()
        return matcher(*classes, **attributes)

    i18n.NodeMatcher = matching  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        i18n.NodeMatcher = matcher  # type: ignore[misc]


def search_named_targets_once(update: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """``update`` (Sphinx's ``_NodeUpdater.update_title_mapping``) searching a document for
    targets that refer to a name only while it may hold one: it is searched once, and the
    translated titles put in it are looked at as they come."""
    named: weakref.WeakKeyDictionary[nodes.document, bool] = weakref.WeakKeyDictionary()

    def update_title_mapping(self: Any) -> bool:
        document = self.document
        if document not in named:
            named[document] = names_targets(document)
        if named[document]:
            return update(self)
        with _targets_not_searched():
            processed = update(self)
        if processed and names_targets(self.patch):  # the patch's nodes go into the document
            named[document] = True
        return processed

    update_title_mapping.upstream = update  # type: ignore[attr-defined]
    return update_title_mapping


def setup(app: Sphinx) -> None:
    app.add_transform(AdoptTranslations)
    # Sphinx's private functions, looked up by name when the transform runs; left alone when
    # a Sphinx without them is installed (it then works as upstream)
    publish = getattr(i18n, "_publish_msgstr", None)
    if callable(publish) and not hasattr(publish, "upstream"):
        i18n._publish_msgstr = parse_once(publish)
    updater = getattr(i18n, "_NodeUpdater", None)
    update = getattr(updater, "update_title_mapping", None)
    if callable(update) and hasattr(i18n, "NodeMatcher") and not hasattr(update, "upstream"):
        updater.update_title_mapping = search_named_targets_once(update)  # type: ignore[union-attr]
