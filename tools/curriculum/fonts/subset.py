"""Make the site's web fonts: Noto Naskh Arabic subset to what the site shows, as WOFF2.

    python tools/curriculum/fonts/subset.py

The full TrueType faces (about 1 MB each: every Arabic-script language, Latin and symbols)
stay for the PDFs; the site gets WOFF2 files with only the Arabic-script, Latin and
punctuation ranges listed in ``RANGES``, every OpenType layout feature kept (Arabic needs
its joining forms, ligatures and mark positioning). The output depends on these ranges and
the source fonts only, never on the curriculum, so the files are made once and committed
(``tools/curriculum/static/fonts/``) rather than at every build: a build needs no font tools
and costs nothing, and the stylesheet's ``unicode-range`` matches ``RANGES``. Run this
again after changing the ranges or updating the fonts; ``tests/test_site.py`` checks that
the committed files cover the ranges.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE.parent / "static" / "fonts"
FACES = {
    "NotoNaskhArabic-Regular.ttf": "naskh-arabic-regular.woff2",
    "NotoNaskhArabic-Bold.ttf": "naskh-arabic-bold.woff2",
}
#: (first, last) code points: the stylesheet's unicode-range says the same (curriculum.css).
RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement: no-break space, guillemets, accented letters
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0x200B, 0x206F),  # General Punctuation: ZWNJ/ZWJ, LRM/RLM, dashes, quotes, isolates
    (0x25CC, 0x25CC),  # dotted circle, shown for a lone combining mark
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
]


def unicode_range() -> str:
    """``RANGES`` as a CSS ``unicode-range`` value."""
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in RANGES)


def subset(source: Path, destination: Path) -> None:
    from fontTools import subset as ft

    options = ft.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the copyright and licence records (OFL)
    options.name_languages = ["*"]
    options.hinting = False  # browsers hardly hint: a third of the size
    options.notdef_outline = True
    font = ft.load_font(str(source), options)
    subsetter = ft.Subsetter(options)
    subsetter.populate(unicodes=[c for a, b in RANGES for c in range(a, b + 1)])
    subsetter.subset(font)
    ft.save_font(font, str(destination), options)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for source, target in FACES.items():
        subset(HERE / source, OUT / target)
        print(f"{OUT / target}: {(OUT / target).stat().st_size:,} bytes (from {(HERE / source).stat().st_size:,})")
    print(f"unicode-range: {unicode_range()}")


if __name__ == "__main__":
    main()
