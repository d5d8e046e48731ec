"""The rule registry: each rule's stable code, name, severity and documentation."""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .context import Context

Severity = Literal["error", "warning"]
Position = tuple[int, int]


@dataclass(frozen=True)
class Finding:
    """One mistake: where it is (1-based line and column), which rule, what to do."""

    path: Path
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path.as_posix(), self.line, self.column, self.code, self.message)


@dataclass(frozen=True)
class Rule:
    """A rule: ``code`` never changes once released; ``explanation`` says how to fix it."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def at(self, path: Path, position: Position, message: str) -> Finding:
        """A finding of this rule at ``position`` (line, column) in ``path``."""
        line, column = position
        return Finding(path, line, column, self.code, self.name, self.severity, message)


#: Every rule by code, in the order they are documented.
RULES: dict[str, Rule] = {}
#: The families (code prefixes) and what they cover, in documentation order.
FAMILIES: dict[str, str] = {}

Check = Callable[["Context"], Iterable[Finding]]
#: The functions that produce findings; each may report several rules.
CHECKS: list[Check] = []


def family(prefix: str, title: str) -> None:
    """Declare a family of rules sharing the code prefix ``prefix``."""
    FAMILIES[prefix] = title


def rule(code: str, name: str, severity: Severity, summary: str, explanation: str) -> Rule:
    """Register a rule; ``explanation`` is MyST Markdown and ends with how to fix it."""
    if code in RULES:
        raise ValueError(f"rule code {code} is registered twice")
    registered = Rule(code, name, severity, summary, textwrap.dedent(explanation).strip())
    RULES[code] = registered
    return registered


def check(function: Check) -> Check:
    """Register a function that yields findings for a curriculum."""
    CHECKS.append(function)
    return function


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or ``""``."""
    text = str(word)
    options = list(choices)
    folded = {option.casefold(): option for option in options}
    match = folded.get(text.casefold())
    if match is None:
        close = difflib.get_close_matches(text, options, n=1, cutoff=0.6)
        match = close[0] if close else None
    return f"; did you mean '{match}'?" if match and match != text else ""
