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

LOCALES = "locales"


def catalogue_dir(root: Path, lang: str) -> Path:
    return root / LOCALES / lang / "LC_MESSAGES"


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def write_catalogue(catalog: Catalog, path: Path) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    with partial.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)
    partial.replace(path)


def extract(root: Path, destination: Path) -> None:
    """Run Sphinx's gettext builder over the whole curriculum into ``destination``."""
    command = [sys.executable, "-m", "sphinx", "-b", "gettext", "-q", "-D", "curriculum_edition=trainer",
               "-d", str(destination / ".doctrees"), str(root), str(destination)]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr.strip() or "message extraction failed")


def book_settings_template(root: Path, templates: Path) -> None:
    """``sphinx.pot``: the cover's title, subtitle and organisation from ``conf.py``, and the
    theme's interface strings (pydata-sphinx-theme translates through the ``sphinx`` domain and
    ships no Arabic)."""
    import runpy

    from babel.messages.catalog import Catalog

    from .sphinxext.i18n import BOOK_SETTINGS

    settings = runpy.run_path(str(root / "conf.py"))
    template = Catalog(project=str(settings.get("project", "")))
    for name in BOOK_SETTINGS:
        if isinstance(settings.get(name), str) and settings[name]:
            template.add(settings[name], locations=[("conf.py", 0)], auto_comments=[name])
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
    """Bring ``locales/<lang>`` in step with the sources; returns the catalogues written."""
    written = []
    templates = root / "_build" / "gettext"
    extract(root, templates)
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
        write_catalogue(catalog, po)
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
    parser.add_argument("--lang", default="ar", help="language code (default: ar)")
    parser.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace, root: Path) -> int:
    if args.action == "update":
        try:
            written = update(root, args.lang)
        except RuntimeError as error:
            print(f"curriculum translate: {error}", file=sys.stderr)
            return 2
        print(f"updated {len(written)} catalogues in {catalogue_dir(root, args.lang).relative_to(root)}")
        return 0
    try:
        counts = status(root, args.lang)
    except ValueError as error:
        print(f"curriculum translate: {error}", file=sys.stderr)
        return 2
    translated = sum(c.translated for c in counts)
    total = sum(c.total for c in counts)
    percent = 100.0 * translated / total if total else 0.0
    if args.format == "json":
        print(json.dumps({"language": args.lang, "documents": [asdict(c) | {"total": c.total} for c in counts],
                          "translated": translated, "total": total, "percent": round(percent, 1)}, indent=2))
        return 0
    width = max((len(c.document) for c in counts), default=8)
    print(f"{'document':<{width}}  translated  fuzzy  untranslated")
    for c in counts:
        print(f"{c.document:<{width}}  {c.translated:>10}  {c.fuzzy:>5}  {c.untranslated:>12}")
    print(f"total: {translated} of {total} messages translated ({percent:.1f}%)")
    return 0
