"""A clean site page, on a small curriculum made with ``curriculum init`` (English and Arabic,
both editions): one search entry point, a favicon, a description, no console errors, no
unrendered theme files, subset WOFF2 fonts, and well-formed markup from our own templates."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pytest

from .test_loop import build, init_project

#: A built site in a real browser: the slow tier.
pytestmark = pytest.mark.slow

TOOLS = Path(__file__).resolve().parent.parent / "tools" / "curriculum"
SITES = ("html", "html-trainer")
LANGS = ("en", "ar")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``_build`` of an init-made curriculum in English and Arabic, both editions, HTML."""
    project = init_project(tmp_path_factory.mktemp("site"), "en,ar")
    build(project, "--lang", "all", "--edition", "all", "--format", "html")
    return project / "_build"


def pages(built: Path) -> list[Path]:
    """Every page of both sites in both languages, the language index pages included."""
    found = [built / site / "index.html" for site in SITES]
    for site in SITES:
        for lang in LANGS:
            found += sorted(p for p in (built / site / lang).rglob("*.html") if "_static" not in p.parts)
    return found


# --- the pages' head -------------------------------------------------------------------------


def test_every_page_has_a_description_a_favicon_and_a_theme_mode(built: Path) -> None:
    for page in pages(built):
        if page.parent.name in SITES or (page.name == "index.html" and page.parent.name in LANGS):
            continue  # the redirect pages (language index, start page)
        html = page.read_text(encoding="utf-8")
        where = page.relative_to(built)
        descriptions = re.findall(r'<meta name="description" content="([^"]*)"', html)
        assert len(descriptions) == 1 and len(descriptions[0]) >= 10, f"{where}: {descriptions}"
        icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
        assert icon, f"{where}: no favicon"
        assert (page.parent / icon[1]).resolve().is_file(), f"{where}: favicon {icon[1]} missing"
        assert '<body data-default-mode="auto">' in html, f"{where}: theme mode not set"


def test_the_contents_of_a_page_are_beside_it_exactly_when_it_has_sections(built: Path) -> None:
    """The secondary sidebar holds the page's contents, labelled by its heading, on the pages with
    sections, and is left out on the others (decided without rendering it twice)."""
    for page in (p for p in pages(built) if p.parent.name in {"handbook", "exercises"}):
        html = page.read_text(encoding="utf-8")
        article = html.split('<article class="bd-article">', 1)[-1].split("</article>", 1)[0]
        where = page.relative_to(built)
        beside = 'id="pst-secondary-sidebar"' in html
        assert beside == ('id="pst-page-toc-nav"' in html) == ("<h2" in article), where
        if beside:
            label = re.search(r'<nav id="pst-page-toc-nav" class="page-toc" aria-labelledby="([^"]+)"', html)
            assert label and html.count(f'id="{label[1]}"') == 1, where


