"""Sphinx's compiled catalogues are written whole (curriculum.sphinxrun.write_catalogues_whole):
builds of one language side by side never read a half-written ``.mo``."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import pytest
from sphinx.util import i18n
from sphinx.util.i18n import CatalogInfo

import curriculum.sphinxrun  # noqa: F401  (installs the whole writing, as every build does)

PO = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Title"\nmsgstr "{}"\n'


def test_a_catalogue_is_replaced_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "sphinx.po").write_text(PO.format("القديم"), encoding="utf-8")
    catalogue = CatalogInfo(folder, "sphinx", "utf-8")
    catalogue.write_mo("ar")
    mo = folder / "sphinx.mo"
    old = mo.read_bytes()
    (folder / "sphinx.po").write_text(PO.format("الجديد"), encoding="utf-8")
    seen: list[bytes] = []
    write = i18n.write_mo

    def while_writing(handle: Any, catalog: Any, use_fuzzy: bool = False) -> None:
        seen.append(mo.read_bytes())  # what another build reading the catalogue now would get
        write(handle, catalog, use_fuzzy)

    monkeypatch.setattr(i18n, "write_mo", while_writing)
    catalogue.write_mo("ar")
    assert seen == [old]
    with mo.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Title") == "الجديد"
    assert sorted(p.name for p in folder.iterdir()) == ["sphinx.mo", "sphinx.po"]  # no part left


def test_an_unreadable_catalogue_leaves_the_compiled_one(tmp_path: Path) -> None:
    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "sphinx.po").write_text(PO.format("القديم"), encoding="utf-8")
    catalogue = CatalogInfo(folder, "sphinx", "utf-8")
    catalogue.write_mo("ar")
    old = (folder / "sphinx.mo").read_bytes()
    (folder / "sphinx.po").write_bytes(b'msgid "Title"\nmsgstr "\xff\xfe"\n')  # not UTF-8
    catalogue.write_mo("ar")  # Sphinx warns (reading error) and writes nothing
    assert (folder / "sphinx.mo").read_bytes() == old
    assert sorted(p.name for p in folder.iterdir()) == ["sphinx.mo", "sphinx.po"]
