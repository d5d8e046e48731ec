"""Authoring commands: ``curriculum new``, ``curriculum schema`` and ``curriculum serve``."""

from __future__ import annotations

import argparse
import json
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from curriculum import scaffold, schema, serve
from curriculum.model import (
    CHAPTER_FIELDS,
    EXERCISE_FIELDS,
    EXERCISE_SECTIONS,
    load_agenda,
    load_chapter,
    load_curriculum,
    load_exercise,
)
from curriculum.rules import RULES, check_curriculum, load_config
from curriculum.rules import agenda as agenda_rules

from .conftest import ROOT, SAMPLE

BROKEN = Path(__file__).parent / "fixtures" / "checker" / "broken"
VALID = Path(__file__).parent / "fixtures" / "checker" / "valid"
PROJECT_FILES = ("pyproject.toml", "handbook", "exercises")
#: Rules that name placeholders, once the rules have one (their name mentions "placeholder").
PLACEHOLDER_CODES = {rule.code for rule in RULES.values() if "placeholder" in rule.name}
#: Findings a freshly created file has until the author follows the printed next steps.
NEXT_STEP_CODES = {"AG010", "AG011", "REF003", "REF008"}  # schedule, practise, list in a toctree


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample curriculum's sources."""
    root = tmp_path / "project"
    root.mkdir()
    for name in PROJECT_FILES:
        source = SAMPLE / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    return root


def command(module, argv: list[str], root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Parse ``argv`` with the module's arguments and run it, as cli.py will."""
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)
    status = module.run(parser.parse_args(argv), root)
    out, err = capsys.readouterr()
    return status, out, err


def findings(root: Path) -> list[str]:
    found = check_curriculum(load_curriculum(root), load_config(root))
    return [f"{f.path.as_posix()}:{f.line}: {f.code}" for f in found]


def fill(text: str) -> str:
    """Fill every placeholder: drop the YAML comments that carry one, keep the rest of the text."""
    text = re.sub(r"[ \t]+#[ \t]*TODO:.*$", "", text, flags=re.MULTILINE)
    return re.sub(r"TODO: ([^\"\n]*)", lambda m: m[1][:1].upper() + m[1][1:], text)


# --- curriculum new --------------------------------------------------------------------------


def test_new_files_pass_the_checker_once_filled_and_scheduled(project: Path, capsys) -> None:
    status, out, err = command(scaffold, ["chapter", "budgets"], project, capsys)
    assert (status, err) == (0, "")
    assert out.startswith("Created handbook/budgets.md\n")
    assert "handbook/index.md" in out and "handbook/agenda.yml" in out
    status, out, err = command(scaffold, ["exercise", "budget-game"], project, capsys)
    assert (status, err) == (0, "")
    assert out.startswith("Created exercises/budget-game.md\n")
    assert "../exercises/budget-game" in out and "- exercise: budget-game" in out

    chapter, exercise = project / "handbook/budgets.md", project / "exercises/budget-game.md"
    # Unfilled, the files break no rule but the placeholder rule (if any) and the next steps.
    unfilled = [f for f in findings(project) if "budget" in f]
    assert {f.rsplit(" ", 1)[1] for f in unfilled} <= PLACEHOLDER_CODES | NEXT_STEP_CODES, unfilled

    for path in (chapter, exercise):
        text = path.read_text(encoding="utf-8")
        assert scaffold.PLACEHOLDER in text
        path.write_text(fill(text), encoding="utf-8")
        assert scaffold.PLACEHOLDER not in path.read_text(encoding="utf-8")
    # The printed next steps: practise the outcome, add both to the toctrees, schedule them.
    text = exercise.read_text(encoding="utf-8")
    exercise.write_text(re.sub(r"objectives: \[.*\]", "objectives: [budgets-1]", text), encoding="utf-8")
    index = project / "handbook/index.md"
    text = index.read_text(encoding="utf-8").replace("writing-minutes\n", "writing-minutes\nbudgets\n", 1)
    text = text.replace("../exercises/mock-meeting\n", "../exercises/mock-meeting\n../exercises/budget-game\n")
    index.write_text(text, encoding="utf-8")
    with (project / "handbook/agenda.yml").open("a", encoding="utf-8") as agenda:
        agenda.write(
            '  - title: Day 3\n    start: "09:00"\n    end: "10:10"\n    items:\n'
            "      - chapter: budgets\n        minutes: 30\n      - exercise: budget-game\n"
            "      - session: Wrap-up\n        minutes: 10\n        closing: true\n"
        )
    assert findings(project) == []


