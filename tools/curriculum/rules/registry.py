"""The rule registry: each rule's stable code, name, severity and documentation."""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..findings import Finding, Severity

if TYPE_CHECKING:
    from .context import Context

Position = tuple[int, int]


@dataclass(frozen=True)
class Sample:
    """One file of a curriculum as a rule's example shows it: its path from the root and its text.

    A sample is written over a new curriculum (``curriculum init``); ``encoding`` is how the
    text is saved (``latin-1`` shows a file that is not UTF-8).
    """

    path: str
    text: str
    encoding: str = "utf-8"


Samples = tuple[Sample, ...]


@dataclass(frozen=True)
class Rule:
    """A rule: ``code`` never changes once released.

    ``what`` says what the rule finds, ``why`` what the mistake costs, ``fix`` how to correct
    it; ``example`` are files that make the rule fire and ``fixed`` the same files corrected.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    what: str
    why: str
    fix: str
    example: Samples
    fixed: Samples

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

CheckFunction = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    """A function that yields findings, and the rules it may report (each rule by one check)."""

    function: CheckFunction
    rules: tuple[Rule, ...]

    @property
    def name(self) -> str:
        return f"{self.function.__module__}.{self.function.__name__}"

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.rules)

    def __call__(self, context: Context) -> Iterable[Finding]:
        return self.function(context)


#: The checks, in registration order; a check runs when one of its rules is enabled.
CHECKS: list[Check] = []


def family(prefix: str, title: str) -> None:
    """Declare a family of rules sharing the code prefix ``prefix``."""
    FAMILIES[prefix] = title


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    explanation: str,
    *,
    why: str,
    example: Sample | Samples,
    fixed: Sample | Samples,
) -> Rule:
    """Register a rule.

    ``explanation`` is MyST Markdown: what the rule finds, then a paragraph ``**Fix:** ...``;
    ``why`` says what the mistake costs; ``example`` and ``fixed`` are the files that show it.
    """
    if code in RULES:
        raise ValueError(f"rule code {code} is registered twice")
    what, marker, fix = textwrap.dedent(explanation).partition("**Fix:**")
    if not marker:
        raise ValueError(f"rule {code}: the explanation has no '**Fix:**' paragraph")
    if not why.strip() or not example or not fixed:
        raise ValueError(f"rule {code} needs why, an example and the files fixed")
    fix = fix.strip()
    registered = Rule(
        code,
        name,
        severity,
        summary,
        what.strip(),
        " ".join(why.split()),
        fix[:1].upper() + fix[1:],
        _samples(example),
        _samples(fixed),
    )
    RULES[code] = registered
    return registered


def _samples(given: Sample | Samples) -> Samples:
    return (given,) if isinstance(given, Sample) else tuple(given)


def check(*rules: Rule) -> Callable[[CheckFunction], CheckFunction]:
    """Register a function that yields findings of ``rules`` (and of no other rule).

    ``@check(UNKNOWN_TERM, UNKNOWN_REFERENCE)``. A rule is declared by exactly one check.
    """
    if not rules or not all(isinstance(r, Rule) for r in rules):
        raise TypeError("@check needs the rules the check reports: @check(RULE_A, RULE_B)")

    def register(function: CheckFunction) -> CheckFunction:
        for declared in rules:
            owner = next((c for c in CHECKS if declared in c.rules), None)
            if owner is not None:
                raise ValueError(f"rule {declared.code} is already declared by {owner.name}")
        CHECKS.append(Check(function, tuple(rules)))
        return function

    return register


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
