"""``curriculum init DIR``: start a new curriculum that passes the checker and builds at once.

It writes the project description, a start page, one chapter with a learning outcome,
one exercise that practises it, a one-day agenda, a glossary, a README with the two
commands, a Makefile and a ``.gitignore``; for each language after the first, empty
catalogues to translate.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

from .paths import TEMPLATES_DIR
from .project import DEFAULT_WORDS_PER_MINUTE, LANGUAGE_CODE, LOCALES_DIR

TEMPLATE = TEMPLATES_DIR / "init"
#: Files whose template name differs from the name written (a template ``pyproject.toml``
#: would be taken for a real one by tools such as ruff).
RENAMED = {"gitignore": ".gitignore", "pyproject.toml.in": "pyproject.toml"}


class InitError(Exception):
    """The curriculum cannot be created; the message says why, in one line."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, metavar="DIR", help="an empty or new folder")
    parser.add_argument("--title", default="Training Curriculum", help="the book's title")
    parser.add_argument(
        "--languages",
        default="en",
        type=_languages,
        help="comma-separated language codes, the source language first (default: en)",
    )
    parser.add_argument("--organisation", default="", help="who the curriculum is by or for")


def _languages(value: str) -> list[str]:
    codes = [code.strip() for code in value.split(",") if code.strip()]
    bad = [code for code in codes if not LANGUAGE_CODE.match(code)]
    if not codes or bad or len(set(codes)) != len(codes):
        raise argparse.ArgumentTypeError(f"'{value}' is not a list of distinct language codes such as en,fr")
    return codes


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug or "curriculum"


def create(directory: Path, title: str, languages: list[str], organisation: str = "") -> list[Path]:
    """Write the new curriculum into ``directory``; returns the files written."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InitError(f"'{directory}' is not an empty folder; choose a new or empty one")
    values = {
        "title": _toml(title),
        "organisation": _toml(organisation),
        "slug": slugify(title),
        "languages": ", ".join(f'"{code}"' for code in languages),
        "rates": "\n".join(f"{code} = {DEFAULT_WORDS_PER_MINUTE}" for code in languages),
        "python": sys.executable,
    }
    written = []
    for source in sorted(p for p in TEMPLATE.rglob("*") if p.is_file()):
        relative = source.relative_to(TEMPLATE)
        target = directory / relative.with_name(RENAMED.get(relative.name, relative.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        text = Template(source.read_text(encoding="utf-8"))
        # Markdown shows the title as written; TOML needs it escaped.
        own = values if target.suffix == ".toml" else {**values, "title": title, "organisation": organisation}
        target.write_text(text.substitute(own), encoding="utf-8")
        written.append(target)
    for code in languages[1:]:
        folder = directory / LOCALES_DIR / code / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
    return written


def _toml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def run(args: argparse.Namespace) -> int:
    directory: Path = args.directory
    try:
        written = create(directory, args.title, args.languages, args.organisation)
    except InitError as error:
        print(f"curriculum init: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"curriculum init: error: cannot write the curriculum: {error}", file=sys.stderr)
        return 2
    if args.languages[1:]:
        from .translate import update

        for code in args.languages[1:]:
            update(directory.resolve(), code)
    print(f"Created a curriculum in {directory} ({len(written)} files; languages: {', '.join(args.languages)})")
    print("Next steps:")
    print(f"  cd {directory}")
    print("  make          # check, then build the sites, the PDFs and the handouts")
    print("  curriculum serve   # live preview while you write")
    return 0