@pytest.mark.skipif(not PLACEHOLDER_CODES, reason="no placeholder rule yet (asked of the rules owner)")
def test_the_checker_names_the_placeholders(project: Path, capsys) -> None:
    for kind, ident in (("chapter", "budgets"), ("exercise", "budget-game")):
        assert command(scaffold, [kind, ident], project, capsys)[0] == 0
    named = [f for f in findings(project) if f.rsplit(" ", 1)[1] in PLACEHOLDER_CODES]
    assert any(f.startswith("handbook/budgets.md:") for f in named)
    assert any(f.startswith("exercises/budget-game.md:") for f in named)


def test_new_exercise_template_has_every_section_and_required_key(project: Path, capsys) -> None:
    assert command(scaffold, ["exercise", "budget-game"], project, capsys)[0] == 0
    exercise = load_exercise(project / "exercises/budget-game.md")
    assert [s.title for s in exercise.sections] == [spec.name for spec in EXERCISE_SECTIONS]
    assert all(not s.empty for s in exercise.sections)
    assert exercise.exercise_id == "budget-game"
    assert exercise.objectives == [next(iter(load_curriculum(project).learning_outcomes))]
    validator = jsonschema.Draft202012Validator(schema.exercise_schema())
    assert list(validator.iter_errors(exercise.front_matter.data)) == []


def test_new_chapter_declares_its_own_outcome(project: Path, capsys) -> None:
    assert command(scaffold, ["chapter", "budgets"], project, capsys)[0] == 0
    chapter = load_chapter(project / "handbook/budgets.md")
    assert [o.id for o in chapter.learning_outcomes] == ["budgets-1"]
    assert [h.title for h in chapter.headings if h.level == 2] == ["Introduction", "Key points", "Sources"]


@pytest.mark.parametrize(("kind", "ident"), [("exercise", "draft-minutes"), ("chapter", "taking-notes")])
def test_new_refuses_an_existing_id(project: Path, capsys, kind: str, ident: str) -> None:
    path = project / ("exercises" if kind == "exercise" else "handbook") / f"{ident}.md"
    before = path.read_bytes()
    status, out, err = command(scaffold, [kind, ident], project, capsys)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "already exists" in err
    assert path.read_bytes() == before


NOT_KEBAB = ["Bad_Id", "UPPER", "two--hyphens", "-lead", "trail-", "with space", "é", "a/b", "x\n", ""]


def listing(root: Path) -> list[str]:
    folders = (root / "exercises", root / "handbook")
    return sorted(p.relative_to(root).as_posix() for folder in folders for p in folder.iterdir())


@pytest.mark.parametrize("ident", NOT_KEBAB)
@pytest.mark.parametrize("kind", ["exercise", "chapter"])
def test_new_refuses_an_id_that_is_not_kebab_case(project: Path, capsys, kind: str, ident: str) -> None:
    before = listing(project)
    status, out, err = command(scaffold, [kind, "--", ident], project, capsys)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "kebab-case" in err
    assert listing(project) == before


# --- curriculum schema -----------------------------------------------------------------------

SCHEMAS = schema.schemas()
VALIDATORS = {name: jsonschema.Draft202012Validator(s) for name, s in SCHEMAS.items()}
SAMPLE_CURRICULUM = load_curriculum(SAMPLE)


def errors(name: str, data: object) -> list[str]:
    return [error.message for error in VALIDATORS[name].iter_errors(data)]


@pytest.mark.parametrize("name", schema.NAMES)
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    assert SCHEMAS[name]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[name])


def test_front_matter_schemas_follow_the_model() -> None:
    for name, fields in (("exercise", EXERCISE_FIELDS), ("chapter", CHAPTER_FIELDS)):
        generated = SCHEMAS[name]
        assert generated["additionalProperties"] is False
        assert set(generated["required"]) == {f.name for f in fields if f.required}
        for spec in fields:
            assert generated["properties"][spec.name]["description"] == spec.description
            if spec.choices:
                assert generated["properties"][spec.name]["enum"] == list(spec.choices)
    agenda = SCHEMAS["agenda"]
    day = agenda["properties"]["days"]["items"]
    assert set(agenda["properties"]) == set(agenda_rules.ROOT_KEYS)
    assert set(day["properties"]) == set(agenda_rules.DAY_KEYS)
    items = day["properties"]["items"]["items"]["oneOf"]
    assert set().union(*(i["properties"] for i in items)) == set(agenda_rules.ITEM_KEYS)


def test_committed_schemas_are_current() -> None:
    for name, generated in SCHEMAS.items():
        assert (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8") == schema.dumps(generated), (
            "regenerate with: curriculum schema --output schemas"
        )


