"""The extension's own interface strings, translated through its message catalogue."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import get_translation

from ..atomic import atomic_path
from ..paths import INTERFACE_LOCALE_DIR
from ..project import direction  # noqa: F401  (re-exported for the builders)

CATALOG = "curriculum"

#: Translate an interface string at use time (``_("Duration")``).
_ = get_translation(CATALOG)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of an interface string for ``count`` (Arabic has six)."""
    from sphinx.locale import translators

    translator = translators.get(("general", CATALOG))
    if translator is None:
        return singular if count == 1 else plural
    return translator.ngettext(singular, plural, count)


def compile_catalogues(folder: Path = INTERFACE_LOCALE_DIR) -> None:
    """Compile each ``.po`` under ``folder`` to ``.mo`` when the ``.mo`` is missing or older."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in folder.glob(f"*/LC_MESSAGES/{CATALOG}.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        try:
            with atomic_path(mo) as partial, partial.open("wb") as target:
                write_mo(target, catalog)
        except OSError:  # an installed, read-only package: its shipped .mo is used as it is
            continue


#: Book settings shown on the cover and in the site header, translated like any message
#: (their catalogue is ``locales/<lang>/LC_MESSAGES/sphinx.po``, kept by ``translate update``).
BOOK_SETTINGS = ("project", "html_title", "curriculum_subtitle", "curriculum_organisation")


def translate_book_settings(app: Sphinx, config: Config) -> None:
    """Apply the language's translations of the title, subtitle, organisation and edition names.

    The curriculum's own catalogue wins; an edition name left at its default falls back to
    the interface catalogue, which ships it in English, Arabic and French.
    """
    from sphinx.locale import get_translation

    translate = get_translation("sphinx")
    for name in BOOK_SETTINGS:
        value = getattr(config, name, None)
        if isinstance(value, str) and value:
            setattr(config, name, str(translate(value)))
    names = {}
    for edition, name in dict(config.curriculum_edition_names).items():
        own = str(translate(name))
        names[edition] = own if own != name else str(_(name))
    config.curriculum_edition_names = names


def edition_name(config: Config, edition: str | None = None) -> str:
    """The edition's name as covers and titles show it, in the book's language."""
    edition = edition or config.curriculum_edition
    return str(config.curriculum_edition_names.get(edition, edition))


def setup(app: Sphinx) -> None:
    app.connect("config-inited", translate_book_settings, priority=100)
    compile_catalogues()
    app.add_message_catalog(CATALOG, str(INTERFACE_LOCALE_DIR))
