"""Check, on any system, that every module of the package loads on Windows.

Byte-compiles every file of the package, then imports every module with `sys.platform`
set to "win32" and the POSIX-only standard modules (fcntl, termios, pwd, grp, resource…)
made unavailable, as they are on Windows; then builds every command and its help. A module
that imports a POSIX-only module at its top, or chooses a POSIX-only path when it loads,
fails here. The third-party libraries are loaded first, for the system this runs on: what
is checked is the project's own code.

Run from the repository root: python scripts/check_windows.py
"""

from __future__ import annotations

import compileall
import importlib
import io
import pkgutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "syslog", "crypt")
_SEEN: list[int] = []
THIRD_PARTY = (
    "typer",
    "rich",
    "jinja2",
    "markupsafe",
    "sqlite_utils",
    "babel",
    "babel.dates",
    "openpyxl",
    "pygal",
    "icalendar",
    "filelock",
    "platformdirs",
    "phonenumbers",
    "stdnum",
    "email_validator",
)


def main() -> int:
    root = Path(__file__).resolve().parents[1]
    package = root / "kooperacje"
    if not compileall.compile_dir(package, quiet=1, force=True):
        print("Błąd: nie wszystkie pliki pakietu dają się skompilować.", file=sys.stderr)
        return 1
    sys.path.insert(0, str(root))
    for name in THIRD_PARTY:
        importlib.import_module(name)
    saved = {name: sys.modules.get(name) for name in POSIX_ONLY}
    real_platform = sys.platform
    failures: list[str] = []
    try:
        for name in POSIX_ONLY:
            sys.modules[name] = None  # type: ignore[assignment]  # what Windows lacks
        sys.platform = "win32"
        kooperacje = importlib.import_module("kooperacje")
        names = ["kooperacje"] + [
            info.name
            for info in pkgutil.walk_packages(kooperacje.__path__, "kooperacje.")
            if not info.name.endswith("__main__")
        ]
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as exc:
                failures.append(f"{name}: {type(exc).__name__}: {exc}")
        try:
            failures += _every_help()
        except Exception as exc:
            failures.append(f"pomoc poleceń: {type(exc).__name__}: {exc}")
    finally:
        sys.platform = real_platform
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    for failure in failures:
        print(f"Błąd: {failure}", file=sys.stderr)
    if not failures:
        print(
            f"Windows: wszystkie moduły ({len(names)}) i pomoc każdego polecenia "
            f"({sum(_SEEN)}) działają."
        )
    return 1 if failures else 0


def _every_help() -> list[str]:
    """Build every command (and so import its module) by asking for its help."""
    from kooperacje.cli import app

    failures = []
    paths: list[list[str]] = [[]]
    seen = 0
    while paths:
        path = paths.pop()
        out = io.StringIO()
        try:
            with redirect_stdout(out), redirect_stderr(io.StringIO()):
                app([*path, "--help"], prog_name="kooperacje")
        except SystemExit as exit_:
            if exit_.code not in (0, None):
                failures.append(f"kooperacje {' '.join(path)} --help: kod wyjścia {exit_.code}")
                continue
        seen += 1
        text = out.getvalue()
        if "Polecenia:" in text:
            listed = text.split("Polecenia:", 1)[1].splitlines()
            for line in listed:
                words = line.split()
                if line.startswith("  ") and words and not line.startswith("    "):
                    paths.append([*path, words[0]])
    _SEEN.append(seen)
    if seen < 10:
        failures.append(f"pomoc: obejrzano tylko {seen} poleceń")
    return failures


if __name__ == "__main__":
    sys.exit(main())
