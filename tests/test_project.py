"""The builder serves any curriculum: the project description, ``curriculum init``, any
language, the landing pages, and the package installed from a wheel."""

from __future__ import annotations

import re
import subprocess
import sys
import venv
from html.parser import HTMLParser
from pathlib import Path

import pytest

from curriculum.model import load_curriculum
from curriculum.project import ProjectError, direction, load_project
from curriculum.rules import check_curriculum, load_config

from .conftest import ROOT, SAMPLE

PACKAGE = ROOT / "tools" / "curriculum"


def curriculum(cwd: Path, *args: str, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "curriculum", *args], cwd=cwd, capture_output=True, text=True, timeout=900)


def init(tmp_path: Path, *args: str) -> Path:
    result = curriculum(tmp_path, "init", "course", *args)
    assert result.returncode == 0, result.stderr
    return tmp_path / "course"


class Page(HTMLParser):
    """``<html lang dir>`` and the page's visible text."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.attrs: dict[str, str | None] = {}
        self.text: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.attrs = dict(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# --- fast: the description, init, the package's independence ----------------------------


def test_no_curriculum_specific_string_in_the_package() -> None:
    """The builder names no curriculum: not this one's (nor the sample's) title, slug, subject or repository."""
    needles = ["Libya", "Khartoum", "Rabat", "curriculum-handbooks"]
    for project in (load_project(ROOT), load_project(SAMPLE)):
        needles += [project.title, project.slug, project.organisation]
    offenders = []
    for path in PACKAGE.rglob("*"):
        if path.is_file() and path.suffix in {".py", ".html", ".md", ".css", ".toml", ".typ", ".js", ".pot"}:
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(ROOT)}: {needle}" for needle in needles if needle and needle in text]
    assert not offenders


def test_the_sample_curriculum_is_described_in_its_settings() -> None:
    project = load_project(SAMPLE)
    assert project.languages == ("en", "ar") and project.slug == "meeting-minutes"
    assert project.words_per_minute("ar") < project.words_per_minute("en") == 100
    for root in (ROOT, SAMPLE):
        assert not (root / "conf.py").exists(), "settings live in [tool.curriculum], not conf.py"


def test_direction_follows_the_language() -> None:
    assert [direction(code) for code in ("en", "fr", "ar", "fa", "he", "ur", "pt_BR")] == [
        "ltr",
        "ltr",
        "rtl",
        "rtl",
        "rtl",
        "rtl",
        "ltr",
    ]


def test_init_makes_a_curriculum_that_passes_the_strict_check(tmp_path: Path) -> None:
    course = init(tmp_path, "--title", 'Labour "Migration": one day', "--languages", "en,fr", "--organisation", "Team")
    for name in (
        "pyproject.toml",
        "Makefile",
        "README.md",
        ".gitignore",
        "handbook/index.md",
        "handbook/agenda.yml",
        "handbook/glossary.md",
        "exercises/introductions.md",
        "locales/fr/LC_MESSAGES/sphinx.po",
    ):
        assert (course / name).is_file(), name
    project = load_project(course)
    assert (project.title, project.languages, project.organisation) == (
        'Labour "Migration": one day',
        ("en", "fr"),
        "Team",
    )
    assert check_curriculum(load_curriculum(course), load_config(course)) == []
    assert "make test" in (course / "README.md").read_text(encoding="utf-8")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "notes.txt").write_text("mine")
    result = curriculum(tmp_path, "init", "course")
    assert result.returncode == 2 and "not an empty folder" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not (tmp_path / "course" / "pyproject.toml").exists()
    result = curriculum(tmp_path, "init", "other", "--languages", "english")
    assert result.returncode == 2 and not (tmp_path / "other").exists()


def test_unlisted_language_is_a_one_line_error(tmp_path: Path) -> None:
    course = init(tmp_path)
    for argv in (
        ("build", "--lang", "de"),
        ("serve", "--lang", "de", "--port", "0"),
        ("translate", "status", "--lang", "de"),
    ):
        result = curriculum(course, *argv)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, (argv, result.stderr)
        assert "'de' is not one of this curriculum's languages" in result.stderr
    assert not (course / "_build" / "html").exists()


def test_bad_settings_are_named(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.curriculum]\nlanguages = ["en", "en"]\n')
    with pytest.raises(ProjectError, match="languages must be a list without repeats"):
        load_project(tmp_path)
    result = curriculum(tmp_path, "build")
    assert result.returncode == 2 and "languages must be a list without repeats" in result.stderr
    assert "Traceback" not in result.stderr


# --- slow: real builds of new curricula ----------------------------------------------------


@pytest.mark.slow
def test_init_then_build_english_and_french(tmp_path: Path) -> None:
    course = init(tmp_path, "--title", "Labour migration", "--languages", "en,fr")
    result = curriculum(course, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    build = course / "_build"
    for site in ("html", "html-trainer"):
        landing = Page(build / site / "index.html")
        assert landing.attrs.get("lang") == "en" and "Français" in "".join(landing.text)
        for lang in ("en", "fr"):
            start = build / site / lang / "index.html"
            assert "url=handbook/index.html" in start.read_text(encoding="utf-8")
            page = Page(build / site / lang / "handbook" / "index.html")
            assert (page.attrs.get("lang"), page.attrs.get("dir", "ltr")) == (lang, "ltr")
    exercise = "".join(Page(build / "html" / "fr" / "exercises" / "introductions.html").text)
    assert "Durée" in exercise and "Exercice 1" in exercise  # French interface strings
    pdfs = sorted(
        p.relative_to(build / "pdf").as_posix() for p in (build / "pdf").glob("*/*.pdf") if p.parent.name == "handouts"
    )
    pdfs += sorted(p.name for p in (build / "pdf").glob("*.pdf"))
    assert len(list((build / "pdf" / "kit").glob("*-fr.pdf"))) == 7  # the trainer's kit, in French too
    assert {p.name for p in (build / "pdf" / "slides").glob("*.pdf")} == {"introduction-en.pdf", "introduction-fr.pdf"}
    assert pdfs == [
        "handouts/introductions-en.pdf",
        "handouts/introductions-fr.pdf",
        "labour-migration-participant-en.pdf",
        "labour-migration-participant-fr.pdf",
        "labour-migration-trainer-en.pdf",
        "labour-migration-trainer-fr.pdf",
    ]
    from pypdf import PdfReader

    title = PdfReader(build / "pdf" / "labour-migration-trainer-fr.pdf").metadata.title
    assert "Manuel du formateur" in title  # the edition's name in French


@pytest.mark.slow
def test_arabic_first_curriculum_is_right_to_left(tmp_path: Path) -> None:
    course = init(tmp_path, "--title", "Course", "--languages", "ar")
    result = curriculum(course, "build", "--format", "html", "--edition", "participant")
    assert result.returncode == 0, result.stdout + result.stderr
    page = Page(course / "_build" / "html" / "ar" / "handbook" / "index.html")
    assert (page.attrs.get("lang"), page.attrs.get("dir")) == ("ar", "rtl")
    assert Page(course / "_build" / "html" / "index.html").attrs.get("dir") == "rtl"


@pytest.mark.slow
def test_wheel_installs_and_builds_a_curriculum_outside_the_repository(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = wheels.glob("curriculum-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "curriculum/fonts/OFL.txt",
        "curriculum/locale/ar/LC_MESSAGES/curriculum.mo",
        "curriculum/locale/fr/LC_MESSAGES/curriculum.mo",
        "curriculum/templates/init/pyproject.toml.in",
    ):
        assert expected in names, expected
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = str(environment / "bin" / "python")
    result = subprocess.run(
        [python, "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert curriculum(outside, "init", "course", "--languages", "en", python=python).returncode == 0
    result = curriculum(outside / "course", "build", "--edition", "participant", python=python)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (outside / "course" / "_build" / "html" / "en" / "handbook" / "index.html").is_file()
    assert list((outside / "course" / "_build" / "pdf").glob("*-participant-en.pdf"))


@pytest.mark.slow
def test_readme_outputs_exist_after_a_build(built_sample: Path) -> None:
    """Every path in the README's table of outputs exists after a build (English)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Where outputs land", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"`(_build/[^`]+)`", table)
    assert len(paths) >= 5
    slug = load_project(SAMPLE).slug
    for path in paths:
        concrete = (
            path.replace("<lang>", "en")
            .replace("<slug>", slug)
            .replace("<exercise-id>", "draft-minutes")
            .replace("<chapter-id>", "writing-minutes")
        )
        assert list(built_sample.glob(concrete)), path


