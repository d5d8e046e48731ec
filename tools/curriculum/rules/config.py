"""Which rules the checker runs; every other setting it reads from the project.

The project description (:mod:`curriculum.project`) is the one reader of
``[tool.curriculum]``; the checker adds only the choice of rules, checked against the
registry, with the command line's ``--select`` and ``--ignore`` over it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..project import Project, ProjectError, load_project
from .registry import RULES

#: The configuration cannot be used; the message says which setting and why.
ConfigError = ProjectError


@dataclass(frozen=True)
class Config:
    """The project's settings and the rules that run.

    ``select`` and ``ignore`` hold rule codes or code prefixes (``"FM"``, ``"SEC00"``);
    an empty ``select`` selects every rule. Without a project, the defaults apply.
    """

    project: Project = field(default_factory=lambda: Project(Path()))
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def enabled(self, code: str) -> bool:
        if self.select and not code.startswith(tuple(self.select)):
            return False
        return not code.startswith(tuple(self.ignore))

    def with_selection(self, select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> Config:
        """This configuration with ``select`` replaced (when given) and ``ignore`` extended."""
        return replace(
            self,
            select=self.select if select is None else validate_codes(select, "--select"),
            ignore=(*self.ignore, *validate_codes(ignore, "--ignore")),
        )


def validate_codes(codes: Iterable[str], setting: str) -> tuple[str, ...]:
    """Upper-cased codes, each the code or prefix of at least one rule."""
    result = []
    for code in codes:
        code = str(code).strip().upper()
        if not code:
            continue
        if not any(known.startswith(code) for known in RULES):
            raise ConfigError(f"{setting}: unknown rule code or prefix '{code}'")
        result.append(code)
    return tuple(result)


def load_config(root: Path) -> Config:
    """The project's settings (:mod:`curriculum.project`) and the rules it selects."""
    project = load_project(root)
    return Config(
        project,
        validate_codes(project.select, "[tool.curriculum] select"),
        validate_codes(project.ignore, "[tool.curriculum] ignore"),
    )
