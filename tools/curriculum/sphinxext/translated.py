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
the text, placed at line 1 of the message; so does :func:`paragraph`, without the parser
(unless a curriculum's ``conf.py`` turns on a MyST extension that changes plain text).
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.utils import new_document
from sphinx.application import Sphinx
from sphinx.transforms import i18n

from ..sphinxconf import MYST_EXTENSIONS

Key = tuple[int, str, str, int]

#: What may start a Markdown block (a list item, a quote, a heading, a fence, a definition...)
#: or mean something inline (emphasis, code, links, roles, attributes, substitutions, entities,
#: HTML, escapes, breaks); a message with none of it is plain text.
MARKUP = re.compile(r"[\\`*_\[\]{}<>#|~&$=!\n\r\t]|^[\s+\-:]|^\d+[.)]|\s\s|\s$")


def paragraph(source: str, source_path: str, source_line: int, settings: Any) -> nodes.Element:
    """What MyST-Parser makes of plain text: a paragraph of the text, both placed at line 1."""
    document = new_document(f"{source_path}:{source_line}:<translated>", settings)
    text = nodes.Text(source)
    node = nodes.paragraph(source, "", text)
    for placed in (node, text):
        placed.source, placed.line = document["source"], 1
    document += node
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
        if MARKUP.search(source) is None and "settings" in options and plain_stays_plain(options.get("env")):
            patch = paragraph(source, source_path, source_line, options["settings"])
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


def setup(app: Sphinx) -> None:
    # Sphinx's private function, looked up by name when the transform runs; left alone when
    # a Sphinx without it is installed (translations are then parsed twice, as upstream)
    publish = getattr(i18n, "_publish_msgstr", None)
    if callable(publish) and not hasattr(publish, "upstream"):
        i18n._publish_msgstr = parse_once(publish)