def test_schema_command_prints_all_or_writes_files(tmp_path: Path, capsys) -> None:
    status, out, _ = command(schema, [], SAMPLE, capsys)
    assert status == 0 and json.loads(out) == SCHEMAS
    status, out, _ = command(schema, ["agenda"], SAMPLE, capsys)
    assert status == 0 and json.loads(out) == SCHEMAS["agenda"]
    status, out, _ = command(schema, ["--output", str(tmp_path / "out")], SAMPLE, capsys)
    assert status == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "agenda.schema.json",
        "chapter.schema.json",
        "exercise.schema.json",
    ]


def schema_errors(curriculum) -> list[str]:
    """What the schemas say about every exercise, chapter and the agenda of ``curriculum``."""
    assert curriculum.agenda is not None and curriculum.exercises and curriculum.chapters
    found = [f"agenda: {m}" for m in errors("agenda", curriculum.agenda.document.data)]
    for exercise in curriculum.exercises.values():
        found += [f"{exercise.id}: {m}" for m in errors("exercise", exercise.front_matter.data)]
    for chapter in curriculum.chapters.values():
        found += [f"{chapter.id}: {m}" for m in errors("chapter", chapter.front_matter.data)]
    return found


@pytest.mark.parametrize("exercise", SAMPLE_CURRICULUM.exercises.values(), ids=lambda e: e.id)
def test_every_sample_exercise_validates(exercise) -> None:
    assert exercise.markdown.front_matter is not None
    assert errors("exercise", exercise.front_matter.data) == []


@pytest.mark.parametrize("chapter", SAMPLE_CURRICULUM.chapters.values(), ids=lambda c: c.id)
def test_every_sample_chapter_validates(chapter) -> None:
    assert errors("chapter", chapter.front_matter.data) == []


def test_the_sample_agenda_and_the_valid_fixture_validate() -> None:
    assert SAMPLE_CURRICULUM.agenda is not None
    assert errors("agenda", SAMPLE_CURRICULUM.agenda.document.data) == []
    valid = load_curriculum(VALID)
    assert errors("agenda", valid.agenda.document.data) == []
    for document in valid.exercises.values():
        assert errors("exercise", document.front_matter.data) == []
    for document in valid.chapters.values():
        assert errors("chapter", document.front_matter.data) == []


EXERCISE = {
    "id": "read-aloud",
    "title": "Read out a summary of the minutes",
    "type": "presentation",
    "duration": 30,
    "grouping": "individual",
    "objectives": ["minutes-2"],
    "materials": ["timer"],
    "time_limit": 2,
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"duration": "45 min"}, "is not of type 'integer'"),
        ({"duration": True}, "is not of type 'integer'"),
        ({"duration": 0}, "less than the minimum of 1"),
        ({"objectives": "minutes-2"}, "is not of type 'array'"),
        ({"objectives": []}, "should be non-empty"),
        ({"objectives": [3]}, "is not of type 'string'"),
        ({"objective": ["minutes-2"]}, "Additional properties are not allowed"),
        ({"type": "lecture"}, "is not one of"),
        ({"grouping": "teams"}, "is not one of"),
        ({"id": "Three_Minute"}, "does not match"),
        ({"title": "  "}, "does not match"),
        ({"title": None}, "is not of type 'string'"),
    ],
)
def test_exercise_schema_rejects(change: dict[str, object], expected: str) -> None:
    assert errors("exercise", EXERCISE) == []
    found = errors("exercise", {**EXERCISE, **change})
    assert any(expected in message for message in found), found


def test_exercise_schema_requires_every_required_key() -> None:
    for spec in EXERCISE_FIELDS:
        if spec.required:
            data = {key: value for key, value in EXERCISE.items() if key != spec.name}
            assert f"'{spec.name}' is a required property" in errors("exercise", data)


@pytest.mark.parametrize(
    "data",
    [
        {"learning_outcomes": ["budgets-1"]},
        {"learning_outcomes": {"Budgets_1": "Explain funding"}},
        {"learning_outcomes": {"budgets-1": None}},
        {"learning_outcome": {"budgets-1": "Explain funding"}},
    ],
)
def test_chapter_schema_rejects(data: dict[str, object]) -> None:
    assert errors("chapter", data)


AGENDA = {
    "days": [
        {
            "title": "Day 1",
            "start": "09:00",
            "end": "12:00",
            "items": [
                {"chapter": "about", "minutes": 20, "notes": "Welcome"},
                {"exercise": "expectations"},
                {"break": "Coffee break", "minutes": 15},
            ],
        }
    ]
}


def day_with(**change: object) -> dict[str, object]:
    return {"days": [{**AGENDA["days"][0], **change}]}