def test_a_chapter_is_described_by_its_first_paragraph(built: Path) -> None:
    html = (built / "html" / "en" / "handbook" / "introduction.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="This chapter opens the course.' in html


def test_only_what_readers_use_is_published_from_the_themes(built: Path) -> None:
    """No unrendered theme templates, TrueType fonts, theme translations or source maps."""
    for site in SITES:
        for lang in LANGS:
            static = built / site / lang / "_static"
            published = {p.name for p in static.rglob("*")}
            assert not published & {"webpack-macros.html", "sbt-webpack-macros.html", "locales"}, static
            assert not [name for name in published if name.endswith((".map", ".po", ".mo"))], static
            assert {"pydata-sphinx-theme.css", "pydata-sphinx-theme.js", "sphinx-book-theme.css"} <= published, static
            assert not [name for name in published if name.endswith(".ttf")], static
            assert {"naskh-arabic-regular.woff2", "naskh-arabic-bold.woff2"} <= published, static


def test_the_web_fonts_are_subsets_that_cover_the_site_ranges() -> None:
    import importlib.util

    from fontTools.ttLib import TTFont

    spec = importlib.util.spec_from_file_location("subset", TOOLS / "fonts" / "subset.py")
    subset = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(subset)
    css = (TOOLS / "static" / "curriculum.css").read_text(encoding="utf-8")
    for source, target in subset.FACES.items():
        path = TOOLS / "static" / "fonts" / target
        font = TTFont(path)
        assert font.flavor == "woff2"
        cmap = set(font.getBestCmap())
        wanted = {c for first, last in subset.RANGES for c in range(first, last + 1)}
        # every character of the ranges that the full face has (the face has no Latin letters:
        # those come from the reader's system font, as the stylesheet says)
        assert cmap == wanted & set(TTFont(TOOLS / "fonts" / source).getBestCmap())
        assert {ord(c) for c in "بسم الله الرحمن الرحيم،؟٣ـ"} <= cmap
        assert {"init", "medi", "fina", "rlig"} <= {r.FeatureTag for r in font["GSUB"].table.FeatureList.FeatureRecord}
        assert path.stat().st_size < (TOOLS / "fonts" / source).stat().st_size / 3
        assert f'url("fonts/{target}") format("woff2")' in css
    assert css.count(f"unicode-range: {subset.unicode_range()};") == 2


# --- our templates' markup --------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class StrictParser(HTMLParser):
    """Reports every element left open, closed out of order or closed without being open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> closes a void element")
        elif self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
        elif any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack[-1][0] != tag:
                open_tag, (line, _column) = self.stack.pop()
                self.problems.append(f"line {line}: <{open_tag}> is not closed before </{tag}>")
            self.stack.pop()
        else:
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> closes nothing")

    def report(self, markup: str) -> list[str]:
        self.feed(markup)
        self.close()
        return self.problems + [f"line {line}: <{tag}> is never closed" for tag, (line, _c) in self.stack]


def markup_problems(markup: str) -> list[str]:
    return StrictParser().report(markup)


def test_the_strict_parser_finds_unclosed_elements() -> None:
    assert markup_problems("<nav><ul><li>a</li></nav>") == ["line 1: <ul> is not closed before </nav>"]
    assert markup_problems("<details><summary>x</summary>") == ["line 1: <details> is never closed"]
    assert markup_problems("<p>a</p></div>") == ["line 1: </div> closes nothing"]
    assert markup_problems('<nav><a href="x">y</a><br><img src="z"></nav>') == []


def render_template(name: str, **context: Any) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TOOLS / "templates"), autoescape=True)
    environment.globals["_"] = lambda text: text
    return environment.get_template(name).render(**context)


LINK = {"lang": "ar", "dir": "rtl", "name": "العربية", "href": "../ar/handbook/index.html"}


@pytest.mark.parametrize(
    ("name", "context"),
    [
        ("language-switch.html", {"curriculum_language_links": [LINK], "curriculum_language_name": "English"}),
        (
            "language-switch.html",
            {
                "curriculum_language_links": [LINK, {**LINK, "lang": "fr", "dir": "ltr"}],
                "curriculum_language_name": "English",
            },
        ),
        ("language-switch.html", {"curriculum_language_links": []}),
        ("search-button-field.html", {}),
    ],
    ids=["switch-two-languages", "switch-menu", "switch-one-language", "search-button"],
)
def test_our_site_templates_close_every_element(name: str, context: dict[str, Any]) -> None:
    markup = render_template(name, **context)
    assert markup_problems(markup) == [], markup


def test_our_generated_pages_close_every_element(built: Path) -> None:
    """The language index and the start page are written by the builder itself, not the theme."""
    for page in (
        built / "html" / "index.html",
        built / "html-trainer" / "index.html",
        built / "html" / "ar" / "index.html",
    ):
        markup = page.read_text(encoding="utf-8")
        assert markup_problems(markup) == [], f"{page.relative_to(built)}\n{markup}"


def test_the_serve_banner_script_builds_no_markup_from_strings() -> None:
    """The preview's banner is made with createElement and textContent: nothing to leave unclosed."""
    script = (TOOLS / "templates" / "preview.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "</" not in script  # would also end the inline <script>


# --- in the browser ---------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


VISIBLE_SEARCH = """() => [...document.querySelectorAll('.search-button__button, form.bd-search input, #searchbox input')]
  .filter((e) => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                   return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('dialog:not([open])'); })
  .length"""


def test_every_page_loads_without_console_errors_or_missing_files(built: Path, browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    current = [""]
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            problems.append(f"{current[0]}: console {m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"{current[0]}: {e}"))
    page.on(
        "response", lambda r: problems.append(f"{current[0]}: HTTP {r.status} {r.url}") if r.status >= 400 else None
    )
    # a request the browser itself aborts when the next page is opened is not a missing file
    page.on(
        "requestfailed",
        lambda r: None if "ERR_ABORTED" in (r.failure or "") else problems.append(f"{current[0]}: failed {r.url}"),
    )
    visited = 0
    for path in pages(built):
        current[0] = path.relative_to(built).as_posix()
        page.goto(f"{site_url}/{current[0]}")
        page.wait_for_load_state("networkidle")
        visited += 1
    context.close()
    assert visited >= 30
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [1280, 900, 400])
@pytest.mark.parametrize("lang", LANGS)
def test_one_search_entry_point_at_every_width(browser: Any, site_url: str, lang: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{site_url}/html/{lang}/handbook/introduction.html")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(VISIBLE_SEARCH) == 1
    page.close()


def test_arabic_pages_load_the_subset_woff2_fonts(browser: Any, site_url: str) -> None:
    page = browser.new_page()
    fonts: dict[str, int] = {}
    page.on(
        "response",
        lambda r: (
            fonts.__setitem__(r.url.rsplit("/", 1)[-1], len(r.body()))
            if re.search(r"\.(ttf|woff2?)(\?|$)", r.url)
            else None
        ),
    )
    page.goto(f"{site_url}/html/ar/handbook/introduction.html")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.includes('Naskh') && f.status === 'loaded').length"
    )
    page.close()
    naskh = {name: size for name, size in fonts.items() if "naskh" in name}
    assert naskh and all(name.endswith(".woff2") and size < 60_000 for name, size in naskh.items()), fonts
    assert loaded >= 1


def test_inline_code_reads_left_to_right_on_arabic_pages(browser: Any, site_url: str) -> None:
    """A command in an Arabic sentence keeps its order (``.venv/bin/curriculum``, not
    ``venv/bin/curriculum.``): left to right, isolated from the Arabic around it."""
    page = browser.new_page()
    page.goto(f"{site_url}/html/ar/handbook/introduction.html")
    page.wait_for_load_state("networkidle")
    style = page.evaluate(
        """() => {
            const code = document.createElement("code");
            code.textContent = ".venv/bin/curriculum check";
            document.querySelector("article p").append(" ", code);
            const style = getComputedStyle(code);
            return [style.direction, style.unicodeBidi];
        }"""
    )
    page.close()
    assert style == ["ltr", "isolate"]


def test_a_long_code_name_in_the_pages_contents_stays_in_its_column(browser: Any, site_url: str) -> None:
    """The checker rules' contents list rule names such as ``outcome-id-not-kebab-case``: in the
    Arabic site they ran out of the column, cut off at its edge."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site_url}/html/ar/handbook/introduction.html")
    page.wait_for_load_state("networkidle")
    widths = page.evaluate(
        """() => {
            const item = document.createElement("li");
            item.innerHTML = '<a href="#x">FM011 <code class="docutils literal notranslate">'
                + '<span class="pre">outcome-id-not-kebab-case-and-longer-still</span></code></a>';
            document.querySelector("#pst-page-toc-nav ul").append(item);
            const column = document.querySelector(".bd-sidebar-secondary");
            return [column.scrollWidth, column.clientWidth];
        }"""
    )
    page.close()
    assert widths[0] <= widths[1], widths


def test_the_language_switch_is_named_in_the_pages_language(built: Path) -> None:
    """It was "Language / اللغة" on every page of every course, whatever its languages."""
    for lang, name in (("en", "Language"), ("ar", "اللغة")):
        for page in (built / "html" / lang / "handbook" / "introduction.html", built / "html" / lang / "index.html"):
            html = page.read_text(encoding="utf-8")
            assert re.findall(r'<nav class="language-switch" aria-label="([^"]*)"', html) == [name], page
