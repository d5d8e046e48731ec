"""The registry as documentation: one rule's explanation, or the whole reference page."""

from __future__ import annotations

import functools
import re
from pathlib import PurePosixPath

from .registry import FAMILIES, RULES, Rule, Sample

#: The highlighting language of a sample, by its file's suffix.
LANGUAGES = {".md": "markdown", ".yml": "yaml", ".yaml": "yaml", ".po": "po", ".toml": "toml"}
#: Characters a sample cannot show as they are (a binary file's NUL bytes).
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class UnknownRule(LookupError):
    """No rule has the code asked for."""


def find_rule(code: str) -> Rule:
    try:
        return RULES[code.strip().upper()]
    except KeyError:
        raise UnknownRule(f"unknown rule code '{code}' (see --list-rules)") from None


def explanation(found: Rule) -> str:
    """What the rule does, why, an example that fires it and what to write instead (MyST)."""
    parts = ["**What it does**", found.what, "**Why**", found.why, "**Example**"]
    parts += [sample_markdown(sample) for sample in found.example]
    parts += ["**Use instead**", found.fix]
    parts += [sample_markdown(sample) for sample in found.fixed]
    return "\n\n".join(parts)


def sample_markdown(sample: Sample) -> str:
    """A sample as its path and a fenced code block, with unprintable characters escaped."""
    text = UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}", sample.text).rstrip("\n")
    fence = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", text))])
    saved = "" if sample.encoding == "utf-8" else f" (saved as {sample.encoding})"
    return f"`{sample.path}`{saved}:\n\n{fence}{language(sample)}\n{text}\n{fence}"


def language(sample: Sample) -> str:
    """The sample's highlighting language, or none where the lexer would stumble on it.

    Sphinx warns (and so fails the build) when a block does not lex in its language,
    which broken examples often do not.
    """
    name = LANGUAGES.get(PurePosixPath(sample.path.rstrip("/")).suffix, "")
    if not name:
        return ""
    from pygments.lexers import get_lexer_by_name
    from pygments.token import Error

    tokens = get_lexer_by_name(name).get_tokens(sample.text)
    return "" if any(kind in Error for kind, _value in tokens) else name


def explain(code: str) -> str:
    """A rule's code, name, severity, summary and explanation, as plain text."""
    found = find_rule(code)
    return f"{found.code} {found.name} ({found.severity})\n\n{found.summary}\n\n{explanation(found)}\n"


@functools.cache  # the registry does not change while the program runs
def rules_markdown() -> str:
    """Every rule as a MyST page, grouped by family, for the authoring appendix."""
    lines = [
        "# Checker rules",
        "",
        "This page is generated from the rule registry of `curriculum check`; do not edit it.",
        "Each finding reads `path:line:column: CODE message`. Errors fail `curriculum check` and",
        "the build; warnings fail only with `--strict`. Rules are switched off with `ignore` and",
        "chosen with `select` in the `[tool.curriculum]` table of `pyproject.toml` (by code or",
        "prefix such as `FM`), or with `--ignore` and `--select` on the command line.",
        "Each rule's example is a file (or a few) of a curriculum begun with `curriculum init`;",
        'the files under "Use instead" correct it.',
        "",
        "| Code | Name | Severity | Summary |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r.code} | `{r.name}` | {r.severity} | {r.summary.replace('|', chr(92) + '|')} |" for r in RULES.values()
    ]
    for prefix, title in FAMILIES.items():
        lines += ["", f"## {title} ({prefix})"]
        for found in (r for r in RULES.values() if r.family == prefix):
            lines += [
                "",
                f"(rule-{found.code.lower()})=",
                f"### {found.code} `{found.name}`",
                "",
                f"**{found.severity.capitalize()}.** {found.summary}",
                "",
                explanation(found),
            ]
    return "\n".join(lines) + "\n"
