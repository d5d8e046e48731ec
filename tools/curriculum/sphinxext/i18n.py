"""The extension's own interface strings, translated through its message catalogue."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.locale import get_translation

CATALOG = "curriculum"
LOCALE_DIR = Path(__file__).parent.parent / "locale"

#: Translate an interface string at use time (``_("Duration")``).
_ = get_translation(CATALOG)

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def direction(language: str | None) -> str:
    """``rtl`` for right-to-left languages, else ``ltr``."""
    return "rtl" if (language or "en").split("_")[0] in RTL_LANGUAGES else "ltr"


def setup(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
