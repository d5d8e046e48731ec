"""Reading curriculum files: bytes to text, front matter with positions, MyST tokens.

Everything here is shared by the checker and the Sphinx extension, so that a file
is never read two ways. Nothing here raises on bad input: problems are recorded
on the returned object and turned into findings by :mod:`curriculum.rules`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .atomic import write_atomic

T = TypeVar("T")

#: A path into a YAML document: keys and list indexes, e.g. ``("objectives", 0)``.
KeyPath = tuple[str | int, ...]


#: What went wrong reading a file: each kind has its own rule.
ProblemKind = Literal[
    "unreadable",  # the file system refused (FILE004)
    "binary",  # NUL bytes (FILE001)
    "encoding",  # not UTF-8 (FILE002)
    "empty",  # nothing but blank lines (FILE003)
    "unparsable",  # the Markdown parser failed (FILE005)
    "yaml",  # front matter or agenda is not valid YAML (FM002, AG001)
    "front-matter-type",  # valid YAML, not a mapping (FM003, AG001)
    "catalogue",  # a .po file that cannot be read (PO001)
    "termbase",  # a termbase entry that cannot be read (PO006)
]
#: Kinds after which the file's text cannot be checked further.
UNREADABLE_KINDS: frozenset[ProblemKind] = frozenset({"unreadable", "binary", "encoding", "empty"})


@dataclass(frozen=True)
class Problem:
    """A problem found while reading a file, before any rule runs."""

    kind: ProblemKind
    message: str
    line: int = 1
    column: int = 1


@dataclass
class YamlDocument:
    """A YAML mapping with the 1-based line and column of every key and value."""

    data: Any = field(default_factory=dict)
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, *path: str | int) -> tuple[int, int]:
        """The position of ``path``, or of its nearest located parent."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


@dataclass
class TextFile:
    """A file decoded as UTF-8, or the reason it could not be."""

    path: Path
    text: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not any(p.kind in UNREADABLE_KINDS for p in self.problems)


