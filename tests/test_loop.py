"""The author's loop on a small curriculum made with ``curriculum init``: incremental
rebuilds keep every page's navigation right, and ``curriculum build --exercise`` builds
one exercise's handouts only."""

from __future__ import annotations

import io
import json
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sphinx.util.docutils import docutils_namespace

from curriculum.sphinxrun import make_app

from .conftest import copy_sample, run_curriculum

#: Real builds, a real preview server and a browser: the slow tier.
pytestmark = pytest.mark.slow

#: A page added to the book's toctree (no learning outcomes: not a chapter of the course, so it
#: needs no agenda slot or chapter frame).
NEW_CHAPTER = """\
# {title}

A short page about {id}, added while the author works.
"""


def init_project(parent: Path, languages: str = "en") -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "curriculum", "init", "course", "--title", "Loop Course", "--languages", languages],
        cwd=parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return parent / "course"


def build(project: Path, *args: str) -> str:
    result = run_curriculum(project, "build", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class SidebarLinks(HTMLParser):
    """The links (href, text) inside the main navigation, ``<nav class="bd-docs-nav">``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # open <nav> elements, counting from the sidebar's
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "nav" and (self.depth or "bd-docs-nav" in classes):
            self.depth += 1
        elif tag == "a" and self.depth:
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth:
            self.depth -= 1
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def sidebar(page: Path) -> list[tuple[str, str]]:
    parser = SidebarLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def content_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.parent.name in ("handbook", "exercises"))


@pytest.mark.slow
def test_incremental_builds_update_every_sidebar_and_the_pdf(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    html = ("--lang", "en", "--edition", "participant", "--format", "html")
    pdf = ("--lang", "en", "--edition", "participant", "--format", "pdf")
    build(project, *html)
    site = project / "_build" / "html" / "en"
    before = content_pages(site)
    assert all(sidebar(page) for page in before), "no sidebar found: the test no longer reads the theme"

    # add a chapter to the index: every page lists it, without cleaning anything
    (project / "handbook" / "news.md").write_text(NEW_CHAPTER.format(id="news", title="Latest news"), encoding="utf-8")
    index = project / "handbook" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("introduction\n", "introduction\nnews\n", 1), encoding="utf-8"
    )
    build(project, *html)
    pages = content_pages(site)
    assert site / "handbook" / "news.html" in pages
    for page in pages:
        texts = [text for _href, text in sidebar(page)]
        assert "Latest news" in texts, f"{page.relative_to(site)}: sidebar lacks the new chapter: {texts}"
        # in the toctree's order: after the introduction
        assert texts.index("Latest news") == texts.index("Introduction") + 1, texts

    # rename a title: every sidebar shows the new one
    chapter = project / "handbook" / "news.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("# Latest news", "# Breaking news"), encoding="utf-8"
    )
    build(project, *html)
    for page in content_pages(site):
        texts = [text for _href, text in sidebar(page)]
        assert "Breaking news" in texts and "Latest news" not in texts, f"{page.relative_to(site)}: {texts}"

    # reorder, then remove: every sidebar follows
    index.write_text(
        index.read_text(encoding="utf-8").replace("introduction\nnews\n", "news\nintroduction\n", 1), encoding="utf-8"
    )
    build(project, *html)
    for page in content_pages(site):
        texts = [text for _href, text in sidebar(page)]
        assert texts.index("Breaking news") < texts.index("Introduction"), f"{page.relative_to(site)}: {texts}"
    index.write_text(index.read_text(encoding="utf-8").replace("news\n", "", 1), encoding="utf-8")
    chapter.unlink()
    build(project, *html)
    for page in content_pages(site):
        hrefs = [href for href, _text in sidebar(page)]
        assert not any("news.html" in href for href in hrefs), f"{page.relative_to(site)}: {hrefs}"

    # the PDF: built, a chapter added, built again incrementally: the book has it
    from pypdf import PdfReader

    build(project, *pdf)
    (project / "handbook" / "extra.md").write_text(
        NEW_CHAPTER.format(id="extra", title="Extra reading"), encoding="utf-8"
    )
    index.write_text(
        index.read_text(encoding="utf-8").replace("introduction\n", "introduction\nextra\n", 1), encoding="utf-8"
    )
    build(project, *pdf)
    book = project / "_build" / "pdf" / "loop-course-participant-en.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(book).pages)
    assert text.count("Extra reading") >= 2, "the PDF's contents and body should both name the new chapter"


def test_an_unchanged_rebuild_writes_no_page(tmp_path: Path) -> None:
    """The navigation check widens writing only when the navigation changed."""
    project = init_project(tmp_path)
    html = ("--lang", "en", "--edition", "participant", "--format", "html")
    build(project, *html)
    work = project / "_build" / ".work" / "html-participant-en" / "handbook" / "introduction.html"
    stamp = work.stat().st_mtime_ns
    time.sleep(0.05)
    # an edit that changes no title or toctree rewrites the edited page only
    glossary = project / "handbook" / "glossary.md"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    build(project, *html)
    assert work.stat().st_mtime_ns == stamp
    assert re.search(r"outputs built", build(project, *html))
    # the PDFs and the decks share the site's environment and leave it as it was, also when
    # they are the ones that read an edit into it
    build(project, "--lang", "en", "--edition", "participant", "--format", "pdf")
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\nAnother sentence.\n", encoding="utf-8")
    build(project, "--lang", "en", "--edition", "participant", "--format", "slides")
    # Sphinx itself sees nothing new: no setting changed after it compared them (the theme's, the decks')
    status = io.StringIO()
    doctrees = project / "_build" / ".doctrees" / "en-participant"
    with docutils_namespace():  # its directives registered for this build only, as a serve test needs
        make_app(project, "en", "participant", "html", work.parent.parent, doctrees, status=status).build()
    assert "0 added, 0 changed, 0 removed" in status.getvalue(), status.getvalue()
    assert "configuration has changed" not in status.getvalue(), status.getvalue()[-3000:]


def test_an_authors_rebuild_leaves_the_checkers_rules_to_the_check(tmp_path: Path) -> None:
    """The rules run in the check the build starts ahead, in a process of its own: the build that
    reports its findings, and the rules page kept beside the tokens, do not import them (13 to 20
    ms of an author's rebuild)."""
    project = init_project(tmp_path)
    html = ["build", "--lang", "en", "--edition", "participant", "--format", "html"]
    build(project, *html[1:])
    chapter = project / "handbook" / "introduction.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    rebuild = f"import sys; from curriculum.cli import main; print(main({html!r}), 'curriculum.rules' in sys.modules)"
    # the rules page, once kept (the first time it is written from the rules)
    page = (
        "import sys; from pathlib import Path; from curriculum.model import TOKEN_CACHE_DIR, TokenCache, rules_page; "
        "print(len(rules_page(TokenCache(Path(TOKEN_CACHE_DIR)))) > 1000, 'curriculum.rules' in sys.modules)"
    )
    for script, shown in ((rebuild, ["0", "False"]), (page, None), (page, ["True", "False"])):
        result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-2000:]
        assert shown is None or result.stdout.split()[-2:] == shown, result.stdout[-2000:]


def test_an_edited_chapter_is_read_into_the_model_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit re-reads a page or two without the whole model: each is read once, however many
    steps of the build ask for it (whether its summary changed, its outcomes block)."""
    import curriculum.sphinxext as extension

    project = init_project(tmp_path)
    html = ("--lang", "en", "--edition", "participant", "--format", "html")
    build(project, *html)
    chapter = project / "handbook" / "introduction.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    reads: list[Path] = []
    load = extension.load_chapter

    def counted(path: Path, *args: Any, **kwargs: Any) -> Any:
        reads.append(path)
        return load(path, *args, **kwargs)

    monkeypatch.setattr(extension, "load_chapter", counted)
    work = project / "_build" / ".work" / "html-participant-en"
    with docutils_namespace():
        make_app(
            project, "en", "participant", "html", work, project / "_build" / ".doctrees" / "en-participant"
        ).build()
    assert reads == [chapter]


def test_a_search_index_from_another_version_is_written_again_whole(tmp_path: Path) -> None:
    """After a new version of the builder, whose environment the PDFs may read first, the site's
    index is one Sphinx cannot read back: an edit then writes every page, and the index is whole
    (Sphinx alone would warn that it "will be incomplete", and fail the build)."""
    from sphinx.search import js_index

    project = copy_sample(tmp_path / "course")
    html = ("--lang", "en", "--edition", "participant", "--format", "html")
    build(project, *html)
    index = project / "_build" / ".work" / "html-participant-en" / "searchindex.js"
    pages = js_index.loads(index.read_text(encoding="utf-8"))["docnames"]
    old = js_index.loads(index.read_text(encoding="utf-8"))
    old["envversion"] = {"sphinx": 1}  # as an older builder wrote it
    index.write_text(js_index.dumps(old), encoding="utf-8")
    chapter = project / "handbook" / "meeting-roles.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    build(project, *html)
    assert js_index.loads(index.read_text(encoding="utf-8"))["docnames"] == pages


def test_the_agenda_is_read_again_only_when_what_it_shows_changes(tmp_path: Path) -> None:
    """The agenda page shows each exercise's duration and each chapter's activities: an edit to
    a chapter's text leaves it alone, an edit to what it shows rewrites it."""
    project = copy_sample(tmp_path / "course")
    html = ("--lang", "en", "--edition", "trainer", "--format", "html")
    build(project, *html)
    agenda = project / "_build" / ".work" / "html-trainer-en" / "handbook" / "agenda.html"
    chapter = project / "handbook" / "meeting-roles.md"

    def edit(path: Path, old: str, new: str) -> None:
        stamp = agenda.stat().st_mtime_ns
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        build(project, *html)
        rewritten = agenda.stat().st_mtime_ns != stamp
        assert rewritten == (old != new and "Key points" not in old), (path.name, old, new)

    edit(chapter, "## Key points", "One more sentence for the page.\n\n## Key points")
    assert "One more sentence" in (agenda.parent / "meeting-roles.html").read_text(encoding="utf-8")
    edit(chapter, ":minutes: 10", ":minutes: 12")  # a chapter's activity
    assert "(Activity · 12 minutes)" in agenda.read_text(encoding="utf-8")
    edit(project / "exercises" / "draft-minutes.md", "duration: 40", "duration: 35")  # an exercise's duration
    assert "35 minutes" in agenda.read_text(encoding="utf-8")


# --- curriculum serve: the checker's findings in the page -------------------------------------


class Server:
    """``curriculum serve --port 0`` in ``project``, its output read line by line."""

    def __init__(self, project: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "curriculum", "serve", "--port", "0", *args],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stdout], daemon=True).start()

    def read_until(self, pattern: str, timeout: float) -> re.Match[str] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.output.append(line)
            if match := re.search(pattern, line):
                return match
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_serve_shows_open_findings_in_the_page_until_fixed(tmp_path: Path, browser: Any, lang: str) -> None:
    project = init_project(tmp_path, "en,ar")
    exercise = project / "exercises" / "introductions.md"
    good = exercise.read_text(encoding="utf-8")
    server = Server(project, "--lang", lang)
    try:
        address = server.read_until(r"^Serving (http://127\.0\.0\.1:\d+/) ", 90)
        assert address, "".join(server.output)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(f"{address[1]}handbook/introduction.html")
        page.wait_for_timeout(1500)
        assert page.locator("#curriculum-preview-findings").count() == 0, "a banner on a clean curriculum"

        exercise.write_text(good.replace("type: discussion", "type: lecture"), encoding="utf-8")
        banner = page.locator("#curriculum-preview-findings")
        banner.wait_for(state="visible", timeout=30_000)
        assert banner.get_attribute("role") == "alert"
        finding = banner.locator("li[data-code=FM006]")
        assert finding.count() == 1
        text = finding.inner_text()
        assert "exercises/introductions.md:4:1" in text and "FM006" in text and "'lecture'" in text
        finding.locator("summary").click()
        assert "invalid-value" in finding.locator("pre").inner_text()  # what `check --explain FM006` says
        # readable: dark text on a light background
        colours = banner.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
        assert colours == ["rgb(27, 27, 27)", "rgb(255, 255, 255)"]
        # fully inside the viewport, also on a right-to-left page
        box = banner.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1

        # wait for the rebuild the edit caused (the page reloads itself), then fix the file
        assert server.read_until(r"^rebuilt in ", 60), "".join(server.output)
        exercise.write_text(good, encoding="utf-8")
        banner.wait_for(state="detached", timeout=30_000)
        assert server.read_until(r"^rebuilt in ", 60), "".join(server.output)
        page.wait_for_timeout(2500)  # the reload after the rebuild: still no banner
        assert page.locator("#curriculum-preview-findings").count() == 0
        assert not errors, errors
    finally:
        server.stop()
    assert server.process.returncode == 0


