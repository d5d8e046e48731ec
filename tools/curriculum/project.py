"""The project description: one curriculum's settings, its folder layout and the editions.

Every setting of a curriculum lives in ``[tool.curriculum]`` of its ``pyproject.toml``.
This module is the one reader of that table; every command and the Sphinx extension
get their languages, editions, folder names and book identity from here.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .paths import INTERFACE_LOCALE_DIR

# --- the folder layout, the same for every curriculum ------------------------------------

SETTINGS_FILE = "pyproject.toml"
CHAPTER_DIR = "handbook"
EXERCISE_DIR = "exercises"
AGENDA_FILE = f"{CHAPTER_DIR}/agenda.yml"
TRAINER_DIR = f"{CHAPTER_DIR}/trainer"
DATA_DIR = f"{CHAPTER_DIR}/data"
LOCALES_DIR = "locales"
BUILD_DIR = "_build"
ROOT_DOC = f"{CHAPTER_DIR}/index"
#: What a project's sources are: copying these (not the builds) reproduces the project.
SOURCES = ("conf.py", SETTINGS_FILE, CHAPTER_DIR, EXERCISE_DIR, LOCALES_DIR, "participants.csv")

Edition = Literal["participant", "trainer"]
EDITIONS: tuple[Edition, ...] = ("participant", "trainer")


def N_(message: str) -> str:
    """Mark ``message`` for the interface catalogue; it is translated where it is shown."""
    return message


DEFAULT_EDITION_NAMES: dict[str, str] = {"participant": N_("Participant workbook"), "trainer": N_("Trainer's handbook")}

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The speaking rate for timed deliveries when a language sets none: interpreters' guidance
#: for read statements (about 100 words a minute).
DEFAULT_WORDS_PER_MINUTE = 100


def language_name(language: str) -> str:
    """The language's name in itself (``العربية``, ``Français``), from Babel's locale data."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language).get_display_name(language) or language
    except (ValueError, UnknownLocaleError):
        return language
    return name[:1].upper() + name[1:]


def interface_warning(language: str) -> str | None:
    """What to tell the user when the builder has no interface strings for ``language``."""
    base = language.split("_")[0]
    if base == "en" or (INTERFACE_LOCALE_DIR / base).is_dir():
        return None
    return (
        f"warning: no interface strings for '{language}': labels such as 'Contents' stay in English "
        "(the builder ships en, ar and fr)"
    )


def direction(language: str | None) -> Literal["ltr", "rtl"]:
    """``rtl`` for right-to-left languages (Arabic, Persian, Hebrew, Urdu, …), else ``ltr``."""
    return "rtl" if (language or "en").split("_")[0] in RTL_LANGUAGES else "ltr"


class ProjectError(ValueError):
    """The project description cannot be used; the message says which setting and why."""


class NoProject(ProjectError):
    """There is no curriculum in this folder or its parents."""


@dataclass(frozen=True)
class Project:
    """One curriculum, as its ``[tool.curriculum]`` table describes it."""

    root: Path
    title: str = "Curriculum"
    subtitle: str = ""
    organisation: str = ""
    author: str = ""
    slug: str = "curriculum"
    #: The source language first, then each translation.
    languages: tuple[str, ...] = ("en",)
    edition_names: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_EDITION_NAMES))
    logo: Path | None = None
    repository: str = ""
    rates: dict[str, int] = field(default_factory=dict)
    # the course as run: its dates (ISO, one per day of the agenda; blank date lines when absent),
    # the expected number of participants and the size of small groups (the kit's copy counts)
    dates: tuple[str, ...] = ()
    participants: int = 20
    group_size: int = 5
    # the checker's settings
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    allow_raw_html: tuple[str, ...] = ()

    @property
    def source_language(self) -> str:
        return self.languages[0]

    @property
    def translations(self) -> tuple[str, ...]:
        return self.languages[1:]

    def words_per_minute(self, language: str | None = None) -> int:
        """The speaking rate for timed deliveries in ``language`` (the source language's by default)."""
        language = language or self.source_language
        return self.rates.get(language, self.rates.get(self.source_language, DEFAULT_WORDS_PER_MINUTE))

    def raw_html_allowed(self, relative: Path) -> bool:
        """Whether the file at ``relative`` (to the root) may contain raw HTML (``allow_raw_html``)."""
        return any(relative.match(pattern) for pattern in self.allow_raw_html)

    def catalogue_dir(self, language: str) -> Path:
        return self.root / LOCALES_DIR / language / "LC_MESSAGES"

    def require_language(self, language: str) -> str:
        if language not in self.languages:
            raise ProjectError(
                f"language '{language}' is not one of this curriculum's languages ({', '.join(self.languages)}); "
                f"add it to `languages` in [tool.curriculum] of {SETTINGS_FILE}"
            )
        return language


