"""``curriculum serve``: a live preview of the site.

Builds the HTML site with one Sphinx application (the configuration of ``curriculum build``)
kept alive in this process, publishes it into ``_build/serve/<edition>-<lang>`` once the build
has finished (the changed files, each whole), serves it over HTTP, and polls the sources: on every change it rebuilds incrementally in the same
application, then runs the checker and prints its findings. Open pages reload themselves after
each rebuild, and show the open findings (the checker's and the build's) in a banner (file:line,
code, message and the rule's explanation) until they are fixed. A build that raises is shown
the same way and the last good site stays served. SIGINT (Ctrl+C) and SIGTERM stop it with status 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

from .build import Target
from .project import (
    BUILD_DIR,
    CHAPTER_DIR,
    EDITIONS,
    EXERCISE_DIR,
    LOCALES_DIR,
    SETTINGS_FILE,
    ProjectError,
    load_project,
)

if TYPE_CHECKING:
    from .rules import Finding

POLL_SECONDS = 0.2
#: What the preview watches, relative to the root (the agenda lives in handbook/); a change to
#: the settings makes a new Sphinx application.
WATCHED = (
    SETTINGS_FILE,
    "conf.py",
    f"{CHAPTER_DIR}/**/*",
    f"{EXERCISE_DIR}/**/*",
    f"{LOCALES_DIR}/**/*.po",
    f"{LOCALES_DIR}/**/*.yml",
)
#: Editors' temporary and backup files, which must not trigger a rebuild.
IGNORED = re.compile(r"^[.#]|~$|\.(swp|swx|tmp|bak)$")
#: Sphinx warnings that repeat a checker finding (already printed by the checker).
CHECKER_WARNING = re.compile(r"\[curriculum\.[A-Z]+[0-9]+\]$")
VERSION_PATH = "/__curriculum__/version"
#: The build's version and the checker's open findings, as JSON, for the script in every page.
STATUS_PATH = "/__curriculum__/status"
#: Reloads the page after each rebuild and shows the open findings in a banner.
PREVIEW_SCRIPT = Path(__file__).parent / "templates" / "preview.js"
RELOAD_SCRIPT = (
    "<script>" + PREVIEW_SCRIPT.read_text(encoding="utf-8").replace("__STATUS__", STATUS_PATH) + "</script>"
).encode()

say = partial(print, flush=True)
Snapshot = dict[Path, tuple[int, int]]


class Stop(BaseException):
    """Raised by the SIGINT and SIGTERM handlers to end the preview."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``curriculum serve``."""
    parser.add_argument("--lang", help="language to preview (default: the source language)")
    parser.add_argument(
        "--edition", choices=EDITIONS, default="participant", help="edition to preview (default: participant)"
    )
    parser.add_argument(
        "--port", type=_port, default=8000, help="port to listen on; 0 picks a free one (default: 8000)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"'{value}' is not a port number (0 to 65535)")
    return int(value)


def _nothing() -> None:
    """The signal handlers to restore before any were set."""


def run(args: argparse.Namespace, root: Path) -> int:
    """Build, serve and rebuild until SIGINT or SIGTERM; 2 with one line on stderr on a usage error."""
    root = root.resolve()
    try:
        project = load_project(root)
        lang = project.require_language(args.lang or project.source_language)
        if lang != project.source_language and not (root / LOCALES_DIR / lang).is_dir():
            raise ProjectError(
                f"no catalogues for '{lang}': {LOCALES_DIR}/{lang} is missing "
                "(run `curriculum translate update` to make them)"
            )
    except ProjectError as error:
        print(f"curriculum serve: error: {error}", file=sys.stderr)
        return 2
    from .project import interface_warning

    if warning := interface_warning(lang):
        say(warning)
    preview = Preview(root, Target(lang, args.edition, "html"))
    try:
        server = make_server(args.host, args.port, preview)
    except OSError as error:
        print(
            f"curriculum serve: error: cannot listen on {args.host}:{args.port}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    restore: Callable[[], None] = _nothing
    try:
        restore = _handle_signals()
        preview.update("built")
        thread.start()
        host, port = server.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{host}]" if ":" in host else host
        say(f"Serving http://{shown}:{port}/ (Ctrl+C to stop)")
        preview.watch()
    except Stop:
        pass
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        preview.close()
        restore()
    say("stopped")
    return 0


class Preview:
    """One language and edition of the site: its build, its checker run, its watch loop.

    One Sphinx application (:class:`~curriculum.livesite.LiveSite`) builds into a working folder
    under ``_build/serve/.work``; a build that finishes (warnings or not) is published over the
    served folder (:func:`publish`), one that raises leaves the served site as it was.
    """

    def __init__(self, root: Path, target: Target) -> None:
        from .livesite import LiveSite

        self.root = root
        self.target = target
        serve = root / BUILD_DIR / "serve"
        name = f"{target.edition}-{target.lang}"
        self.outdir = serve / name
        # its own environment, apart from `curriculum build`'s; the checker runs here, not in the build
        self.site = LiveSite(
            root, target, serve / ".work" / name, serve / ".doctrees" / name, {"curriculum_report_findings": False}
        )
        self.version = 0
        #: The open findings, each a JSON object (path, line, column, code, severity, message,
        #: explain, source): the checker's, then the last build's; replaced whole, read by the server's threads.
        self.findings: list[dict[str, object]] = []
        self._checked: list[dict[str, object]] = []
        self._built: list[dict[str, object]] = []

    def update(self, verb: str = "rebuilt", changed: tuple[Path, ...] = ()) -> bool:
        """Build (and publish what builds), then check: the page first, the banner just after."""
        ok = self.build(verb, changed)
        self.check()
        return ok

    def check(self) -> None:
        """Run the checker over the whole curriculum (the model the build just read), print its
        findings as text and keep them for the pages' banner."""
        from .check import count_files
        from .report import render
        from .rules import ConfigError, check_curriculum, load_config

        try:
            curriculum = self.site.curriculum()
            findings = check_curriculum(curriculum, load_config(self.root))
            sys.stdout.write(render(findings, count_files(curriculum, None), "text"))
            self._checked = [as_record(finding) for finding in findings]
        except ConfigError as error:
            say(f"curriculum check: error: {error}")
            self._checked = [problem("pyproject.toml", f"curriculum check: error: {error}")]
        except Exception as error:  # the preview goes on whatever the checker does
            say(f"curriculum check: internal error: {type(error).__name__}: {error}")
            self._checked = [problem("", f"curriculum check: internal error: {type(error).__name__}: {error}")]
        sys.stdout.flush()
        self.findings = self._checked + self._built

    def build(self, verb: str = "rebuilt", changed: tuple[Path, ...] = ()) -> bool:
        """Rebuild incrementally in the live application and publish the result when Sphinx
        finished; print its problems and the time taken. False when the build raised."""
        started = time.perf_counter()
        outcome = self.site.build(changed)
        problems = [line for line in outcome.problems if not CHECKER_WARNING.search(line)]
        for line in problems[-40:]:
            say(line.replace(f"{self.root}{os.sep}", "", 1) if line.startswith(str(self.root)) else line)
        self._built = carry_over(
            self._built, [build_record(line, self.root) for line in problems], outcome.read, self.root
        )
        self.findings = self._checked + self._built
        took = f"{time.perf_counter() - started:.1f} s"
        if not outcome.finished:
            say(f"build failed after {took}: still serving the last good site")
            return False
        publish(self.site.outdir, self.outdir)
        self.version += 1
        count = len(problems)
        say(f"{verb} in {took}" + (f" ({count} problem{'s' if count != 1 else ''})" if count else ""))
        return True

    def snapshot(self) -> Snapshot:
        """Modification time and size of every watched file."""
        files: Snapshot = {}
        for pattern in WATCHED:
            for path in self.root.glob(pattern):
                if IGNORED.search(path.name):
                    continue
                try:
                    status = path.stat()
                except OSError:
                    continue
                if path.is_file():
                    files[path] = (status.st_mtime_ns, status.st_size)
        return files

    def watch(self) -> None:
        """Poll the sources; on a change, rebuild and check. Returns only by exception."""
        previous = self.snapshot()
        while True:
            time.sleep(POLL_SECONDS)
            current = self.snapshot()
            if current == previous:
                continue
            changed = sorted(p for p in current.keys() | previous.keys() if current.get(p) != previous.get(p))
            names = ", ".join(p.relative_to(self.root).as_posix() for p in changed[:3])
            say(f"changed: {names}" + (f" and {len(changed) - 3} more" if len(changed) > 3 else ""))
            previous = current
            self.update("rebuilt", tuple(changed))

    def close(self) -> None:
        self.site.close()


def as_record(finding: Finding) -> dict[str, object]:
    """A finding as the page script reads it, with what ``curriculum check --explain`` says of its rule."""
    from .rules import explain

    try:
        explanation = explain(finding.code).strip()
    except Exception:  # an unknown code explains nothing; the finding still shows
        explanation = ""
    return {
        "path": finding.path.as_posix(),
        "line": finding.line,
        "column": finding.column,
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "explain": explanation,
        "source": "check",
    }


def problem(path: str, message: str) -> dict[str, object]:
    """A checker that could not run, shown like a finding."""
    return {
        "path": path,
        "line": 1,
        "column": 1,
        "code": "CHECK",
        "severity": "error",
        "message": message,
        "explain": "",
        "source": "check",
    }


#: A line of Sphinx's warning stream: ``path:line: WARNING: message [type.subtype]``, the
#: location and the type optional.
SPHINX_LINE = re.compile(
    r"^(?:(?P<path>.*?):(?:(?P<line>\d+):)? )?(?:WARNING|ERROR|CRITICAL): (?P<message>.*?)(?: \[(?P<code>[\w.-]+)\])?$"
)


def build_record(line: str, root: Path) -> dict[str, object]:
    """A line of the build's warnings (or the error that stopped it), shown like a finding; every
    one is an error, as it fails ``curriculum build``."""
    match = SPHINX_LINE.match(line)
    path, number, message, code = "", 1, line, "BUILD"
    if match:
        message, code = match["message"], match["code"] or code
        number = int(match["line"] or 1)
        if match["path"]:
            path = Path(match["path"]).as_posix()
            if Path(path).is_absolute() and Path(path).is_relative_to(root):
                path = Path(path).relative_to(root).as_posix()
    return {
        "path": path,
        "line": number,
        "column": 1,
        "code": code,
        "severity": "error",
        "message": message,
        "explain": "",
        "source": "build",
    }


def publish(source: Path, destination: Path) -> int:
    """Make ``destination`` a copy of ``source``: each file that differs (size or time) is
    replaced whole (copied beside it, then renamed over), files ``source`` no longer has are
    removed. Returns how many files changed.

    Called only after a finished build, and before the pages are told to reload: a failed build
    leaves the served site whole. Faster than ``build.replace_tree`` for a rebuild that rewrote a
    few pages (it copies those alone), which is what makes a save show in about a second.
    """
    from fnmatch import fnmatch

    from .atomic import atomic_path
    from .build import UNPUBLISHED, unchanged

    changed = 0
    built: set[Path] = set()
    for path in sorted(source.rglob("*")):
        parts = path.relative_to(source).parts
        if not path.is_file() or any(fnmatch(part, pattern) for part in parts for pattern in UNPUBLISHED):
            continue
        target = destination / path.relative_to(source)
        built.add(target)
        if unchanged(path, target):
            continue
        with atomic_path(target) as partial:
            shutil.copy2(path, partial)
        changed += 1
    for path in sorted(destination.rglob("*"), reverse=True):  # files first, then emptied folders
        if path.is_file() and path not in built:
            path.unlink()
            changed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def carry_over(
    previous: list[dict[str, object]], new: list[dict[str, object]], read: list[str], root: Path
) -> list[dict[str, object]]:
    """The build problems still open: Sphinx warns about a document only when it reads or writes
    it, so a problem located in a file this build did not read again stays (once) until it does."""
    kept = [
        record
        for record in previous
        if record["path"]
        and Path(str(record["path"])).with_suffix("").as_posix() not in read
        and (root / str(record["path"])).is_file()
        and record not in new
    ]
    return kept + new


def make_server(host: str, port: int, preview: Preview) -> ThreadingHTTPServer:
    """A threading HTTP server for ``preview``'s output, bound to ``host``:``port``."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    server_class = type("PreviewServer", (ThreadingHTTPServer,), {"address_family": family})
    handler = type("PreviewHandler", (PreviewHandler,), {"preview": preview})
    return server_class((host, port), partial(handler, directory=str(preview.outdir)))


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files from the build, never cached; HTML pages get a script that reloads them."""

    preview: Preview

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == VERSION_PATH:
            self.send_bytes(str(self.preview.version).encode(), "text/plain; charset=utf-8")
            return
        if path == STATUS_PATH:
            status = {"version": self.preview.version, "findings": self.preview.findings}
            self.send_bytes(json.dumps(status, ensure_ascii=False).encode(), "application/json; charset=utf-8")
            return
        if path == "/" and not (self.preview.outdir / "index.html").is_file():
            self.send_response(302)
            self.send_header("Location", f"/{CHAPTER_DIR}/index.html")
            self.end_headers()
            return
        file = Path(self.translate_path(path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            try:
                page = file.read_bytes()
            except OSError:
                self.send_error(404)
                return
            head, marker, tail = page.rpartition(b"</body>")
            self.send_bytes(
                head + RELOAD_SCRIPT + marker + tail if marker else page + RELOAD_SCRIPT, "text/html; charset=utf-8"
            )
            return
        super().do_GET()

    def send_bytes(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Keep the terminal for the checker and the build."""


def _handle_signals() -> Callable[[], None]:
    """Make the first SIGINT or SIGTERM raise :class:`Stop` (later ones are ignored while stopping);
    returns what restores the previous handlers."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise Stop

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore
