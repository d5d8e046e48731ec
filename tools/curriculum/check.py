"""``curriculum check``: run the rules over the curriculum and report the findings.

Exit status: 0 clean, 1 errors (or warnings under ``--strict``), 2 usage or internal
error, with one line on standard error and no traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .project import ProjectError, locate
from .report import FORMATTERS

if TYPE_CHECKING:
    from .model import Curriculum


class UsageError(Exception):
    """A mistake on the command line; reported in one line, exit status 2."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``curriculum check``."""
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or directories to report on (default: the whole curriculum); "
        "they are always checked in the context of the whole project",
    )
    parser.add_argument("--format", choices=tuple(FORMATTERS), default="text", help="output format (default: text)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument(
        "--select",
        metavar="CODES",
        type=_codes,
        help="only these rule codes or prefixes, comma-separated (replaces [tool.curriculum] select)",
    )
    parser.add_argument(
        "--ignore",
        metavar="CODES",
        type=_codes,
        default=[],
        help="skip these rule codes or prefixes, comma-separated (added to [tool.curriculum] ignore)",
    )
    parser.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    parser.add_argument("--explain", metavar="CODE", help="explain one rule and how to fix its findings, and exit")
    parser.add_argument(
        "--root",
        type=Path,
        metavar="DIR",
        help="the project root (default: the nearest parent with [tool.curriculum] in pyproject.toml)",
    )


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def run(args: argparse.Namespace) -> int:
    """Run ``curriculum check`` with parsed ``args``; returns the exit status."""
    from .rules import UnknownRule

    try:
        return _run(args)
    except (UsageError, ProjectError, UnknownRule) as error:  # settings, and no project found
        message = error.args[0] if error.args else str(error)
        print(f"curriculum check: error: {message}", file=sys.stderr)
        return 2
    except Exception as error:  # a bug must still end in one clear line
        print(f"curriculum check: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    # the rules and the model are imported here, not when the command line is read
    from .findings import cached_findings
    from .model import load_curriculum
    from .report import render
    from .rules import check_curriculum, explain, load_config

    if args.explain:
        sys.stdout.write(explain(args.explain))
        return 0
    if args.list_rules:
        sys.stdout.write(list_rules())
        return 0
    root = (args.root or locate(Path.cwd())).resolve()
    if not root.is_dir():
        raise UsageError(f"project root '{args.root}' is not a directory")
    config = load_config(root).with_selection(args.select, args.ignore)
    paths = [_inside(root, path) for path in args.paths] or None
    gc.disable()  # tens of thousands of tokens, no cycles worth collecting: 15 % faster
    try:
        curriculum = load_curriculum(root)
        if paths is None and args.select is None and not args.ignore:
            # the project's own selection over everything: what every build reports, kept for them
            findings = cached_findings(root, lambda: check_curriculum(curriculum, config))
        else:
            findings = check_curriculum(curriculum, config, paths)
    finally:
        gc.enable()
    sys.stdout.write(render(findings, count_files(curriculum, paths), args.format))
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(f.severity in failing for f in findings) else 0


def list_rules() -> str:
    from .rules import RULES

    width = max(len(r.name) for r in RULES.values())
    return "".join(f"{r.code:<8} {r.name:<{width}}  {r.severity:<7}  {r.summary}\n" for r in RULES.values())


def _inside(root: Path, path: Path) -> Path:
    """``path`` (relative to the working directory) made absolute, if it exists inside ``root``."""
    absolute = path.resolve()
    if not absolute.exists():
        raise UsageError(f"no such file or directory: '{path}'")
    if absolute != root and root not in absolute.parents:
        raise UsageError(f"'{path}' is outside the project root '{root}'")
    return absolute


def count_files(curriculum: Curriculum, paths: Sequence[Path] | None) -> int:
    """How many curriculum files were checked (of those under ``paths``, if given)."""
    from .model import AGENDA_FILE

    files = [document.path for document in curriculum.documents]
    if curriculum.agenda is not None:
        files.append(curriculum.root / AGENDA_FILE)
    if paths is not None:
        files = [f for f in files if any(f == p or p in f.parents for p in paths)]
    return len(files)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m curriculum.check``: the check command on its own."""
    parser = argparse.ArgumentParser(prog="curriculum check", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
