"""The checker's settings, read from ``[tool.curriculum]`` in ``pyproject.toml``."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .registry import RULES


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which setting and why."""


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
    """The settings in ``root/pyproject.toml``; defaults when it has no ``[tool.curriculum]``."""
    path = root / "pyproject.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read settings: {error}") from None
    table = data.get("tool", {}).get("curriculum", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.curriculum] must be a table")
    rate = table.get("words_per_minute", Config.words_per_minute)
    if not isinstance(rate, int) or isinstance(rate, bool) or rate <= 0:
        raise ConfigError(f"{path}: [tool.curriculum] words_per_minute must be a positive whole number")
    allowed = table.get("allow_raw_html", [])
    if not isinstance(allowed, list) or not all(isinstance(item, str) for item in allowed):
        raise ConfigError(f"{path}: [tool.curriculum] allow_raw_html must be a list of file patterns")
    lists = {}
    for key in ("select", "ignore"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{path}: [tool.curriculum] {key} must be a list of rule codes")
        lists[key] = validate_codes(value, f"[tool.curriculum] {key}")
    return Config(rate, lists["select"], lists["ignore"], tuple(allowed))
