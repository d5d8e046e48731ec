"""Findings as text, JSON, GitHub workflow commands or SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import __version__
from .findings import Finding

if TYPE_CHECKING:
    from .rules import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(findings: Sequence[Finding], files: int) -> str:
    """``3 errors, 1 warning in 42 files`` or ``No problems found in 42 files``."""
    if not findings:
        return f"No problems found in {_plural(files, 'file')}"
    errors = sum(f.severity == "error" for f in findings)
    return f"{_plural(errors, 'error')}, {_plural(len(findings) - errors, 'warning')} in {_plural(files, 'file')}"


def as_text(findings: Sequence[Finding], files: int) -> str:
    lines = [f"{f.path.as_posix()}:{f.line}:{f.column}: {f.code} {f.message}" for f in findings]
    return "\n".join([*lines, summary(findings, files)]) + "\n"


def as_json(findings: Sequence[Finding], files: int) -> str:
    records = [
        {
            "path": f.path.as_posix(),
            "line": f.line,
            "column": f.column,
            "code": f.code,
            "name": f.name,
            "severity": f.severity,
            "message": f.message,
        }
        for f in findings
    ]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def _escape(text: str, property_value: bool = False) -> str:
    """GitHub workflow-command escaping (properties also escape ``:`` and ``,``)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def as_github(findings: Sequence[Finding], files: int) -> str:
    lines = [
        f"::{f.severity} file={_escape(f.path.as_posix(), True)},line={f.line},col={f.column},"
        f"title={_escape(f.code, True)}::{_escape(f.message)}"
        for f in findings
    ]
    return "".join(line + "\n" for line in lines)


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    from .rules import explanation

    text = explanation(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": text},
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": rule.severity},
    }


def sarif_log(findings: Sequence[Finding]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with every rule of the registry and one result per finding."""
    from .rules import RULES  # only SARIF describes every rule

    index = {code: number for number, code in enumerate(RULES)}
    rules = [_sarif_rule(r) for r in RULES.values()]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": f.severity,
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path.as_posix(), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in findings
    ]
    driver = {"name": "curriculum", "version": __version__, "rules": rules}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def as_sarif(findings: Sequence[Finding], files: int) -> str:
    return json.dumps(sarif_log(findings), indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Callable[[Sequence[Finding], int], str]] = {
    "text": as_text,
    "json": as_json,
    "github": as_github,
    "sarif": as_sarif,
}


def render(findings: Sequence[Finding], files: int, format: str = "text") -> str:
    """``findings`` in ``format`` (one of :data:`FORMATTERS`); ``files`` is how many were checked."""
    return FORMATTERS[format](findings, files)