def find_root(start: Path) -> Path | None:
    """The nearest of ``start`` and its parents whose pyproject.toml has ``[tool.curriculum]``."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / SETTINGS_FILE
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "curriculum" in data["tool"]:
                return directory
    return None


def locate(start: Path) -> Path:
    """The project root for ``start``, or :class:`NoProject` with the way out."""
    root = find_root(start)
    if root is None:
        raise NoProject(
            f"no curriculum here: neither {start} nor a parent folder has [tool.curriculum] in {SETTINGS_FILE}; "
            "start one with `curriculum init DIR`"
        )
    return root


def load_project(root: Path) -> Project:
    """Read ``root/pyproject.toml``; defaults where ``[tool.curriculum]`` is absent or silent."""
    root = root.resolve()
    path = root / SETTINGS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Project(root)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ProjectError(f"{path}: cannot read settings: {error}") from None
    table = data.get("tool", {}).get("curriculum", {})
    if not isinstance(table, dict):
        raise ProjectError(f"{path}: [tool.curriculum] must be a table")
    return _project(root, table, path)


def _project(root: Path, table: dict[str, Any], path: Path) -> Project:
    def bad(key: str, what: str) -> ProjectError:
        return ProjectError(f"{path}: [tool.curriculum] {key} must be {what}")

    def text(key: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise bad(key, "a string")
        return value.strip()

    def strings(key: str, what: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise bad(key, what)
        return tuple(value)

    languages = strings("languages", 'a list of language codes, the source language first, e.g. ["en", "fr"]') or (
        "en",
    )
    for code in languages:
        if not LANGUAGE_CODE.match(code):
            raise bad("languages", f'a list of language codes such as "en" or "pt_BR" (got "{code}")')
    if len(set(languages)) != len(languages):
        raise bad("languages", "a list without repeats")

    slug = text("slug", "curriculum")
    if not SLUG.match(slug):
        raise bad("slug", 'lowercase words joined by hyphens, e.g. "labour-migration"')

    names = table.get("editions", {})
    if not isinstance(names, dict) or not all(isinstance(v, str) and v.strip() for v in names.values()):
        raise bad("editions", 'a table of edition names, e.g. trainer = "Trainer\'s handbook"')
    unknown = set(names) - set(EDITIONS)
    if unknown:
        raise bad("editions", f"a table whose keys are {' and '.join(EDITIONS)} (not {', '.join(sorted(unknown))})")

    rates = table.get("words_per_minute", DEFAULT_WORDS_PER_MINUTE)
    if isinstance(rates, int) and not isinstance(rates, bool):
        rates = {languages[0]: rates}
    if not isinstance(rates, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in rates.values()
    ):
        raise bad("words_per_minute", "a positive whole number, or a table of them by language (en = 100)")

    repository = text("repository")
    if repository and not re.match(r"^https?://[^\s/]+", repository):
        raise bad("repository", "a web address starting with https://, or absent")
    logo_setting = text("logo")
    logo = root / logo_setting if logo_setting else None
    if logo is not None and not logo.is_file():
        raise ProjectError(f"{path}: [tool.curriculum] logo: no such file '{logo_setting}'")

    dates = strings("dates", 'a list of ISO dates, one per day of the course, e.g. ["2026-12-07", "2026-12-08"]')
    for value in dates:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise bad("dates", f'a list of ISO dates such as "2026-12-07" (got "{value}")') from None

    def count(key: str, default: int) -> int:
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise bad(key, "a whole number of at least 1")
        return value

    return Project(
        root=root,
        title=text("title", "Curriculum") or "Curriculum",
        subtitle=text("subtitle"),
        organisation=text("organisation"),
        author=text("author"),
        slug=slug,
        languages=languages,
        edition_names={**DEFAULT_EDITION_NAMES, **{k: v.strip() for k, v in names.items()}},
        logo=logo,
        repository=repository,
        rates=dict(rates),
        dates=dates,
        participants=count("participants", 20),
        group_size=count("group_size", 5),
        select=strings("select", "a list of rule codes"),
        ignore=strings("ignore", "a list of rule codes"),
        allow_raw_html=strings("allow_raw_html", "a list of file patterns"),
    )