def read_text(path: Path) -> TextFile:
    """Read ``path`` as UTF-8 text, recording binary, encoding and empty-file problems."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = "it is a folder" if path.is_dir() else error.strerror or type(error).__name__
        return TextFile(path, problems=[Problem("unreadable", f"cannot read the file: {reason}")])
    if b"\x00" in raw[:8192]:
        return TextFile(path, problems=[Problem("binary", "file is binary, not text")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return TextFile(path, problems=[Problem("encoding", "file is not valid UTF-8 text", line, column)])
    if not text.strip():
        return TextFile(path, text, [Problem("empty", "file is empty")])
    return TextFile(path, text.replace("\r\n", "\n"))


def load_yaml(text: str, first_line: int = 1, *, mapping: bool = True) -> tuple[YamlDocument | None, Problem | None]:
    """Parse ``text`` as YAML (a mapping unless ``mapping`` is false); lines count from ``first_line``.

    Returns the document, or the YAML error located at its own line.
    """
    offset = first_line - 1
    try:
        node, data = _compose(text, FAST_LOADER)
    except yaml.YAMLError:
        try:  # the pure-Python parser words and places its errors better than libyaml
            node, data = _compose(text, yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            if error.context in {"while scanning a quoted scalar", "while scanning a simple key"}:
                mark = error.context_mark or mark  # where the quote or the key starts, not where YAML gave up
            line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (first_line, 1)
            return None, Problem("yaml", f"invalid YAML: {plain_yaml_error(error, text, offset)}", line, column)
        except yaml.YAMLError as error:
            return None, Problem("yaml", f"invalid YAML: {error}", first_line, 1)
        except RecursionError:
            return None, Problem("yaml", "invalid YAML: nested too deeply", first_line, 1)
    if data is None:
        return YamlDocument(positions={(): (first_line, 1)}), None
    if (mapping and not isinstance(data, dict)) or node is None:
        line = node.start_mark.line + 1 + offset if node is not None else first_line
        return None, Problem(
            "front-matter-type", f"expected a mapping of keys to values, found {_type_name(data)}", line
        )
    document = YamlDocument(data=data)
    _record_positions(node, (), document.positions, offset)
    return document, None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def plain_yaml_error(error: yaml.MarkedYAMLError, text: str, offset: int = 0) -> str:
    """PyYAML's message in plain words, with the likely cause, then PyYAML's own words."""
    reason = error.problem or error.context or "invalid YAML"
    lines = text.split("\n")
    problem = error.problem_mark.line if error.problem_mark else 0
    context = error.context_mark.line if error.context_mark else problem
    here = lines[problem] if problem < len(lines) else ""
    above = next((lines[i] for i in range(min(problem, len(lines)) - 1, -1, -1) if lines[i].strip()), "")
    number = problem + 1 + offset
    plain = ""
    if "expected <block end>" in reason or (
        "mapping values are not allowed" in reason
        and _indent(here) > _indent(above)
        and not above.rstrip().endswith(":")
    ):
        plain = f"line {number} is indented more than the key above it; keys of one mapping start in the same column"
    elif "mapping values are not allowed" in reason:
        plain = f"a value on line {number} contains ': '; put the value in quotes, like title: \"Forum: the process\""
    elif "'\\t'" in reason or "\\t" in reason:
        plain = f"line {number} is indented with a tab; indent YAML with spaces"
    elif "quoted scalar" in (error.context or ""):
        plain = f"the quote opened on line {context + 1 + offset} is never closed; add the closing quote"
    elif "could not find expected ':'" in reason:
        plain = (
            f"line {context + 1 + offset} has no ': ' after its key; write 'key: value', with a space after the colon"
        )
    elif "cannot start any token" in reason:
        plain = f"a value on line {number} starts with a character YAML reserves; put the value in quotes"
    return f"{plain} (YAML: {reason})" if plain else reason


#: libyaml's parser where PyYAML has it (about seven times faster), else the pure-Python one.
FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, loader_class: type[yaml.SafeLoader]) -> tuple[yaml.Node | None, Any]:
    """The node tree (with positions) and the data built from it, in one pass."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _record_positions(
    node: yaml.Node,
    path: KeyPath,
    positions: dict[KeyPath, tuple[int, int]],
    offset: int,
    seen: set[int] | None = None,
) -> None:
    positions.setdefault(path, (node.start_mark.line + 1 + offset, node.start_mark.column + 1))
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias: its anchor's children are already recorded (and may nest exponentially)
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            positions[(*path, key)] = (key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
            _record_positions(value_node, (*path, key), positions, offset, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, (*path, index), positions, offset, seen)


def _type_name(value: object) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


@dataclass
class MarkdownFile:
    """A MyST file split into front matter and body tokens."""

    file: TextFile
    front_matter: YamlDocument | None = None
    has_front_matter: bool = False
    body_start: int = 1  # 1-based line where the Markdown body starts
    tokens: list[Token] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def problems(self) -> list[Problem]:
        return self.file.problems


@functools.cache
def markdown_parser() -> MarkdownIt:
    """The MyST block parser with the extensions ``conf.py`` enables."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions={"colon_fence", "deflist", "attrs_inline", "attrs_block", "substitution"})
    parser = create_md_parser(config, RendererHTML)
    parser.disable("wordcount")  # reading-time metadata; the model counts words itself
    return parser


class TokenCache:
    """Parsed token lists (and other results of reading a file) kept on disk between runs,
    keyed by the text and the version of what made them.

    Parsing is most of what a check costs; a cached file loads about five times faster.
    Anything wrong with the cache (missing, stale, unreadable) only means parsing again.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @functools.cached_property
    def version(self) -> str:
        from importlib.metadata import version

        return f"{version('myst-parser')}/{version('markdown-it-py')}/{version('mdit-py-plugins')}"

    def parse(self, body: str) -> list[Token]:
        return self.kept(f"{self.version}\0{body}", lambda: markdown_parser().parse(body))

    def kept(self, key: str, make: Callable[[], T]) -> T:
        """``make()``, or what it returned the last time it was asked for under ``key`` (which
        names everything the result depends on)."""
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        path = self.folder / digest[:2] / f"{digest}.pickle"
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # no entry yet, or one this version cannot read
            pass
        value = make()
        with contextlib.suppress(OSError):  # a read-only checkout still checks, only slower
            write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return value


def read_markdown(path: Path, cache: TokenCache | None = None) -> MarkdownFile:
    """Read a MyST file: front matter (with positions) and the body's tokens."""
    return parse_markdown(read_text(path), cache)


def parse_markdown(file: TextFile, cache: TokenCache | None = None) -> MarkdownFile:
    """Front matter (with positions) and the body's tokens of a file read as text."""
    result = MarkdownFile(file)
    if not file.readable:
        return result
    lines = file.text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."}), None)
        if end is None:
            file.problems.append(Problem("yaml", "front matter is not closed by a line '---'", 1, 1))
            return result
        result.has_front_matter = True
        result.front_matter, problem = load_yaml("\n".join(lines[1:end]), first_line=2)
        if problem:
            file.problems.append(problem)
        result.body_start = end + 2
        body = "\n".join(lines[end + 1 :])
    else:
        body = file.text
    try:
        result.tokens = cache.parse(body) if cache else markdown_parser().parse(body)
    except Exception as error:  # markdown-it never should; a finding beats a traceback
        file.problems.append(
            Problem(
                "unparsable",
                f"the Markdown parser failed on this file: {type(error).__name__}: {error}",
                result.body_start,
            )
        )
        return result
    shift = result.body_start - 1
    for token in result.tokens:
        if token.map:
            token.map = [token.map[0] + shift, token.map[1] + shift]
    return result


def inline_text(token: Token) -> str:
    """The plain text of an inline token (roles and markup stripped)."""
    if not token.children:
        return token.content
    return "".join(
        " " if child.type in {"softbreak", "hardbreak"} else child.content
        for child in token.children
        if child.type in {"text", "code_inline", "softbreak", "hardbreak"}
    )
