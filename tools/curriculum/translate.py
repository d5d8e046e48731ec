"""``curriculum translate update|status``: gettext catalogues for each language.

``update`` extracts every message with Sphinx's gettext builder (trainer edition,
so that trainer material is translatable too) and merges it into
``locales/<lang>/LC_MESSAGES/<docname>.po`` with Babel, keeping translations and
marking changed ones fuzzy. ``status`` counts translated, fuzzy and untranslated
messages per document.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

from .atomic import write_atomic
from .project import BUILD_DIR, Project, ProjectError, load_project


def catalogue_dir(root: Path, lang: str) -> Path:
    return load_project(root).catalogue_dir(lang)


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def render_catalogue(catalog: Catalog) -> bytes:
    from io import BytesIO

    from babel.messages.pofile import write_po

    buffer = BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False)
    return buffer.getvalue()


def write_catalogue(catalog: Catalog, path: Path) -> bool:
    """Write ``catalog`` to ``path`` only when its messages differ from what is there.

    Headers that change on every extraction (``POT-Creation-Date``) do not count, so an
    update that changes nothing leaves the file, and ``git status``, untouched.
    """
    data = render_catalogue(catalog)
    if path.exists() and _without_dates(path.read_bytes()) == _without_dates(data):
        return False
    write_atomic(path, data)
    return True


def _without_dates(data: bytes) -> bytes:
    import re

    return re.sub(rb'"(POT-Creation-Date|PO-Revision-Date): [^"]*"', b"", data)


def extract(project: Project, destination: Path) -> None:
    """Run Sphinx's gettext builder over the whole curriculum (trainer edition) into ``destination``."""
    command = [
        sys.executable,
        "-m",
        "curriculum.sphinxrun",
        "--lenient",
        "--lang",
        project.source_language,
        "--edition",
        "trainer",
        "--builder",
        "gettext",
        "--doctrees",
        str(destination / ".doctrees"),
        str(project.root),
        str(destination),
    ]
    result = subprocess.run(command, cwd=project.root, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr.strip() or "message extraction failed")


def book_settings_template(root: Path, templates: Path) -> None:
    """``sphinx.pot``: the book's title, subtitle, organisation and edition names from the
    project description, and the
    theme's interface strings (pydata-sphinx-theme translates through the ``sphinx`` domain and
    ships no Arabic)."""
    from babel.messages.catalog import Catalog

    project = load_project(root)
    template = Catalog(project=project.title)
    settings = {
        "title": project.title,
        "subtitle": project.subtitle,
        "organisation": project.organisation,
        **{f"editions.{edition}": name for edition, name in project.edition_names.items()},
    }
    for name, value in settings.items():
        if value and value not in template:
            template.add(value, locations=[("pyproject.toml", 0)], auto_comments=[f"[tool.curriculum] {name}"])
    try:
        import pydata_sphinx_theme
    except ImportError:
        pass
    else:
        theme = Path(pydata_sphinx_theme.__file__).parent / "locale" / "sphinx.pot"
        if theme.exists():
            for message in read_catalogue(theme):
                if message.id and message.id not in template:
                    template.add(message.id, auto_comments=["theme"], flags=message.flags)
    write_catalogue(template, templates / "sphinx.pot")


def update(root: Path, lang: str) -> list[Path]:
    """Bring ``locales/<lang>`` in step with the sources; returns the catalogues that changed."""
    written = []
    project = load_project(root)
    project.require_language(lang)
    templates = root / BUILD_DIR / "gettext"
    extract(project, templates)
    book_settings_template(root, templates)
    for pot in sorted(templates.rglob("*.pot")):
        relative = pot.relative_to(templates).with_suffix(".po")
        po = catalogue_dir(root, lang) / relative
        template = read_catalogue(pot)
        if po.exists():
            catalog = read_catalogue(po, lang)
            catalog.update(template, update_header_comment=False)
            catalog.obsolete.clear()
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=lang, project=template.project, version=template.version)
            catalog.update(template)
        if write_catalogue(catalog, po):
            written.append(po)
    return written


@dataclass
class Counts:
    document: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated


def status(root: Path, lang: str) -> list[Counts]:
    """Per-document counts for ``lang`` (malformed catalogues raise ValueError naming the file)."""
    folder = catalogue_dir(root, lang)
    results = []
    for po in sorted(folder.rglob("*.po")):
        try:
            catalog = read_catalogue(po, lang)
        except Exception as error:  # babel raises several kinds on bad input
            raise ValueError(f"{po.relative_to(root)}: malformed catalogue ({error})") from error
        counts = Counts(po.relative_to(folder).with_suffix("").as_posix())
        for message in catalog:
            if not message.id:
                continue
            if message.fuzzy and message.string:
                counts.fuzzy += 1
            elif message.string:
                counts.translated += 1
            else:
                counts.untranslated += 1
        results.append(counts)
    return results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["update", "status"])
    parser.add_argument("--lang", help="language code (default: every translation the project lists)")
    parser.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace, root: Path) -> int:
    try:
        project = load_project(root)
        languages = [project.require_language(args.lang)] if args.lang else list(project.translations)
    except ProjectError as error:
        print(f"curriculum translate: error: {error}", file=sys.stderr)
        return 2
    if not languages:
        print(
            "curriculum translate: error: the project lists no language but its source language; "
            "add one to `languages` in [tool.curriculum]",
            file=sys.stderr,
        )
        return 2
    if args.action == "update":
        for lang in languages:
            try:
                written = update(root, lang)
            except RuntimeError as error:
                print(f"curriculum translate: {error}", file=sys.stderr)
                return 2
            print(f"{lang}: {len(written)} catalogues changed in {project.catalogue_dir(lang).relative_to(root)}")
        return 0
    status_code = 0
    for lang in languages:
        status_code = max(status_code, _report_status(project, lang, args.format))
    return status_code


def _report_status(project: Project, lang: str, fmt: str) -> int:
    root = project.root
    try:
        counts = status(root, lang)
    except ValueError as error:
        print(f"curriculum translate: {error}", file=sys.stderr)
        return 2
    translated = sum(c.translated for c in counts)
    total = sum(c.total for c in counts)
    percent = 100.0 * translated / total if total else 0.0
    if fmt == "json":
        print(
            json.dumps(
                {
                    "language": lang,
                    "documents": [asdict(c) | {"total": c.total} for c in counts],
                    "translated": translated,
                    "total": total,
                    "percent": round(percent, 1),
                },
                indent=2,
            )
        )
        return 0
    width = max((len(c.document) for c in counts), default=8)
    print(f"{'document':<{width}}  translated  fuzzy  untranslated")
    for c in counts:
        print(f"{c.document:<{width}}  {c.translated:>10}  {c.fuzzy:>5}  {c.untranslated:>12}")
    print(f"total: {translated} of {total} messages translated ({percent:.1f}%)")
    return 0
