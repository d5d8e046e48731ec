"""The outputs of a course do not do the same work twice: the editions of a language read each
page once between them (curriculum.sphinxext.shared), and the sites compile the themes'
templates once, for every project (curriculum.sphinxext.site).

The participant site built from the pages the trainer's build kept must be the participant site
built alone, byte for byte; pages that depend on the edition are read by each.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.util.docutils import docutils_namespace

from curriculum import sphinxrun
from curriculum.build import Target
from curriculum.sphinxext import shared

from .conftest import copy_sample


def build_site(
    project: Path, lang: str, edition: str, out: Path, kept: Path | None, builder: str = "html"
) -> tuple[list[str], str]:
    """Build one site of ``project``; the pages it took from ``kept`` and what it warned."""
    taken: list[str] = []
    begin = shared.begin

    def spy(document: nodes.document, text: str) -> bool:
        took = begin(document, text)
        if took:
            taken.append(document.settings.env.docname)
        return took

    warnings = io.StringIO()
    shared.begin = spy
    try:
        with docutils_namespace():  # what it registers with docutils is forgotten after
            overrides = {"curriculum_shared_reads": str(kept or "")}
            doctrees = out.with_suffix(".doctrees")
            app = sphinxrun.make_app(
                project, lang, edition, builder, out, doctrees, strict=False, warning=warnings, overrides=overrides
            )
            app.build()
    finally:
        shared.begin = begin
    return taken, warnings.getvalue()


def pages(site: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(site.rglob("*")):
        if path.suffix in {".html", ".js"} and path.is_file():
            yield str(path.relative_to(site)), path.read_bytes()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("shared"))


@pytest.mark.slow  # builds the sample's sites
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_participant_site_from_the_trainers_reading_is_the_one_read_alone(
    project: Path, tmp_path: Path, lang: str
) -> None:
    kept = tmp_path / "kept"
    build_site(project, lang, "trainer", tmp_path / "trainer", kept)
    taken, _ = build_site(project, lang, "participant", tmp_path / "participant", kept)
    alone, _ = build_site(project, lang, "participant", tmp_path / "alone", None)

    assert alone == []
    # the chapters, the exercises and the glossary (whose terms the pages link to) are taken;
    # the agenda (a trainer's column), the contents (the edition's pages) are read again
    assert {"handbook/meeting-roles", "exercises/mock-meeting", "handbook/glossary"} <= set(taken)
    assert not {"handbook/agenda", "handbook/index"} & set(taken)
    assert dict(pages(tmp_path / "participant")) == dict(pages(tmp_path / "alone"))


@pytest.mark.slow  # builds the sample's sites
def test_a_page_that_warns_is_read_by_each_edition(project: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    copy_sample(broken)
    chapter = broken / "handbook" / "taking-notes.md"
    chapter.write_text(chapter.read_text() + "\nSee {unknown-role}`this`.\n")
    kept = tmp_path / "kept"
    _, trainer = build_site(broken, "en", "trainer", tmp_path / "trainer", kept)
    taken, participant = build_site(broken, "en", "participant", tmp_path / "participant", kept)
    assert "taking-notes.md" in trainer and "unknown-role" in trainer
    assert "handbook/taking-notes" not in taken and "handbook/about" in taken
    assert "taking-notes.md" in participant and "unknown-role" in participant


@pytest.mark.slow  # builds the sample's sites
def test_a_page_edited_since_it_was_kept_is_read_again(project: Path, tmp_path: Path) -> None:
    edited = copy_sample(tmp_path / "edited")
    kept = tmp_path / "kept"
    build_site(edited, "en", "trainer", tmp_path / "trainer", kept)
    chapter = edited / "handbook" / "about.md"
    chapter.write_text(chapter.read_text() + "\nA sentence added since.\n")
    taken, _ = build_site(edited, "en", "participant", tmp_path / "participant", kept)
    assert "handbook/about" not in taken and "handbook/meeting-roles" in taken
    assert "A sentence added since." in (tmp_path / "participant" / "handbook" / "about.html").read_text()


@pytest.mark.slow  # builds the sample's sites
def test_a_page_kept_by_another_builder_is_read_again(project: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    build_site(project, "en", "trainer", tmp_path / "trainer", kept)
    taken, _ = build_site(project, "en", "participant", tmp_path / "single", kept, builder="singlehtml")
    assert taken == [] and (tmp_path / "single" / "handbook" / "index.html").is_file()


def test_a_build_of_both_editions_shares_one_folder_and_clears_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from curriculum import build as building
    from curriculum.project import load_project

    given: dict[str, Path | None] = {}

    def record(
        project: object, target: Target, digest: str, processes: object = None, shared: Path | None = None
    ) -> str:
        if shared is not None:
            shared.mkdir(parents=True, exist_ok=True)  # as a Sphinx build keeping a page would
        given[target.name] = shared
        return "built"

    monkeypatch.setattr(building, "build_one", record)
    monkeypatch.setattr(building, "sphinx_processes", lambda *args: None)
    loaded = load_project(project)
    building.build(loaded, building.plan(loaded, lang="en", fmt="html"), log=lambda *a, **k: None)
    folder = building.shared_reads(project, "en")
    assert given == {"html-participant-en": folder, "html-trainer-en": folder}
    assert not folder.exists()
    # one edition alone has nothing to share
    given.clear()
    building.build(loaded, building.plan(loaded, lang="en", edition="participant"), log=lambda *a, **k: None)
    assert set(given.values()) == {None}


@pytest.mark.slow  # builds the sample's sites
def test_a_site_compiles_no_template_another_site_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another language and edition of the same course, and then a course of its own (a
    clone with no builds yet, as in a cold build): neither compiles a template again."""
    import jinja2

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = copy_sample(tmp_path / "course")
    build_site(project, "en", "trainer", tmp_path / "trainer", None)
    assert list((tmp_path / "cache" / "curriculum" / "templates").glob("*.cache"))
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def spy(self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(name or source[:40])  # a template file, or one rendered from its text (`*_t`)
        return compile_template(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    build_site(project, "ar", "participant", tmp_path / "participant", None)
    assert (tmp_path / "participant" / "index.html").is_file()
    assert compiled == []
    other = copy_sample(tmp_path / "other")
    build_site(other, "en", "participant", tmp_path / "other-site", None)
    assert (tmp_path / "other-site" / "index.html").is_file()
    assert compiled == []
    assert not (other / "_build" / ".cache" / "templates").exists()


def test_compiled_templates_stay_in_the_project_when_the_users_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from curriculum.paths import user_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert user_cache("templates") == tmp_path / "cache" / "curriculum" / "templates"
    (tmp_path / "blocked").write_text("a file where the folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "blocked"))
    assert user_cache("templates") is None
