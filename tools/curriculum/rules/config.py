"""The checker's settings, read from ``[tool.curriculum]`` in ``pyproject.toml``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..project import ProjectError, load_project
from .registry import RULES

#: The configuration cannot be used; the message says which setting and why.
ConfigError = ProjectError


@dataclass(frozen=True)
class Config:
    """Which rules run and the speaking rate for timed deliveries.

    ``select`` and ``ignore`` hold rule codes or code prefixes (``"FM"``, ``"SEC00"``);
    an empty ``select`` selects every rule.
    """

    words_per_minute: int = 100
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: Files (relative to the root, glob patterns) allowed to contain raw HTML.
    allow_raw_html: tuple[str, ...] = ()
    #: The speaking rate of each language, where it differs from ``words_per_minute``.
    rates: dict[str, int] = field(default_factory=dict)

    def rate(self, language: str) -> int:
        return self.rates.get(language, self.words_per_minute)

    def raw_html_allowed(self, relative: Path) -> bool:
        return any(relative.match(pattern) for pattern in self.allow_raw_html)

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
    """The checker's settings from the project description (:mod:`curriculum.project`)."""
    project = load_project(root)
    return Config(
        project.words_per_minute(),
        validate_codes(project.select, "[tool.curriculum] select"),
        validate_codes(project.ignore, "[tool.curriculum] ignore"),
        project.allow_raw_html,
        {lang: project.words_per_minute(lang) for lang in project.languages},
    )
