"""Habits of the command line: the global options after a command too, the version, the
database in use on the help page, and completing command names without building them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperOption

from kooperacje import __version__
from kooperacje.commands._common import State, described
from kooperacje.errors import InvalidInput, KooperacjeError
from kooperacje.output import info
from kooperacje.store.db import locate


class Listed:
    """What the shell's completion needs of a command (Click asks for `hidden` and the
    summary), without building it."""

    hidden = False

    def __init__(self, text: str) -> None:
        self.text = text

    def get_short_help_str(self, limit: int = 45) -> str:
        return self.text


def _use_database(ctx: Any, param: Any, value: str | None) -> None:
    """--baza given after a command: the same as before it."""
    if value is None or ctx.resilient_parsing:
        return
    if not value.strip():
        raise InvalidInput(
            "opcja --baza jest pusta. Podaj ścieżkę pliku bazy albo pomiń --baza, aby użyć "
            "bazy domyślnej."
        )
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    root.obj.baza = value


def show_version(ctx: Any, param: Any, value: bool) -> None:
    """--version: print "kooperacje 0.1.0" and stop."""
    if not value or ctx.resilient_parsing:
        return
    info(f"kooperacje {__version__}")
    raise typer.Exit()


def global_options() -> list[Any]:
    """The root's options, hidden, for every other command and group: users type them
    after the command too (`kooperacje instytucje lista --baza X`)."""
    return [
        TyperOption(
            param_decls=["--baza"],
            metavar="PLIK",
            hidden=True,
            expose_value=False,
            callback=_use_database,
            help="Plik bazy danych (jak przed poleceniem).",
        ),
        TyperOption(
            param_decls=["--version", "--wersja"],
            is_flag=True,
            is_eager=True,
            hidden=True,
            expose_value=False,
            callback=show_version,
            help="Pokaż wersję programu i zakończ.",
        ),
    ]


def _option_value(args: Sequence[str], name: str) -> str | None:
    """The last value given to an option in a command line (`--baza X`, `--baza=X`)."""
    value = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith(name + "="):
            value = arg.partition("=")[2]
    return value


def database_line(ctx: Any) -> str:
    """Which database the commands would use: the help says it (issue: an empty listing
    after the demo, because the commands used another, new and empty, file)."""
    typed = _option_value(ctx.meta.get("kooperacje.argv", []), "--baza")
    try:
        path, source = described(*locate(typed))
    except KooperacjeError as exc:
        return f"Baza danych: nie można ustalić ({exc.message})"
    return f"Baza danych: {path.absolute()} ({source})."
