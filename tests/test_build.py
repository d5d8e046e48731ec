"""The sample curriculum builds to a site and A4, tagged, navigable PDFs."""

from __future__ import annotations

import hashlib
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from curriculum.model import load_curriculum
from curriculum.project import load_project

from .conftest import SAMPLE, SLUG, copy_sample, run_curriculum

#: Real builds: the slow tier (`make test`, not `make test-fast`).
pytestmark = pytest.mark.slow

A4 = (595.28, 841.89)


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    command = ["pdftotext", "-layout"]
    if first:
        command += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*command, str(path), "-"], capture_output=True, text=True, check=True).stdout


def chapter_titles() -> dict[str, str]:
    curriculum = load_curriculum(SAMPLE)
    return {c.id: c.title.title for c in curriculum.chapters.values() if c.title and c.id != "index"}


class Ids(HTMLParser):
    """Every id and every same-page link (``href="#..."``) of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.links.append(href[1:])


@pytest.fixture(scope="module")
def trainer_pdf(built_sample: Path) -> Path:
    return built_sample / "_build" / "pdf" / f"{SLUG}-trainer-en.pdf"


def test_site_has_a_page_per_chapter_and_a_search_index(built_sample: Path) -> None:
    site = built_sample / "_build" / "html" / "en"
    for chapter in chapter_titles():
        page = site / "handbook" / f"{chapter}.html"
        assert page.is_file(), f"no page for {chapter}"
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    assert "quorum" in index.lower()  # a word of a chapter's text
    assert (built_sample / "_build" / "html" / "index.html").is_file()


def test_site_footer_shows_the_build_date(built_sample: Path) -> None:
    page = (built_sample / "_build" / "html" / "en" / "handbook" / "about.html").read_text(encoding="utf-8")
    assert re.search(r"Last updated on \d{1,2} \w+ \d{4}", page)


def test_pdf_is_a4_on_every_page(trainer_pdf: Path) -> None:
    reader = PdfReader(trainer_pdf)
    assert len(reader.pages) > 10
    for number, page in enumerate(reader.pages, 1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4, abs=0.5), f"page {number} is {size}"


def test_pdf_is_tagged_with_title_and_language(trainer_pdf: Path) -> None:
    reader = PdfReader(trainer_pdf)
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert reader.metadata.title.startswith(load_project(SAMPLE).title)


def test_pdf_outline_lists_every_chapter(trainer_pdf: Path) -> None:
    reader = PdfReader(trainer_pdf)
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    for title in chapter_titles().values():
        assert title in top, f"{title!r} missing from the PDF bookmarks"
    assert any(isinstance(item, list) for item in reader.outline), "no section bookmarks"


def test_pdf_text_contains_every_chapter_title(trainer_pdf: Path) -> None:
    text = " ".join(pdf_text(trainer_pdf).split())
    for title in chapter_titles().values():
        assert title in text


def test_toc_page_numbers_match_where_chapters_start(trainer_pdf: Path) -> None:
    reader = PdfReader(trainer_pdf)
    starts = {
        item.title: reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }
    toc_pages = [n for n in range(2, 8) if "Contents" in pdf_text(trainer_pdf, 2, n)]
    toc = pdf_text(trainer_pdf, 2, toc_pages[-1] + 4).replace("\u2060", "")  # Typst's word joiner before the number
    listed = {}
    for line in toc.splitlines():
        match = re.match(r"^\s*(\S.*?)\s*(?:\.\s*){3,}(\d+)\s*$", line)
        if match:
            listed.setdefault(match[1].strip(), int(match[2]))
    checked = 0
    for title in chapter_titles().values():
        if title in listed:
            assert listed[title] == starts[title], (
                f"TOC says {title!r} is on page {listed[title]}, it starts on {starts[title]}"
            )
            checked += 1
    assert checked == len(chapter_titles())


def test_every_internal_link_has_a_target(built_sample: Path) -> None:
    """Every ``link(<label>)`` of the Typst books points at a label the book defines (Typst would fail)."""
    for source in (built_sample / "_build" / ".work").glob("pdf-*-en/*.typ"):
        if source.name == "book.typ":
            continue
        text = source.read_text(encoding="utf-8")
        links = set(re.findall(r"#link\(<([^>]+)>\)", text))
        assert links, source
        labels = set(re.findall(r"(?<![#(])<([A-Za-z0-9_.:-]+)>", text))
        missing = sorted(links - labels)
        assert not missing, f"{source.name}: links to missing labels {missing[:5]}"


def test_pdf_links_have_page_numbers_and_shown_urls(trainer_pdf: Path) -> None:
    text = " ".join(pdf_text(trainer_pdf).split())
    assert re.search(r"\(p\. \d+\)", text), "no page numbers after cross-references"
    assert "https://" in text, "web links do not show their address in print"


def test_pdf_pages_say_page_x_of_y(trainer_pdf: Path) -> None:
    total = len(PdfReader(trainer_pdf).pages)
    assert f"Page 2 of {total}" in pdf_text(trainer_pdf, 2)
    assert f"Page {total} of {total}" in pdf_text(trainer_pdf, total)
    assert "Page" not in pdf_text(trainer_pdf, 1), "the cover has no page number"


def test_pdf_cover_shows_title_edition_and_organisation(trainer_pdf: Path) -> None:
    cover = " ".join(pdf_text(trainer_pdf, 1).split())
    for words in ("Meeting Minutes Training", "TRAINER'S HANDBOOK", "Example Training Centre", "Edition of"):
        assert words in cover.replace("’", "'"), words


def test_pdf_embeds_only_the_shipped_fonts(trainer_pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(trainer_pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]]
    assert names and all(name.startswith("Noto") for name in names), names
    assert all(" yes " in line for line in fonts.splitlines()[2:]), "a font is not embedded"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_build_leaves_previous_outputs_whole(tmp_path: Path) -> None:
    project = copy_sample(tmp_path / "project")
    assert run_curriculum(project, "build", "--lang", "en", "--edition", "participant").returncode == 0
    page = project / "_build" / "html" / "en" / "handbook" / "about.html"
    pdf = project / "_build" / "pdf" / f"{SLUG}-participant-en.pdf"
    before = {page: digest(page), pdf: digest(pdf)}

    chapter = project / "handbook" / "about.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n```{no-such-directive}\n```\n", encoding="utf-8")
    result = run_curriculum(project, "build", "--lang", "en", "--edition", "participant")

    assert result.returncode == 1
    assert "no-such-directive" in result.stdout + result.stderr
    assert {path: digest(path) for path in before} == before
    assert len(PdfReader(pdf).pages) > 1
    # the next build finds the same mistake (Sphinx keeps what it read: a failed build must not)
    for output in ("html", "pdf"):
        again = run_curriculum(project, "build", "--lang", "en", "--edition", "participant", "--format", output)
        assert again.returncode == 1 and "no-such-directive" in again.stdout + again.stderr, (output, again.stdout)
    assert {path: digest(path) for path in before} == before
