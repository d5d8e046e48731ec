"""The curriculum's rules: a registry of stable codes and the checks that report them.

Each rule has a code (``FM007``; families ``FILE``, ``FM``, ``SEC``, ``REF``, ``AG``,
``TIME``, ``SAFE``, ``A11Y``, ``PO``, ``SLIDE``), a kebab-case name, a severity, a summary and an
explanation with a fix. :func:`check_curriculum` runs every check over a loaded
:class:`~curriculum.model.Curriculum`; ``curriculum check`` and the Sphinx build both
report its findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..model import Curriculum
from .config import Config, ConfigError, load_config
from .context import Context
from .docs import UnknownRule, explain, explanation, find_rule, rules_markdown
from .registry import CHECKS, FAMILIES, RULES, Check, Finding, Rule, Sample, Severity

# Rules register on import; this order is the order of the documentation.
# isort: off
from . import (  # noqa: F401
    files,
    frontmatter,
    sections,
    references,
    agenda,
    activities,
    timing,
    safety,
    accessibility,
    catalogues,
    slides,
    style,
)
# isort: on

__all__ = [
    "CHECKS",
    "FAMILIES",
    "RULES",
    "Check",
    "Config",
    "ConfigError",
    "Finding",
    "Rule",
    "Sample",
    "Severity",
    "UnknownRule",
    "check_curriculum",
    "explain",
    "explanation",
    "find_rule",
    "load_config",
    "rules_markdown",
]


def check_curriculum(
    curriculum: Curriculum, config: Config | None = None, paths: Iterable[Path] | None = None
) -> list[Finding]:
    """Every finding of the enabled rules, sorted by path, line and column.

    ``paths`` (files or directories, relative to the root or absolute) restricts the
    findings reported, not the context: a given exercise is still checked against
    every chapter and the agenda. Finding paths are relative to the root.
    """
    config = config or Config()
    root = curriculum.root
    wanted = None if paths is None else [(root / path).resolve() for path in paths]
    context = Context(curriculum, config)
    findings: set[Finding] = set()
    for run in CHECKS:
        if not any(config.enabled(code) for code in run.codes):
            continue  # none of its rules is wanted: the check costs nothing
        for finding in run(context):
            if not config.enabled(finding.code):
                continue
            absolute = root / finding.path
            if wanted is not None and not any(absolute == w or w in absolute.parents for w in wanted):
                continue
            findings.add(replace(finding, path=_relative(absolute, root)))
    return sorted(findings, key=lambda finding: finding.sort_key)


def _relative(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path
