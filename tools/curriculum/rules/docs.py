"""The registry as documentation: one rule's explanation, or the whole reference page."""

from __future__ import annotations

from .registry import FAMILIES, RULES, Rule


class UnknownRule(LookupError):
    """No rule has the code asked for."""


def find_rule(code: str) -> Rule:
    try:
        return RULES[code.strip().upper()]
    except KeyError:
        raise UnknownRule(f"unknown rule code '{code}' (see --list-rules)") from None


def explain(code: str) -> str:
    """A rule's code, name, severity, summary and explanation, as plain text."""
    found = find_rule(code)
    return f"{found.code} {found.name} ({found.severity})\n\n{found.summary}\n\n{found.explanation}\n"


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
                found.explanation,
            ]
    return "\n".join(lines) + "\n"
