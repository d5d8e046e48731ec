"""The located markup of a document: links, images, roles, raw HTML, directives, targets.

The model gives block tokens with line ranges; this module finds the exact line and
column of each inline element inside them, and reads the MyST content of directives
such as ``{note}`` or ``{trainer-note}`` with the same parser Sphinx uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token

from ..model import DIRECTIVE, Document, split_options
from ..source import markdown_parser

#: Directives whose content is MyST Markdown, parsed again for the rules.
MYST_CONTENT = frozenset(
    {
        "trainer-note",
        "note",
        "tip",
        "hint",
        "important",
        "warning",
        "caution",
        "attention",
        "danger",
        "error",
        "seealso",
        "admonition",
        "topic",
        "sidebar",
        "epigraph",
        "pull-quote",
        "highlights",
        "container",
        "div",
        "margin",
        "dropdown",
        "figure",
        "table",
        "list-table",
        "card",
        "tab-item",
        "tab-set",
        "grid-item-card",
        "versionadded",
        "versionchanged",
        "deprecated",
        "rubric",
        "slide",
    }
)
MAX_DEPTH = 8
#: Markup that may stand between two pieces of inline text in the source.
SKIPPABLE = " \t>*_~`[]-+.)0123456789|"


@dataclass(frozen=True)
class Element:
    """A piece of markup the rules look at, at its 1-based line and column.

    ``kind`` is ``link``, ``image``, ``role``, ``html``, ``directive`` or ``target``;
    ``name`` is the role or directive name (``autolink`` for ``<https://...>`` links);
    ``target`` the link's href, image source, role content, directive argument or label;
    ``text`` the link text, image alt text or directive body.
    """

    kind: str
    line: int
    column: int
    name: str = ""
    target: str = ""
    text: str = ""
    options: dict[str, str] = field(default_factory=dict)
    body_line: int = 0  # for directives: the line where the content (``text``) starts

    @property
    def position(self) -> tuple[int, int]:
        return self.line, self.column


class _Walker:
    """Walks block tokens, locating inline children in the file's own lines."""

    def __init__(self, lines: list[str], parse: Callable[[str], list[Token]]) -> None:
        self.lines = lines
        self.parse = parse
        self.elements: list[Element] = []
        self.cursors: dict[int, int] = {}  # 0-based line -> column already consumed

    def source(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def indent(self, index: int, marker: str = "") -> int:
        line = self.source(index)
        found = line.find(marker) if marker else -1
        return found + 1 if found >= 0 else len(line) - len(line.lstrip()) + 1

    def blocks(self, tokens: list[Token], offset: int = 0, depth: int = 0) -> None:
        for token in tokens:
            if token.map is None:
                continue
            first = token.map[0] + offset
            if token.type == "inline":
                self.inline(token, first)
            elif token.type == "html_block":
                self.elements.append(Element("html", first + 1, self.indent(first), text=token.content))
            elif token.type == "myst_target":
                self.elements.append(Element("target", first + 1, self.indent(first), target=token.content))
            elif token.type in {"fence", "colon_fence"} and (match := DIRECTIVE.match(token.info.strip())):
                self.directive(token, match[1], match[2], first, depth)

    def directive(self, token: Token, name: str, argument: str, first: int, depth: int) -> None:
        options, content, used = split_options(token.content)
        self.elements.append(
            Element(
                "directive",
                first + 1,
                self.indent(first, token.markup),
                name,
                argument.strip(),
                content,
                options,
                body_line=first + 2 + used,
            )
        )
        if name in MYST_CONTENT and depth < MAX_DEPTH and content.strip():
            self.blocks(self.parse(content), first + 1 + used, depth + 1)

    def inline(self, token: Token, line: int) -> None:
        cursor = self.cursors.get(line, 0)
        link: tuple[int, int, Token] | None = None
        text: list[str] = []
        for child in token.children or []:
            source = self.source(line)
            kind = child.type
            if kind in {"softbreak", "hardbreak"}:
                self.cursors[line] = len(source)
                line, cursor = line + 1, 0
                continue
            if kind == "text":
                cursor = _advance(source, cursor, child.content)
                text.append(child.content)
            elif kind == "code_inline":
                start = _find(source, child.markup, cursor) + len(child.markup)
                cursor = _find(source, child.markup, start + len(child.content.strip())) + len(child.markup)
                text.append(child.content)
            elif kind == "link_open":
                autolink = child.markup == "autolink"
                start = _find(source, "<" if autolink else "[", cursor)
                link, text, cursor = (line, start, child), [], start + 1
            elif kind == "link_close" and link is not None:
                cursor = _skip_destination(source, cursor, str(link[2].attrs.get("href", "")), child.markup)
                opened_line, opened_at, opening = link
                self.elements.append(
                    Element(
                        "link",
                        opened_line + 1,
                        opened_at + 1,
                        opening.markup,
                        str(opening.attrs.get("href", "")),
                        "".join(text).strip(),
                    )
                )
                link = None
            elif kind == "image":
                start = _find(source, "![", cursor)
                cursor = _skip_destination(
                    source, _advance(source, start + 2, child.content), str(child.attrs.get("src", "")), ""
                )
                self.elements.append(
                    Element("image", line + 1, start + 1, target=str(child.attrs.get("src", "")), text=child.content)
                )
                text.append(child.content)
            elif kind == "myst_role":
                name = str(child.meta.get("name", ""))
                start = _find(source, "{" + name + "}", cursor)
                content_at = start + len(name) + 2
                rest = source[content_at:]  # empty when the role was not found on this line
                ticks = len(rest) - len(rest.lstrip("`"))
                cursor = _advance(source, content_at + ticks, child.content) + ticks
                self.elements.append(Element("role", line + 1, start + 1, name, child.content))
            elif kind == "html_inline":
                start = _find(source, child.content.split("\n", 1)[0], cursor)
                self.elements.append(Element("html", line + 1, start + 1, text=child.content))
                newlines = child.content.count("\n")
                line, cursor = (line + newlines, 0) if newlines else (line, start + len(child.content))
            elif child.markup and kind.endswith(("_open", "_close")):
                cursor = _find(source, child.markup, cursor) + len(child.markup)
        self.cursors[line] = cursor


def _find(source: str, needle: str, cursor: int) -> int:
    """Where ``needle`` starts at or after ``cursor`` (``cursor`` itself if it is absent)."""
    found = source.find(needle, cursor) if needle else -1
    return found if found >= 0 else cursor


def _advance(source: str, cursor: int, text: str) -> int:
    """The column after ``text``, matched in order (escapes and entities may lie between)."""
    if source.startswith(text, cursor):
        return cursor + len(text)
    found = source.find(text, cursor) if text else -1
    if found >= 0 and not source[cursor:found].strip(SKIPPABLE):
        return found + len(text)
    for char in text:
        found = source.find(char, cursor)
        if found < 0:
            break
        cursor = found + 1
    return cursor


def _skip_destination(source: str, cursor: int, href: str, markup: str) -> int:
    """The column after a link's ``](destination "title")`` or reference ``][label]``."""
    if markup == "autolink":
        return _find(source, ">", cursor) + 1
    if source.startswith("](", cursor):
        cursor = _advance(source, cursor + 2, href)
        return _find(source, ")", cursor) + 1
    if source.startswith("][", cursor):
        return _find(source, "]", cursor + 2) + 1
    return cursor + 1 if source.startswith("]", cursor) else cursor


def locate(document: Document, parse: Callable[[str], list[Token]] | None = None) -> list[Element]:
    """Every located element of ``document``, in source order (``parse`` reads directive bodies)."""
    walker = _Walker(document.markdown.file.text.split("\n"), parse or markdown_parser().parse)
    walker.blocks(document.tokens)
    return walker.elements