@pytest.mark.slow
def test_three_languages_get_a_menu_and_a_language_without_strings_builds(tmp_path: Path) -> None:
    course = init(tmp_path, "--languages", "en,fr,de")
    result = curriculum(course, "build", "--format", "html", "--edition", "participant", "--lang", "de")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no interface strings for 'de'" in result.stdout
    html = (course / "_build" / "html" / "de" / "handbook" / "index.html").read_text(encoding="utf-8")
    menu = html.split('<details class="language-menu">', 1)[1].split("</details>", 1)[0]
    assert "<summary>Deutsch</summary>" in menu
    assert re.findall(r'hreflang="(\w+)"', menu) == ["en", "fr"]
    assert "Contents" in html or "Exercise" in (
        course / "_build" / "html" / "de" / "exercises" / "introductions.html"
    ).read_text(encoding="utf-8")


@pytest.mark.slow
def test_logo_is_on_the_site_and_the_pdf_cover(tmp_path: Path) -> None:
    course = init(tmp_path)
    import base64

    # a raster logo (pdfimages lists raster images only): a 1x1 PNG
    (course / "handbook" / "logo.png").write_bytes(
        base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
    )
    name = "logo.png"
    settings = course / "pyproject.toml"
    settings.write_text(settings.read_text().replace('# logo = "handbook/logo.png"', f'logo = "handbook/{name}"'))
    result = curriculum(course, "build", "--edition", "trainer")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "logo__image" in (course / "_build" / "html-trainer" / "en" / "handbook" / "index.html").read_text()
    (pdf,) = (course / "_build" / "pdf").glob("*-trainer-en.pdf")
    images = subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", str(pdf)], capture_output=True, text=True)
    assert len(images.stdout.strip().splitlines()) >= 3, images.stdout  # header, rule, the logo


