"""``curriculum serve``: a live preview of the site.

Builds the HTML site once with Sphinx (the command line of ``curriculum build``) into
``_build/serve/<edition>-<lang>``, serves it over HTTP, and polls the sources: on every
change it runs the checker, prints its findings and rebuilds incrementally. Open pages
reload themselves after each rebuild, and show the checker's open findings in a banner
(file:line, code, message and the rule's explanation) until they are fixed. SIGINT (Ctrl+C) and SIGTERM stop it with status 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

from .build import Target, sphinx_command
from .project import BUILD_DIR, CHAPTER_DIR, EDITIONS, EXERCISE_DIR, LOCALES_DIR, ProjectError, load_project

if TYPE_CHECKING:
    from .rules import Finding

POLL_SECONDS = 0.5
#: What the preview watches, relative to the root (the agenda lives in handbook/).
WATCHED = (f"{CHAPTER_DIR}/**/*", f"{EXERCISE_DIR}/**/*", f"{LOCALES_DIR}/**/*.po", f"{LOCALES_DIR}/**/*.yml")
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
    from .sphinxext.i18n import interface_warning

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
        preview.check()
        preview.build("built")
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
        restore()
    say("stopped")
    return 0


class Preview:
    """One language and edition of the site: its build, its checker run, its watch loop."""

    def __init__(self, root: Path, target: Target) -> None:
        self.root = root
        self.target = target
        serve = root / BUILD_DIR / "serve"
        self.outdir = serve / f"{target.edition}-{target.lang}"
        self.command = sphinx_command(root, target, self.outdir)
        doctrees = self.command.index("--doctrees") + 1  # its own environment, apart from `curriculum build`'s
        self.command[doctrees] = str(serve / ".doctrees" / f"{target.edition}-{target.lang}")
        self.version = 0
        #: The checker's last findings, each a JSON object (path, line, column, code, severity,
        #: message, explain): replaced whole after each run, read by the server's threads.
        self.findings: list[dict[str, object]] = []

    def check(self) -> None:
        """Run the checker over the whole curriculum, print its findings as text and keep them
        for the pages' banner."""
        from .check import count_files
        from .model import load_curriculum
        from .report import render
        from .rules import ConfigError, check_curriculum, load_config

        try:
            curriculum = load_curriculum(self.root)
            findings = check_curriculum(curriculum, load_config(self.root))
            sys.stdout.write(render(findings, count_files(curriculum, None), "text"))
            self.findings = [as_record(finding) for finding in findings]
        except ConfigError as error:
            say(f"curriculum check: error: {error}")
            self.findings = [problem("pyproject.toml", f"curriculum check: error: {error}")]
        except Exception as error:  # the preview goes on whatever the checker does
            say(f"curriculum check: internal error: {type(error).__name__}: {error}")
            self.findings = [problem("", f"curriculum check: internal error: {type(error).__name__}: {error}")]
        sys.stdout.flush()

    def build(self, verb: str = "rebuilt") -> bool:
        """Run Sphinx (incrementally after the first time); print its problems and the time taken."""
        started = time.perf_counter()
        self.outdir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning", "NO_COLOR": "1"}
        result = subprocess.run(self.command, cwd=self.root, env=env, capture_output=True, text=True)
        problems = [line for line in result.stderr.splitlines() if line.strip() and not CHECKER_WARNING.search(line)]
        for line in problems[-40:]:
            say(line)
        self.version += 1
        ok = result.returncode == 0 or not problems
        failure = "" if ok else f" (Sphinx exited with status {result.returncode})"
        say(f"{verb} in {time.perf_counter() - started:.1f} s{failure}")
        return ok

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
        """Poll the sources; on a change, check and rebuild. Returns only by exception."""
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
            self.check()
            self.build()


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
    }


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
