"""``curriculum check`` on the command line: formats parsed back, exit codes, errors."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum import check
from curriculum.project import find_root
from curriculum.rules import RULES

FIXTURES = Path(__file__).parent / "fixtures" / "checker"
VALID = FIXTURES / "valid"
TOOLS = Path(__file__).parents[1] / "tools"


def make_project(tmp_path: Path, case: str | None = None) -> Path:
    root = tmp_path / "project"
    shutil.copytree(VALID, root)
    if case:
        shutil.copytree(FIXTURES / "broken" / case, root, dirs_exist_ok=True)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Parse ``argv`` as the ``check`` subcommand does and run it in this process."""
    parser = argparse.ArgumentParser(prog="curriculum check")
    check.add_arguments(parser)
    status = check.run(parser.parse_args(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_clean_project_exits_0_with_a_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path)
    status, out, err = run(capsys, "--root", str(root))
    assert (status, out, err) == (0, "No problems found in 8 files\n", "")


def test_text_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path, "SEC002-misspelt-section")
    status, out, _ = run(capsys, "--root", str(root))
    assert status == 1
    assert out.splitlines() == [
        "exercises/opening-round.md:11:1: SEC001 missing section '## Trainer notes' (after '## Materials')",
        "exercises/opening-round.md:26:1: SEC002 unknown section '## Trainer Notes'; did you mean 'Trainer notes'?",
        "2 errors, 0 warnings in 8 files",
    ]


def test_json_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path, "REF003-outcome-not-practised")
    status, out, _ = run(capsys, "--root", str(root), "--format", "json")
    assert status == 0
    assert json.loads(out) == [
        {
            "path": "handbook/intro.md",
            "line": 5,
            "column": 3,
            "code": "REF003",
            "name": "outcome-not-practised",
            "severity": "warning",
            "message": "no exercise lists learning outcome 'intro-3' in its objectives",
        }
    ]


def test_github_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path, "FM010-duplicate-id")
    (root / "handbook/intro.md").write_text(
        (root / "handbook/intro.md").read_text() + "\n100% here, see [here](glossary.md)\n"
    )
    status, out, _ = run(capsys, "--root", str(root), "--format", "github")
    assert status == 1
    lines = out.splitlines()
    pattern = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([A-Z0-9]+)::(.+)$")
    parsed = [pattern.match(line).groups() for line in lines]  # type: ignore[union-attr]
    assert [(p[1], p[2], p[3], p[4]) for p in parsed] == [
        ("exercises/opening-round-copy.md", "2", "1", "FM008"),
        ("exercises/opening-round-copy.md", "2", "1", "FM010"),
        ("handbook/intro.md", "43", "16", "A11Y002"),
    ]
    assert parsed[1][5] == "id 'opening-round' is already used by exercises/opening-round.md"


def test_github_format_escapes_newlines_and_percent(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from curriculum.report import as_github
    from curriculum.rules import Finding

    finding = Finding(Path("a,b:c.md"), 1, 2, "FM007", "unknown-key", "warning", "50% off\nnow")
    assert as_github([finding], 1) == "::warning file=a%2Cb%3Ac.md,line=1,col=2,title=FM007::50%25 off%0Anow\n"


def test_sarif_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path, "SEC002-misspelt-section")
    status, out, _ = run(capsys, "--root", str(root), "--format", "sarif")
    assert status == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "curriculum"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    for rule in rules:
        assert set(rule) >= {"id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"}
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning"}
    results = log["runs"][0]["results"]
    assert len(results) == 2
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "error" and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "exercises/opening-round.md"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    assert [r["ruleId"] for r in results] == ["SEC001", "SEC002"]
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {"startLine": 26, "startColumn": 1}


def test_empty_outputs_parse(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert json.loads(run(capsys, "--root", str(root), "--format", "json")[1]) == []
    assert json.loads(run(capsys, "--root", str(root), "--format", "sarif")[1])["runs"][0]["results"] == []
    assert run(capsys, "--root", str(root), "--format", "github")[1] == ""


def test_strict_fails_on_warnings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path, "AG010-exercise-not-scheduled")
    assert run(capsys, "--root", str(root))[0] == 0
    status, out, _ = run(capsys, "--root", str(root), "--strict")
    assert status == 1 and out.endswith("0 errors, 1 warning in 8 files\n")