# --- curriculum serve: one Sphinx application, rebuilt in process -----------------------------


class PageText(HTMLParser):
    """The text of a page's article (``<article>``), scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += tag not in VOID_TAGS
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


VOID_TAGS = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def article(page: Path) -> str:
    parser = PageText()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def title(page: Path) -> str:
    match = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
    return match[1].strip() if match else ""


@contextmanager
def live_preview(project: Path, lang: str) -> Iterator[Any]:
    """``curriculum serve``'s preview of ``project`` in ``lang``, built once, in this process."""
    from curriculum.build import Target
    from curriculum.serve import Preview

    preview = Preview(project, Target(lang, "participant", "html"))
    try:
        assert preview.update("built")
        yield preview
    finally:
        preview.close()


def save(preview: Any, path: Path, text: str | bytes) -> bool:
    """Write ``path`` as an editor would, then rebuild as the watch loop does on seeing it."""
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return preview.update("rebuilt", (path,))


def test_serve_rebuilds_two_saves_in_one_application(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = init_project(tmp_path)
    chapter = project / "handbook" / "introduction.md"
    good = chapter.read_text(encoding="utf-8")
    with live_preview(project, "en") as preview:
        app = preview.site.app
        page = preview.outdir / "handbook" / "introduction.html"
        for word in ("Firstsave", "Secondsave"):
            assert save(preview, chapter, good + f"\n{word} sentence.\n")
            assert f"{word} sentence." in article(page)
            assert preview.site.app is app, "a new Sphinx application for a chapter edit"
            # only the edited chapter is read again: the agenda shows nothing of its text
            assert sorted(preview.site.last.read) == ["handbook/introduction"]
        assert "Firstsave" not in article(page)
        assert preview.version == 3
        # the settings are read when the application is made: a new one, with the new title
        settings = project / "pyproject.toml"
        assert save(preview, settings, settings.read_text(encoding="utf-8").replace('"Loop Course"', '"Looped Course"'))
        assert preview.site.app is not app and preview.site.last.fresh
        assert title(page).endswith("Looped Course") and "Secondsave sentence." in article(page)
    out = capsys.readouterr().out
    assert re.search(r"^built in \d+\.\d s$", out, re.M) and len(re.findall(r"^rebuilt in ", out, re.M)) == 3, out


def test_serve_shows_a_catalogue_edit_in_the_translated_page(tmp_path: Path) -> None:
    project = init_project(tmp_path, "en,ar")
    catalogue = project / "locales" / "ar" / "LC_MESSAGES" / "handbook" / "introduction.po"
    empty = catalogue.read_text(encoding="utf-8")
    untranslated = 'msgid "What the course covers"\nmsgstr ""'
    assert untranslated in empty
    with live_preview(project, "ar") as preview:
        app = preview.site.app
        page = preview.outdir / "handbook" / "introduction.html"
        assert "What the course covers" in article(page)
        # twice: the second edit is the one a process-wide gettext cache would hide
        for translation in ("ما يغطيه البرنامج", "محتوى الدورة"):
            assert save(
                preview,
                catalogue,
                empty.replace(untranslated, f'msgid "What the course covers"\nmsgstr "{translation}"'),
            )
            text = article(page)
            assert translation in text and "What the course covers" not in text, text[:400]
            assert preview.site.app is app
            assert preview.site.last.read == ["handbook/introduction"]
        assert "ما يغطيه البرنامج" not in article(page)

        # the book settings' catalogue is read when the application is made: a new one
        settings = project / "locales" / "ar" / "LC_MESSAGES" / "sphinx.po"
        source = settings.read_text(encoding="utf-8")
        assert 'msgid "Loop Course"\nmsgstr ""' in source
        assert save(
            preview,
            settings,
            source.replace('msgid "Loop Course"\nmsgstr ""', 'msgid "Loop Course"\nmsgstr "دورة الحلقة"'),
        )
        assert preview.site.app is not app and preview.site.last.fresh
        assert "دورة الحلقة" in title(page)


def test_serve_shows_agenda_and_exercise_edits(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    agenda = project / "handbook" / "agenda.yml"
    exercise = project / "exercises" / "introductions.md"
    with live_preview(project, "en") as preview:
        app = preview.site.app
        page = preview.outdir / "handbook" / "agenda.html"
        times = lambda: re.findall(r"\b\d\d:\d\d\b", article(page))  # noqa: E731
        assert times()[:5] == ["09:00", "10:00", "09:00", "09:30", "09:50"], times()
        assert save(
            preview,
            agenda,
            agenda.read_text(encoding="utf-8").replace('"09:00"', '"09:30"').replace('"10:00"', '"10:30"'),
        )
        assert times()[:5] == ["09:30", "10:30", "09:30", "10:00", "10:20"], times()
        # the exercise's duration comes from the model: it must be read again, not the cached one
        assert save(preview, exercise, exercise.read_text(encoding="utf-8").replace("duration: 20", "duration: 15"))
        assert times()[:5] == ["09:30", "10:30", "09:30", "10:00", "10:15"], times()
        assert preview.site.app is app


def test_serve_shows_a_broken_edit_and_recovers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], browser: Any
) -> None:
    from curriculum.serve import STATUS_PATH, make_server

    project = init_project(tmp_path)
    chapter = project / "handbook" / "introduction.md"
    good = chapter.read_text(encoding="utf-8")
    with live_preview(project, "en") as preview:
        server = make_server("127.0.0.1", 0, preview)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        status_url = f"{base}{STATUS_PATH}"
        page = preview.outdir / "handbook" / "introduction.html"
        try:
            assert save(preview, chapter, good + "\nLast good sentence.\n")
            version = preview.version

            # a build that raises while writing: the pages it wrote stay in its working folder
            served = {path: path.stat().st_mtime_ns for path in preview.outdir.rglob("*")}

            def fail(app: Any, pagename: str, *args: Any) -> None:
                if pagename == "handbook/introduction":
                    raise RuntimeError("the writer gave up")

            preview.site.app.connect("html-page-context", fail)
            assert not save(preview, chapter, good + "\nHalf written sentence.\n")
            assert {path: path.stat().st_mtime_ns for path in preview.outdir.rglob("*")} == served
            assert "the writer gave up" in str(preview.findings) and preview.version == version
            assert save(preview, chapter, good + "\nLast good sentence.\n")
            version = preview.version

            # a build that raises (Sphinx cannot decode the file): the error in the terminal and
            # the banner's status, the last good site still served, whole
            assert not save(preview, chapter, good.encode() + b"\nBroken \xff\xfe sentence.\n")
            status = json.loads(urllib.request.urlopen(status_url, timeout=5).read())
            assert status["version"] == version == preview.version
            built = [f for f in status["findings"] if f["source"] == "build"]
            assert len(built) == 1 and built[0]["message"].startswith("UnicodeDecodeError: "), built
            assert built[0]["severity"] == "error"
            assert "Last good sentence." in article(page)
            out = capsys.readouterr().out
            assert "UnicodeDecodeError" in out and "build failed after" in out and "Traceback" not in out
            # in the page's banner, with the checker's findings
            tab = browser.new_page()
            tab.goto(f"{base}/handbook/introduction.html")
            banner = tab.locator("#curriculum-preview-findings")
            banner.wait_for(state="visible", timeout=10_000)
            assert banner.locator("h2").inner_text().endswith("from curriculum check and the build")
            item = banner.locator("li[data-code=BUILD]")
            assert item.count() == 1 and item.inner_text().startswith("BUILD (error) UnicodeDecodeError: ")

            # the next good save recovers: a new application, the page and the banner up to date
            assert save(preview, chapter, good + "\nRecovered sentence.\n")
            assert "Recovered sentence." in article(page) and preview.version == version + 1
            assert preview.findings == []
            banner.wait_for(state="detached", timeout=10_000)
            assert "Recovered sentence." in tab.locator("article").inner_text()  # reloaded
            tab.close()

            # a warning: the page is published, the warning located in the banner until fixed
            assert save(preview, chapter, good + "\nSee {doc}`nowhere`.\n")
            line = (good + "\nSee").count("\n") + 1
            built = [f for f in preview.findings if f["source"] == "build"]
            assert [(f["path"], f["line"], f["code"]) for f in built] == [("handbook/introduction.md", line, "ref.doc")]
            assert "unknown document" in str(built[0]["message"]) and "See" in article(page)
            # Sphinx warns only about what it reads again: the problem stays open until fixed
            glossary = project / "handbook" / "glossary.md"
            assert save(preview, glossary, glossary.read_text(encoding="utf-8") + "\nOne more term.\n")
            assert [f for f in preview.findings if f["source"] == "build"] == built
            assert save(preview, chapter, good)
            assert preview.findings == []

            # a broken conf.py (read when the application is made): shown, the site kept
            app = preview.site.app
            conf = project / "conf.py"
            assert not save(preview, conf, "x = (\n")
            assert next(f["message"] for f in preview.findings).startswith("ConfigError: ")
            assert page.is_file() and preview.site.app is None
            conf.unlink()
            assert preview.update("rebuilt", (conf,)) and preview.findings == []
            assert preview.site.app is not app
        finally:
            server.shutdown()
            server.server_close()