@pytest.mark.slow
def test_a_second_build_with_nothing_changed_renders_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = init(tmp_path)
    assert curriculum(course, "build", "--format", "html").returncode == 0
    page = course / "_build" / "html" / "en" / "handbook" / "introduction.html"
    before = page.stat().st_mtime_ns
    again = curriculum(course, "build", "--format", "html")
    assert again.returncode == 0 and "2 of 2 outputs built (2 up to date)" in again.stdout, again.stdout
    assert page.stat().st_mtime_ns == before
    # nor starts the processes that build outputs (their server imports Sphinx: a second or so)
    from curriculum import build as building

    def no_processes(*args: object) -> None:
        raise AssertionError("builder processes started for a build with nothing to do")

    monkeypatch.setattr(building, "sphinx_processes", no_processes)
    monkeypatch.chdir(course)
    project = load_project(course)
    assert building.build(project, building.plan(project, fmt="html"), log=lambda *a, **k: None) == []
    chapter = course / "handbook" / "introduction.md"
    chapter.write_text(chapter.read_text().replace("opens the course", "starts the course"))
    edited = curriculum(course, "build", "--format", "html", "--edition", "participant")
    assert edited.returncode == 0 and "up to date" not in edited.stdout
    assert "starts the course" in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_trainer_pdf_says_so_on_every_page_and_the_workbook_never(tmp_path: Path) -> None:
    course = init(tmp_path)
    result = curriculum(course, "build", "--format", "pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    from pypdf import PdfReader

    for edition, wanted in (("trainer", True), ("participant", False)):
        pdf = next((course / "_build" / "pdf").glob(f"*-{edition}-en.pdf"))
        pages = [page.extract_text() for page in PdfReader(pdf).pages]
        furnished = [text for text in pages if re.search(r"Page \d+ of \d+", text)]  # not the cover or dividers
        assert furnished and all(("Trainer edition" in text) == wanted for text in furnished), edition


@pytest.mark.slow
def test_translate_update_twice_leaves_the_tree_clean(tmp_path: Path) -> None:
    course = init(tmp_path, "--languages", "en,ar")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=course, check=True)
    subprocess.run([*git, "add", "-A"], cwd=course, check=True)
    subprocess.run([*git, "commit", "-qm", "init"], cwd=course, check=True)
    first = curriculum(course, "translate", "update")
    assert first.returncode == 0 and "0 catalogues changed" in first.stdout, first.stdout
    status = subprocess.run(["git", "status", "--porcelain"], cwd=course, capture_output=True, text=True).stdout
    assert status == "", status
    chapter = course / "handbook" / "introduction.md"
    chapter.write_text(chapter.read_text() + "\nOne more paragraph for the translators.\n")
    second = curriculum(course, "translate", "update")
    changed = subprocess.run(["git", "status", "--porcelain"], cwd=course, capture_output=True, text=True).stdout
    assert "1 catalogues changed" in second.stdout, second.stdout
    assert sorted(line[3:] for line in changed.splitlines()) == [
        "handbook/introduction.md",
        "locales/ar/LC_MESSAGES/handbook/introduction.po",
    ]