def test_select_and_ignore(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path, "SEC002-misspelt-section")
    assert run(capsys, "--root", str(root), "--select", "SEC002")[1].count(" SEC") == 1
    assert run(capsys, "--root", str(root), "--ignore", "SEC001,sec002")[0] == 0
    (root / "pyproject.toml").write_text("[tool.curriculum]\nselect = ['FM']\n")
    assert run(capsys, "--root", str(root))[0] == 0
    assert run(capsys, "--root", str(root), "--select", "SEC")[0] == 1  # --select replaces the configured one
    (root / "pyproject.toml").write_text("[tool.curriculum]\nignore = ['SEC001']\n")
    assert run(capsys, "--root", str(root), "--ignore", "SEC002")[0] == 0  # --ignore adds to the configured one


def test_paths_restrict_findings_and_count(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, "REF001-unknown-objective")
    monkeypatch.chdir(root / "handbook")  # the root is found from here; paths are relative to here
    status, out, _ = run(capsys, "intro.md", "agenda.yml")
    assert (status, out) == (0, "No problems found in 2 files\n")
    status, out, _ = run(capsys, "../exercises")
    assert status == 1 and out.splitlines()[-1] == "1 error, 0 warnings in 3 files"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--explain", "XX999"], "unknown rule code 'XX999'"),
        (["missing.md"], "no such file or directory: 'missing.md'"),
        (["--select", "NOPE"], "--select: unknown rule code or prefix 'NOPE'"),
        (["--ignore", "FM,ZZ"], "--ignore: unknown rule code or prefix 'ZZ'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str
) -> None:
    monkeypatch.chdir(make_project(tmp_path))
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_path_outside_the_project_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path)
    status, _, err = run(capsys, "--root", str(root), str(tmp_path))
    assert status == 2 and "outside the project root" in err


def test_bad_configuration_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "pyproject.toml").write_text("[tool.curriculum]\nwords_per_minute = -5\n")
    status, _, err = run(capsys, "--root", str(root))
    assert status == 2 and "words_per_minute must be a positive whole number" in err


def test_internal_error_exits_2_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("rule exploded")

    monkeypatch.setattr("curriculum.rules.check_curriculum", broken)  # what the command imports when it runs
    status, out, err = run(capsys, "--root", str(make_project(tmp_path)))
    assert (status, out, err) == (2, "", "curriculum check: internal error: RuntimeError: rule exploded\n")


def test_list_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--list-rules")
    assert status == 0 and [line.split()[0] for line in out.splitlines()] == list(RULES)
    status, out, _ = run(capsys, "--explain", "ag008")
    assert status == 0 and out.startswith("AG008 day-overrun (error)")
    assert "**Use instead**" in out and "`handbook/agenda.yml`:" in out


def test_root_is_the_nearest_folder_with_a_project_description(tmp_path: Path) -> None:
    assert find_root(tmp_path) is None
    root = make_project(tmp_path)
    assert find_root(root / "exercises") == root


def test_no_curriculum_is_one_line_pointing_to_init(tmp_path: Path) -> None:
    for argv in (["check"], ["build"], ["serve", "--port", "0"], ["new", "chapter", "x"], ["translate", "status"]):
        result = subprocess.run(
            [sys.executable, "-m", "curriculum", *argv], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2, argv
        assert result.stdout == "" and len(result.stderr.splitlines()) == 1, (argv, result.stderr)
        assert "no curriculum here" in result.stderr and "curriculum init" in result.stderr, argv


def subprocess_check(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(TOOLS), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-m", "curriculum.check", *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("case", "argv", "status"),
    [
        (None, [], 0),
        ("FM004-missing-key", [], 1),
        ("REF003-outcome-not-practised", [], 0),
        ("REF003-outcome-not-practised", ["--strict"], 1),
        (None, ["--explain", "nope"], 2),
        (None, ["--format", "xml"], 2),
    ],
)
def test_exit_codes_of_the_process(tmp_path: Path, case: str | None, argv: list[str], status: int) -> None:
    result = subprocess_check(*argv, cwd=make_project(tmp_path, case))
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
