"""Accessibility gates for the outputs learners use.

The site, in a real browser: the participant site is built (English and Arabic), served on
127.0.0.1, loaded in Debian's Chromium driven by Playwright, and scanned with axe-core (npm,
pinned in ``package.json``) for WCAG 2.0 and 2.1, levels A and AA: every chapter, an
exercise, the agenda, the glossary and the home page, in light and dark mode. A keyboard
check tabs through a chapter page. Allowed findings live in ``tests/a11y/allowed.py`` alone.

The PDFs, without a browser: the tags, language, title and PDF/UA identification of the
trainer's handbook, the participant workbook and a handout, read with pikepdf.

Nothing here skips: a missing browser, Playwright or ``node_modules`` fails with what to run.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .a11y.allowed import ALLOWED
from .conftest import ROOT, SAMPLE, SLUG, copy_sample, run_curriculum

#: Real builds of the sample curriculum: the slow tier (`make test`, not `make test-fast`).
pytestmark = pytest.mark.slow

LANGS = ("en", "ar")
MODES = ("light", "dark")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: axe answers "incomplete" (needs review) instead of pass/fail for these rules when it cannot
#: decide, e.g. text whose background is hidden by another element: that is a check not done.
INCOMPLETE_IS_FAILURE = {"color-contrast"}

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: Tall enough that the theme's sticky sidebars show every entry: at 720 px axe reports the
#: entries scrolled under the sticky header as "incomplete" (contrast unknown), not checked.
SCAN_VIEWPORT = {"width": 1280, "height": 2400}
KEYBOARD_VIEWPORT = {"width": 1280, "height": 800}

EXERCISE = "mock-meeting"  # tables, lists, headings
KEYBOARD_CHAPTER = "meeting-roles"  # the meeting diagram, glossary links, a trainer-free page
HANDOUT = "mock-meeting"


def toctree(caption: str) -> list[str]:
    """The entries of the toctree with ``caption`` in the sample's ``handbook/index.md``."""
    text = (SAMPLE / "handbook" / "index.md").read_text(encoding="utf-8")
    for block in re.findall(r"```\{toctree\}\n(.*?)```", text, flags=re.S):
        if re.search(rf"^:caption:\s*{re.escape(caption)}\s*$", block, flags=re.M):
            return [line.strip() for line in block.splitlines() if line.strip() and not line.startswith(":")]
    raise AssertionError(f"no toctree captioned {caption!r} in handbook/index.md")


CHAPTERS = toctree("Chapters")
SCANNED = [f"handbook/{chapter}" for chapter in CHAPTERS] + [
    "handbook/index",
    f"exercises/{EXERCISE}",
    "handbook/agenda",
    "handbook/glossary",
]


# --------------------------------------------------------------------------------------------
# The site, its server, the browser and axe-core


@pytest.fixture(scope="session")
def a11y_site(tmp_path_factory: pytest.TempPathFactory, pdf_builds: dict[str, Any]) -> Path:
    """The participant site in English and Arabic, built in a copy of the project (PDFs building meanwhile)."""
    project = copy_sample(tmp_path_factory.mktemp("a11y-site"))
    result = run_curriculum(project, "build", "--lang", "all", "--edition", "participant", "--format", "html")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "_build" / "html"
    for lang in LANGS:
        for page in SCANNED:
            assert (site / lang / f"{page}.html").is_file(), f"{lang}/{page}.html was not built"
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(a11y_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a free port) for the session."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(a11y_site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core as pinned in package.json and installed by ``npm ci``."""
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    if not AXE.is_file():
        pytest.fail(
            f"{AXE.relative_to(ROOT)} is missing: run `npm ci` in {ROOT} to install axe-core {pinned}", pytrace=False
        )
    installed = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != pinned:
        pytest.fail(f"node_modules has axe-core {installed}, package.json pins {pinned}: run `npm ci`", pytrace=False)
    return AXE.read_text(encoding="utf-8")


#: Wait for the web fonts and for running transitions: the theme's colours fade in over 150 ms
#: after load, and a contrast check made meanwhile would measure colours nobody sees.
SETTLE = """async () => {
  await document.fonts.ready;
  const running = document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(running.map((a) => a.finished.catch(() => null)));
}"""