# --- curriculum build --exercise ----------------------------------------------------------------


def add_second_exercise(project: Path) -> None:
    """A second exercise, in the toctree and on the agenda, so a handout can be left alone."""
    first = (project / "exercises" / "introductions.md").read_text(encoding="utf-8")
    (project / "exercises" / "closing-round.md").write_text(
        first.replace("id: introductions", "id: closing-round")
        .replace("duration: 20", "duration: 10")
        .replace("Introductions and expectations", "Closing round"),
        encoding="utf-8",
    )
    index = project / "handbook" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "../exercises/introductions\n", "../exercises/introductions\n../exercises/closing-round\n"
        ),
        encoding="utf-8",
    )
    agenda = project / "handbook" / "agenda.yml"
    agenda.write_text(
        agenda.read_text(encoding="utf-8").replace('    end: "10:00"', '    end: "10:10"')
        + "      - exercise: closing-round\n",
        encoding="utf-8",
    )


@pytest.mark.slow
def test_build_exercise_makes_only_that_exercise_handouts_in_every_language(tmp_path: Path) -> None:
    project = init_project(tmp_path, "en,ar")
    add_second_exercise(project)
    check = run_curriculum(project, "check")
    assert check.returncode == 0, check.stdout
    pdfs = project / "_build" / "pdf"

    # from nothing: the two handouts of that exercise, nothing else
    out = build(project, "--exercise", "closing-round")
    assert sorted(p.relative_to(pdfs).as_posix() for p in pdfs.rglob("*.pdf")) == [
        "handouts/closing-round-ar.pdf",
        "handouts/closing-round-en.pdf",
    ], out
    assert "2 of 2 outputs built" in out

    # after a full build: only that exercise's handouts change
    build(project, "--edition", "participant", "--format", "pdf")
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in pdfs.rglob("*.pdf")}
    assert len(before) == 6  # a workbook and two handouts, in two languages
    exercise = project / "exercises" / "closing-round.md"
    exercise.write_text(
        exercise.read_text(encoding="utf-8").replace("Say your name", "Say one thing you will use"), encoding="utf-8"
    )
    time.sleep(0.05)
    build(project, "--exercise", "closing-round")
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in pdfs.rglob("*.pdf")}
    assert after.keys() == before.keys()
    changed = sorted(p.relative_to(pdfs).as_posix() for p in after if after[p][0] != before[p][0])
    assert changed == ["handouts/closing-round-ar.pdf", "handouts/closing-round-en.pdf"]
    assert all(after[p] == before[p] for p in after if "closing-round" not in p.name)

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(pdfs / "handouts" / "closing-round-en.pdf").pages)
    assert "Say one thing you will use" in text and "Closing round" in text


def test_build_exercise_refuses_what_it_cannot_build(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    for args, message in (
        (("--exercise", "no-such-exercise"), "no exercise 'no-such-exercise'"),
        (("--exercise", "introductions", "--format", "html"), "participant PDFs only"),
        (("--exercise", "introductions", "--edition", "trainer"), "participant PDFs only"),
    ):
        result = run_curriculum(project, "build", *args)
        assert result.returncode == 2 and message in result.stderr and result.stderr.count("\n") == 1, result
        assert not (project / "_build").exists()
