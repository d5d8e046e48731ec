"""SAFE: nothing in the source can inject markup or read files outside the project."""

from __future__ import annotations

from collections.abc import Iterator

from .context import Context
from .references import resolve
from .registry import Finding, Sample, check, family, rule
from .samples import glossary

family("SAFE", "Safety")

INCLUDES = frozenset({"include", "literalinclude"})

RAW_HTML = rule(
    "SAFE001",
    "raw-html",
    "error",
    "The source contains raw HTML.",
    """
    Raw HTML is copied into the site unchecked: it can break the page, the PDF, the
    translation and accessibility, and it can run scripts. HTML comments count too.

    **Fix:** use MyST syntax instead: `**bold**`, `:::{note}` blocks, `{sub}` roles; write
    comments as lines starting with `%`. Where a file really needs HTML, list it in
    `allow_raw_html` under `[tool.curriculum]` in `pyproject.toml`; the build strips raw
    HTML from every other file.
    """,
    why=(
        "Raw HTML reaches the site unchecked: it can break the page, the PDF and the translation, hide "
        "text from screen readers, or run a script."
    ),
    example=glossary("Each term is <b>in bold</b> where it first appears."),
    fixed=glossary("Each term is **in bold** where it first appears."),
)
RAW_DIRECTIVE = rule(
    "SAFE002",
    "raw-directive",
    "error",
    "The source uses the `{raw}` directive.",
    """
    `{raw}` passes its content to the output unchecked, like raw HTML.

    **Fix:** express the content in MyST, or ask for a directive in the curriculum extension.
    """,
    why="Its content reaches the output unchecked, like raw HTML, and is lost in the PDF.",
    example=glossary("```{raw} html\n<p>Ask the trainer about any term.</p>\n```"),
    fixed=glossary("Ask the trainer about any term."),
)
EVAL_RST = rule(
    "SAFE003",
    "eval-rst",
    "error",
    "The source uses the `{eval-rst}` directive.",
    """
    `{eval-rst}` runs reStructuredText inside MyST, which can include files and raw output
    and escapes every rule of the checker.

    **Fix:** write the content in MyST.
    """,
    why="reStructuredText inside MyST escapes every rule of the checker, and can insert files or raw output.",
    example=glossary("```{eval-rst}\n.. note:: Ask the trainer about any term.\n```"),
    fixed=glossary(":::{note}\nAsk the trainer about any term.\n:::"),
)
INCLUDE_OUTSIDE = rule(
    "SAFE004",
    "include-outside-project",
    "error",
    "An `{include}` or `{literalinclude}` reads a file outside the repository.",
    """
    Includes may only read files of the project; a path that leaves it (`../../secrets.txt`,
    `/etc/passwd`) would copy another file into the handbook.

    **Fix:** copy the material into the project and include it by a relative path inside it.
    """,
    why="A file of the computer that builds the book would be copied into it, and published.",
    example=glossary("```{include} ../../notes.txt\n```"),
    fixed=glossary("Ask the trainer about any term."),
)

FILE_INSERTION = rule(
    "SAFE005",
    "file-insertion",
    "error",
    "An `{include}` or `{literalinclude}` inserts a file, which the build refuses.",
    """
    The build turns docutils' file insertion off for every page, so that no page can copy
    another file into the handbook; an `{include}` or `{literalinclude}` fails the build
    ("File insertion disabled") even when the file lies inside the project.

    **Fix:** write the content into the page itself, for example as a fenced code block.
    """,
    why="The build refuses to insert the file, so it fails although the checker found nothing else.",
    example=(glossary("```{include} data/note.md\n```"), Sample("handbook/data/note.md", "Ask the trainer.\n")),
    fixed=glossary("Ask the trainer."),
)


@check(RAW_HTML, RAW_DIRECTIVE, EVAL_RST, INCLUDE_OUTSIDE, FILE_INSERTION)
def unsafe_markup(context: Context) -> Iterator[Finding]:
    for document in context.documents():
        raw_allowed = context.project.raw_html_allowed(context.relative(document.path))
        for element in context.markup(document):
            if element.kind == "html" and raw_allowed:
                continue
            if element.kind == "html":
                snippet = element.text.strip().split("\n", 1)[0][:40]
                yield RAW_HTML.at(document.path, element.position, f"raw HTML '{snippet}' is not allowed")
            elif element.kind != "directive":
                continue
            elif element.name == "raw":
                yield RAW_DIRECTIVE.at(document.path, element.position, "the {raw} directive is not allowed")
            elif element.name in {"eval-rst", "eval_rst"}:
                yield EVAL_RST.at(document.path, element.position, f"the {{{element.name}}} directive is not allowed")
            elif element.name in INCLUDES:
                target = element.target
                found = resolve(context, document, target) if target else None
                if found is None:
                    yield INCLUDE_OUTSIDE.at(
                        document.path,
                        element.position,
                        f"{{{element.name}}} '{target}' reads a file outside the repository",
                    )
                elif context.is_file(found):  # a missing file is REF004
                    yield FILE_INSERTION.at(
                        document.path,
                        element.position,
                        f"{{{element.name}}} '{target}' inserts a file, which the build does not do; "
                        "write the content into the page",
                    )
