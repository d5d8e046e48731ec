"""A11Y: images have text alternatives and links say where they go."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import Context
from .registry import Finding, check, family, rule
from .samples import ROOM, glossary

family("A11Y", "Accessibility")

IMAGE_DIRECTIVES = frozenset({"image", "figure"})
VAGUE = frozenset({"here", "click here", "click", "this", "this link", "link", "more", "read more", "this page"})
URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S*$", re.IGNORECASE)

MISSING_ALT = rule(
    "A11Y001",
    "image-without-alt-text",
    "error",
    "An image has no alternative text.",
    """
    Screen-reader users, and readers of a PDF whose images did not load, only get the
    alternative text.

    **Fix:** describe what the image shows: `![Map of the forum's members](members.png)`;
    for `{image}` and `{figure}` add an `:alt:` option.
    """,
    why="Readers who cannot see the image, and readers of a PDF whose image did not load, get nothing in its place.",
    example=(glossary("![](images/room.svg)"), ROOM),
    fixed=(glossary("![The training room, one table per group](images/room.svg)"), ROOM),
)
VAGUE_LINK = rule(
    "A11Y002",
    "vague-link-text",
    "error",
    'A link\'s text does not say where it goes ("here", "click here").',
    """
    Screen-reader users jump from link to link, and printed pages lose the address, so the
    link text alone must say where the link goes.

    **Fix:** link the words that name the target: `see the [Regional Forum
    partners](https://...)`, not `click [here](https://...)`.
    """,
    why='Screen-reader users jump from link to link and hear only "here"; a printed page loses the address.',
    example=glossary("The full timetable is [here](https://example.org/timetable)."),
    fixed=glossary("See the [full timetable](https://example.org/timetable)."),
)
URL_LINK = rule(
    "A11Y003",
    "url-as-link-text",
    "error",
    "A link's text is a bare web address.",
    """
    Screen readers spell addresses out character by character, and long addresses break
    the PDF's lines.

    **Fix:** write an inline link whose text names the page or organisation:
    `[Regional Forum](https://forum.example.org)`.
    """,
    why="Screen readers spell the address out character by character, and long addresses break the PDF's lines.",
    example=glossary("See [https://example.org/timetable](https://example.org/timetable)."),
    fixed=glossary("See the [full timetable](https://example.org/timetable)."),
)


def normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@check(MISSING_ALT, VAGUE_LINK, URL_LINK)
def accessible_markup(context: Context) -> Iterator[Finding]:
    for document in context.documents():
        for element in context.markup(document):
            if element.kind == "image" and not element.text.strip():
                yield MISSING_ALT.at(document.path, element.position, f"image '{element.target}' has no alt text")
            elif (
                element.kind == "directive"
                and element.name in IMAGE_DIRECTIVES
                and not element.options.get("alt", "").strip()
            ):
                yield MISSING_ALT.at(
                    document.path,
                    element.position,
                    f"{{{element.name}}} '{element.target}' has no :alt: option",
                )
            elif element.kind == "link":
                if element.name == "autolink" or URL.match(element.text):
                    yield URL_LINK.at(
                        document.path,
                        element.position,
                        f"link text '{element.text}' is a web address; name the page instead",
                    )
                elif not element.text.strip() or normal(element.text) in VAGUE:
                    yield VAGUE_LINK.at(
                        document.path,
                        element.position,
                        f"link text '{element.text}' does not say where the link goes",
                    )
