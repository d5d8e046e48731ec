"""The ``curriculum`` command line: check, build, serve, new, schema, translate."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__
from .memory import collect_less_often


def find_root() -> Path:
    """The project root for the working directory, or :class:`~curriculum.project.NoProject`."""
    from .project import locate

    return locate(Path.cwd())


def build_command(args: argparse.Namespace) -> int:
    from .build import build, plan
    from .project import load_project

    project = load_project(find_root())
    targets = plan(project, args.lang, args.edition, args.format, args.exercise)
    return 1 if build(project, targets, jobs=args.jobs) else 0


#: Each command, the module that defines its options and runs it, and what it does.
COMMANDS = {
    "check": ("check", "check chapters, exercises and the agenda"),
    "init": ("init", "start a new curriculum in an empty folder"),
    "build": ("build", "build the site and the PDFs"),
    "serve": ("serve", "live preview of the site, rebuilt on every save"),
    "new": ("scaffold", "start a chapter or an exercise from a template"),
    "schema": ("schema", "print or write the JSON Schemas of front matter and the agenda"),
    "translate": ("translate", "update or count the translation catalogues"),
}


def add_build_arguments(building: argparse.ArgumentParser) -> None:
    from .build import FORMATS
    from .project import EDITIONS

    building.add_argument("--lang", default="all", help="a language the project lists, or all (default)")
    building.add_argument("--edition", choices=[*EDITIONS, "all"], default="all")
    building.add_argument("--format", choices=[*FORMATS, "all"], default="all")
    building.add_argument(
        "--jobs", "-j", type=int, default=None, metavar="N", help="outputs built at once (default: one per core)"
    )
    building.add_argument(
        "--exercise", metavar="ID", help="only this exercise's handouts (participant PDFs), in every language or --lang"
    )
    building.set_defaults(run=build_command)


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line; only the command named in ``argv`` (every command, for help) has
    its options defined, so that a command imports only what it runs."""
    import importlib

    main = argparse.ArgumentParser(
        prog="curriculum", description="Check and build a curriculum handbook: site and PDFs."
    )
    main.add_argument("--version", action="version", version=f"curriculum {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = next((word for word in (sys.argv[1:] if argv is None else argv) if not word.startswith("-")), None)
    for name, (module_name, summary) in COMMANDS.items():
        command = commands.add_parser(name, help=summary)
        if named in COMMANDS and named != name:
            continue
        if name == "build":
            add_build_arguments(command)
            continue
        module = importlib.import_module(f".{module_name}", __package__)
        module.add_arguments(command)
        if name in {"check", "init"}:  # they find (or make) the project themselves
            command.set_defaults(run=module.run)
        else:
            command.set_defaults(run=lambda args, module=module: module.run(args, find_root()))
    return main


def main(argv: list[str] | None = None) -> int:
    from .project import ProjectError

    args = parser(argv).parse_args(argv)
    try:
        return args.run(args)
    except ProjectError as error:  # no curriculum here, or settings that cannot be used
        print(f"curriculum {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


def entry() -> NoReturn:
    """The ``curriculum`` command: :func:`main`, then an immediate exit.

    Python would otherwise spend about a second after a build taking apart, object by object,
    what the build loaded (Sphinx's environment, the doctrees, the model) before handing the
    memory back to the system. Nothing is left to do by then: outputs are published, child
    processes have ended, and the output streams are flushed here.
    """
    collect_less_often()
    status = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    entry()