@pytest.mark.parametrize(
    "data",
    [
        {"title": "No days"},
        {"days": []},
        day_with(start="9am"),
        day_with(start=540),
        day_with(end="24:00"),
        day_with(items=[]),
        day_with(items=[{"chapter": "about"}]),
        day_with(items=[{"exercise": "expectations", "minutes": 20}]),
        day_with(items=[{"break": "Lunch", "minutes": "an hour"}]),
        day_with(items=[{"chapter": "about", "exercise": "expectations", "minutes": 5}]),
        day_with(items=[{"session": "Wrap-up"}]),
        day_with(items=[{"session": "Wrap-up", "minutes": 5, "closing": "yes"}]),
        day_with(room="A1"),
    ],
)
def test_agenda_schema_rejects(data: dict[str, object]) -> None:
    assert errors("agenda", AGENDA) == []
    assert errors("agenda", data)


#: Broken checker fixtures whose mistake a schema can see (the others need the whole curriculum).
SCHEMA_VISIBLE = [
    "FM004-missing-key",
    "FM005-outcomes-not-mapping",
    "FM005-wrong-item-type",
    "FM005-wrong-type",
    "FM006-invalid-value",
    "FM006-zero-duration",
    "FM007-unknown-chapter-key",
    "FM007-unknown-key",
    "FM011-outcome-id-not-kebab-case",
    "FM012-empty-outcome",
    "AG002-agenda-structure",
    "AG003-invalid-time",
    "AG007-missing-minutes",
]


@pytest.mark.parametrize("case", SCHEMA_VISIBLE)
def test_schemas_reject_the_broken_fixtures(case: str) -> None:
    found = []
    for path in sorted((BROKEN / case).rglob("*")):
        relative = path.relative_to(BROKEN / case).as_posix()
        if relative == "handbook/agenda.yml":
            found += errors("agenda", load_agenda(path).document.data)
        elif relative.startswith("exercises/") and path.suffix == ".md":
            found += errors("exercise", load_exercise(path).front_matter.data)
        elif relative.startswith("handbook/") and path.suffix == ".md":
            found += errors("chapter", load_chapter(path).front_matter.data)
    assert found, f"no schema rejects {case}"


# --- curriculum serve ------------------------------------------------------------------------

SERVE = (
    "import argparse, sys; from pathlib import Path; from curriculum import serve; "
    "p = argparse.ArgumentParser(); serve.add_arguments(p); "
    "sys.exit(serve.run(p.parse_args(sys.argv[1:]), Path.cwd()))"
)


def wait_for(condition: Callable[[], object], timeout: float, step: float = 0.2) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(step)
    return None


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


@pytest.mark.slow
def test_serve_answers_rebuilds_on_change_and_stops_on_sigterm(project: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-u", "-c", SERVE, "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()

    def read_until(pattern: str, timeout: float) -> re.Match[str] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            output.append(line)
            if match := re.search(pattern, line):
                return match
        return None

    try:
        address = read_until(r"^Serving (http://127\.0\.0\.1:(\d+)/) \(Ctrl\+C to stop\)$", 60)
        assert address, "".join(output)
        assert int(address[2]) > 0
        base = address[1]
        assert "No problems found" in "".join(output)
        page = f"{base}handbook/taking-notes.html"
        assert "<html" in fetch(page)
        assert "<html" in fetch(base)  # the root sends the browser to the handbook's index

        marker = "Preview marker sentence for the serve test."
        with (project / "handbook/taking-notes.md").open("a", encoding="utf-8") as chapter:
            chapter.write(f"\n{marker}\n")
        assert read_until(r"^rebuilt in \d+\.\d s", 45), "".join(output)
        assert wait_for(lambda: marker in fetch(page), 10), "the new text never appeared"

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_refuses_a_language_the_project_does_not_list(project: Path, capsys) -> None:
    status, out, err = command(serve, ["--lang", "fr"], project, capsys)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "'fr' is not one of this curriculum's languages" in err


def test_serve_publishes_only_what_changed_and_drops_what_went(tmp_path: Path) -> None:
    built, served = tmp_path / "work", tmp_path / "site"
    (built / "pages").mkdir(parents=True)
    (built / "old").mkdir()
    for name, text in (("index.html", "home"), ("pages/a.html", "a"), ("old/gone.html", "gone"), (".buildinfo", "x")):
        (built / name).write_text(text, encoding="utf-8")
    assert serve.publish(built, served) == 3
    assert sorted(p.relative_to(served).as_posix() for p in served.rglob("*") if p.is_file()) == [
        "index.html",
        "old/gone.html",
        "pages/a.html",
    ]
    kept = (served / "index.html").stat().st_ino
    (built / "pages" / "a.html").write_text("a, edited", encoding="utf-8")
    shutil.rmtree(built / "old")
    assert serve.publish(built, served) == 2  # one page replaced, one removed
    assert (served / "pages" / "a.html").read_text(encoding="utf-8") == "a, edited"
    assert not (served / "old").exists()
    assert (served / "index.html").stat().st_ino == kept  # left alone, not copied again
    assert not list(served.rglob("*.part"))