def open_page(browser: Any, url: str, *, mode: str = "light", viewport: dict[str, int] = SCAN_VIEWPORT) -> Any:
    """A fresh context and page showing ``url`` in the theme's ``mode`` (light or dark).

    pydata-sphinx-theme reads the mode from ``localStorage`` before it paints; its own tests set
    ``data-theme`` on ``<html>``. Setting the stored mode first also exercises the theme's switch.
    """
    context = browser.new_context(viewport=viewport)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else '?'}"
    page.wait_for_function(f"document.documentElement.dataset.theme === '{mode}'", timeout=20_000)
    page.evaluate(SETTLE)
    return page


RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                           resultTypes: ['violations', 'incomplete']});
  const brief = (rule) => ({id: rule.id, impact: rule.impact, help: rule.help,
    nodes: rule.nodes.map((node) => ({target: node.target.join(' '), html: node.html.slice(0, 200),
                                      summary: node.failureSummary || (node.any[0] || {}).message || ''}))});
  return {version: axe.version, violations: results.violations.map(brief),
          incomplete: results.incomplete.map(brief)};
}"""


def findings(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """``(kind, rule, selector, detail)`` for each failing node axe reported, allowed ones removed."""
    found = []
    for kind, rules in (
        ("violation", results["violations"]),
        ("incomplete", [r for r in results["incomplete"] if r["id"] in INCOMPLETE_IS_FAILURE]),
    ):
        for rule in rules:
            for node in rule["nodes"]:
                if (rule["id"], node["target"]) in ALLOWED or (rule["id"], "*") in ALLOWED:
                    continue
                detail = f"{rule['help']} ({rule['impact']}): {node['summary']}\n      {node['html']}"
                found.append((kind, rule["id"], node["target"], detail))
    return found


def axe_report(found: list[tuple[str, str, str, str]]) -> str:
    counts = Counter(f"{kind} {rule}" for kind, rule, _, _ in found)
    lines = [f"{len(found)} axe finding(s): " + ", ".join(f"{rule} x{n}" for rule, n in counts.items())]
    lines += [f"  [{kind}] {rule} at {target}\n      {detail}" for kind, rule, target, detail in found]
    lines.append(
        "Fix them (curriculum.css, templates, extension); allow only the theme's own, with a reason, "
        "in tests/a11y/allowed.py."
    )
    return "\n".join(lines)


@pytest.mark.parametrize("page_name", SCANNED)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_wcag_violation(
    axe_source: str, browser: Any, site_url: str, lang: str, mode: str, page_name: str
) -> None:
    page = open_page(browser, f"{site_url}/{lang}/{page_name}.html", mode=mode)
    try:
        assert page.evaluate("document.documentElement.lang") == lang
        page.add_script_tag(content=axe_source)
        results = page.evaluate(RUN_AXE, AXE_TAGS)
    finally:
        page.context.close()
    found = findings(results)
    assert not found, f"{lang}/{page_name}.html ({mode} mode, axe-core {results['version']}):\n" + axe_report(found)


def test_allowed_findings_give_reasons() -> None:
    for (rule, selector), reason in ALLOWED.items():
        assert re.fullmatch(r"[a-z0-9-]+", rule), f"{rule!r}: not an axe rule id"
        assert selector.strip(), f"{rule}: give a selector, or '*' for every node"
        assert len(reason.split()) >= 5, f"{rule} at {selector}: say why it is allowed"


# --------------------------------------------------------------------------------------------
# Keyboard: every control reachable by Tab, focus visible, the skip link works

#: Marks every rendered control with ``data-kb`` (its index) and describes each. A control is a
#: native one (link, button, field...) even with ``tabindex="-1"`` (then Tab misses it and the
#: test says so), or any element the page put in the Tab order with ``tabindex`` >= 0.
MARK_FOCUSABLE = """() => {
  const controls = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, iframe, '
                 + '[contenteditable=""], [contenteditable=true]';
  const shown = (el) => el.checkVisibility({visibilityProperty: true}) && el.getClientRects().length > 0;
  const list = [...document.querySelectorAll(controls + ', [tabindex]')].filter((el) =>
      shown(el) && !el.disabled && !el.closest('[inert]') && (el.matches(controls) || el.tabIndex >= 0));
  return list.map((el, i) => { el.dataset.kb = String(i);
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].slice(0, 3).join('.')}`
           + ` "${(el.getAttribute('aria-label') || el.textContent || el.title || '').trim().slice(0, 40)}"`
           + (el.getAttribute('tabindex') ? ` tabindex=${el.getAttribute('tabindex')}` : ''); });
}"""

#: What has focus now, and whether its focus is drawn (outline or box shadow).
ACTIVE = r"""async () => {
  // Let transitions run out first (the skip link slides in over 150 ms).
  const running = document.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(running.map((a) => a.finished.catch(() => null)));
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                && !/^(transparent|rgba\(.*,\s*0\))$/.test(style.outlineColor);
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  return {kb: el.dataset.kb ?? null, tag: el.tagName.toLowerCase(), cls: el.className && String(el.className),
          text: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
          href: el.getAttribute('href'), visible: outline || shadow,
          style: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}`,
          inMain: !!el.closest('#main-content'), onScreen: box.bottom > 0 && box.top < innerHeight && box.width > 0};
}"""


@pytest.fixture(scope="session")
def keyboard_walk(browser: Any, site_url: str) -> dict[str, dict[str, Any]]:
    """For each language: the focusable elements of a chapter page and what Tab reached."""
    walks = {}
    for lang in LANGS:
        page = open_page(browser, f"{site_url}/{lang}/handbook/{KEYBOARD_CHAPTER}.html", viewport=KEYBOARD_VIEWPORT)
        try:
            focusable = page.evaluate(MARK_FOCUSABLE)
            reached: list[dict[str, Any]] = []
            for _ in range(len(focusable) + 10):
                page.keyboard.press("Tab")
                active = page.evaluate(ACTIVE)
                if active is None:  # past the last control: the focus left the page
                    break
                if reached and active["kb"] is not None and active["kb"] == reached[0]["kb"]:
                    break  # wrapped round to the first
                reached.append(active)
            walks[lang] = {"focusable": focusable, "reached": reached}
        finally:
            page.context.close()
    return walks


@pytest.mark.parametrize("lang", LANGS)
def test_every_control_is_reachable_by_tab(keyboard_walk: dict[str, dict[str, Any]], lang: str) -> None:
    walk = keyboard_walk[lang]
    focusable, reached = walk["focusable"], walk["reached"]
    assert len(focusable) > 20, f"only {len(focusable)} focusable elements found: is the page complete?"
    got = {int(a["kb"]) for a in reached if a["kb"] is not None}
    missed = [focusable[i] for i in range(len(focusable)) if i not in got]
    assert not missed, f"{len(missed)} of {len(focusable)} controls are never reached by Tab:\n  " + "\n  ".join(missed)
    strays = [a for a in reached if a["kb"] is None]
    assert not strays, f"Tab reached elements that are not rendered or not marked focusable: {strays}"


@pytest.mark.parametrize("lang", LANGS)
def test_focus_is_visible(keyboard_walk: dict[str, dict[str, Any]], lang: str) -> None:
    reached = keyboard_walk[lang]["reached"]
    assert reached
    hidden = [f'{a["tag"]}.{a["cls"]} "{a["text"]}" ({a["style"]})' for a in reached if not a["visible"]]
    assert not hidden, "no focus indicator (outline or box-shadow) on:\n  " + "\n  ".join(hidden)
    off_screen = [f'{a["tag"]}.{a["cls"]} "{a["text"]}"' for a in reached if not a["onScreen"]]
    assert not off_screen, "focused but not scrolled into view:\n  " + "\n  ".join(off_screen)


@pytest.mark.parametrize("lang", LANGS)
def test_skip_link_moves_to_main_content(browser: Any, site_url: str, lang: str) -> None:
    page = open_page(browser, f"{site_url}/{lang}/handbook/{KEYBOARD_CHAPTER}.html", viewport=KEYBOARD_VIEWPORT)
    try:
        page.keyboard.press("Tab")
        first = page.evaluate(ACTIVE)
        assert first is not None and first["href"] == "#main-content", (
            f"the first Tab focuses {first}, not the skip link"
        )
        if lang == "en":
            assert first["text"] == "Skip to main content"
        assert first["visible"] and first["onScreen"], f"the focused skip link is not shown: {first}"
        assert page.evaluate("!!document.querySelector('main#main-content')")
        page.evaluate("window.scrollTo(0, 0)")
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main-content"
        assert page.evaluate("document.querySelector('#main-content').getBoundingClientRect().top") < 120
        page.keyboard.press("Tab")
        after = page.evaluate(ACTIVE)
        assert after is not None and after["inMain"], (
            f"after the skip link, Tab focuses {after}, outside the main content"
        )
    finally:
        page.context.close()


# --------------------------------------------------------------------------------------------
# PDFs: PDF/UA-1 identification, title, language and the structure tree


#: The PDF builds: English (both editions and the handouts) and the Arabic trainer's handbook.
PDF_BUILDS = {
    "en": ("--lang", "en", "--format", "pdf"),
    "ar": ("--lang", "ar", "--edition", "trainer", "--format", "pdf"),
}


@pytest.fixture(scope="session")
def pdf_builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Path, subprocess.Popen[bytes]]]]:
    """Start the PDF builds (each in its own copy of the project) and let them run in the background.

    They take a minute or two; the site build and the browser tests run meanwhile (``a11y_site``
    asks for this fixture first), and ``a11y_pdfs`` waits for them. Builds still running at the end are stopped.
    """
    started = {}
    for name, args in PDF_BUILDS.items():
        project = copy_sample(tmp_path_factory.mktemp(f"a11y-pdf-{name}"))
        with (project / "build.log").open("wb") as log:
            started[name] = (
                project,
                subprocess.Popen(
                    [sys.executable, "-m", "curriculum", "build", *args],
                    cwd=project,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                ),
            )
    yield started
    for _, process in started.values():
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def a11y_pdfs(pdf_builds: dict[str, tuple[Path, subprocess.Popen[bytes]]]) -> dict[str, Path]:
    """English trainer's handbook, workbook and a handout, and the Arabic trainer's handbook."""
    for name, (project, process) in pdf_builds.items():
        process.wait(timeout=900)
        log = (project / "build.log").read_text(encoding="utf-8", errors="replace")
        assert process.returncode == 0, f"PDF build ({name}) failed:\n{log}"
    en, ar = (pdf_builds[name][0] / "_build" / "pdf" for name in ("en", "ar"))
    return {
        "trainer-en": en / f"{SLUG}-trainer-en.pdf",
        "participant-en": en / f"{SLUG}-participant-en.pdf",
        "handout-en": en / "handouts" / f"{HANDOUT}-en.pdf",
        "trainer-ar": ar / f"{SLUG}-trainer-ar.pdf",
    }


def struct_kids(node: Any) -> list[Any]:
    import pikepdf

    kids = node.get("/K")
    if isinstance(kids, pikepdf.Array):
        return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
    return [kids] if isinstance(kids, pikepdf.Dictionary) and "/S" in kids else []


def struct_elements(pdf: Any) -> Iterator[tuple[Any, Any]]:
    """Every structure element with its parent, depth first."""
    stack = [(pdf.Root.StructTreeRoot, kid) for kid in struct_kids(pdf.Root.StructTreeRoot)]
    while stack:
        parent, node = stack.pop()
        yield parent, node
        stack.extend((node, kid) for kid in reversed(struct_kids(node)))


PDF_KINDS = ("trainer-en", "participant-en", "handout-en", "trainer-ar")


@pytest.mark.parametrize("kind", PDF_KINDS)
def test_pdf_is_tagged_pdf_ua(a11y_pdfs: dict[str, Path], kind: str) -> None:
    import pikepdf

    lang = kind.rsplit("-", 1)[1]
    with pikepdf.open(a11y_pdfs[kind]) as pdf:
        root = pdf.Root
        with pdf.open_metadata() as xmp:
            assert str(xmp.get("pdfuaid:part")) == "1", "no PDF/UA-1 identification (pdfuaid:part) in the XMP metadata"
            xmp_title = str(xmp.get("dc:title") or "")
            # PDF/UA-1 wants the XMP to agree with the file (the builder saves without re-checking it)
            assert str(xmp.get("pdf:PDFVersion", pdf.pdf_version)) == pdf.pdf_version, "XMP pdf:PDFVersion disagrees"
        assert "/MarkInfo" in root and bool(root.MarkInfo.get("/Marked")), "/MarkInfo /Marked is not true"
        assert "/StructTreeRoot" in root and "/ParentTree" in root.StructTreeRoot, "no structure tree"
        assert str(root.get("/Lang", "")) == lang, f"/Lang is {root.get('/Lang')!r}, not {lang!r}"
        title = str(pdf.docinfo.get("/Title", ""))
        assert title.strip() and title == xmp_title, f"document title {title!r} / XMP dc:title {xmp_title!r}"
        if lang == "ar":
            assert re.search("[\u0600-\u06ff]", title), f"the Arabic edition's title is not in Arabic: {title!r}"
        assert "/ViewerPreferences" in root and bool(root.ViewerPreferences.get("/DisplayDocTitle")), (
            "viewers are not told to show the title (/ViewerPreferences /DisplayDocTitle)"
        )
        assert "/Outlines" in root, "no bookmarks"


@pytest.mark.parametrize("kind", PDF_KINDS)
def test_pdf_structure_has_headings_lists_tables_and_figures(a11y_pdfs: dict[str, Path], kind: str) -> None:
    import pikepdf

    with pikepdf.open(a11y_pdfs[kind]) as pdf:
        assert "/StructTreeRoot" in pdf.Root, "the PDF is not tagged: no structure tree"
        elements = list(struct_elements(pdf))
        tags = Counter(str(node.S) for _, node in elements)
        assert tags["/Document"] == 1
        assert tags["/H1"] >= 1 and tags["/H2"] >= 1, f"headings are not tagged: {dict(tags)}"
        assert tags["/L"] >= 1 and tags["/LI"] >= 1, f"lists are not tagged: {dict(tags)}"
        problems = []
        for parent, node in elements:
            tag, above = str(node.S), str(parent.get("/S", "/StructTreeRoot"))
            if tag == "/LI" and above != "/L":
                problems.append(f"LI inside {above}")
            if tag in ("/Lbl", "/LBody") and above != "/LI":
                problems.append(f"{tag[1:]} inside {above}")
            if tag == "/TR" and above not in ("/Table", "/THead", "/TBody", "/TFoot"):
                problems.append(f"TR inside {above}")
            if tag in ("/TH", "/TD") and above != "/TR":
                problems.append(f"{tag[1:]} inside {above}")
            if tag == "/Table":
                cells = [n for _, n in struct_elements_under(node) if str(n.S) in ("/TH", "/TD")]
                scoped = any(
                    str(n.S) == "/TH" and attribute(n, "/Scope") in ("/Column", "/Row", "/Both") for n in cells
                )
                linked = all(len(attribute(n, "/Headers") or []) for n in cells if str(n.S) == "/TD")
                if not (scoped or linked):
                    problems.append("table cells not tied to headers (no TH /Scope, no TD /Headers)")
            if tag == "/Figure" and not str(node.get("/Alt", "")).strip():
                problems.append("Figure without /Alt text")
        assert not problems, f"{len(problems)} structure problem(s): " + ", ".join(sorted(set(problems)))
        if kind.startswith(("trainer", "participant")):
            # The books carry the agenda and chapter tables, with header cells.
            assert tags["/Table"] >= 1 and tags["/TR"] >= 1 and tags["/TH"] >= 1 and tags["/TD"] >= 1, (
                f"tables are not tagged: {dict(tags)}"
            )
            # The data figures (timeline, meeting diagram) are text, not images: Typst tags a
            # caption-only figure as a grouping element (/Div) holding real list structure and a /Caption.
            figures = [
                node
                for _, node in elements
                if str(node.S) != "/Table" and "/Caption" in {str(k.S) for k in struct_kids(node)}
            ]
            assert len(figures) >= 2, f"the data figures lost their captions: {dict(tags)}"
            for figure in figures:
                inside = {str(n.S) for _, n in struct_elements_under(figure)}
                assert "/L" in inside and "/LI" in inside, f"a data figure's content is not tagged as a list: {inside}"


def attribute(node: Any, name: str) -> Any:
    """A structure attribute of ``node`` (``/A`` is one attribute dictionary or an array of them)."""
    import pikepdf

    found = node.get("/A")
    for dictionary in found if isinstance(found, pikepdf.Array) else [found] if found is not None else []:
        if isinstance(dictionary, pikepdf.Dictionary) and name in dictionary:
            value = dictionary[name]
            return str(value) if isinstance(value, pikepdf.Name) else value
    return None


def struct_elements_under(node: Any) -> Iterator[tuple[Any, Any]]:
    stack = [(node, kid) for kid in struct_kids(node)]
    while stack:
        parent, kid = stack.pop()
        yield parent, kid
        stack.extend((kid, grandchild) for grandchild in struct_kids(kid))
