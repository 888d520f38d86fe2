"""`kooperacje koszyk` answered before the command tree loads.

Loading Typer and the command tree takes several times as long as the basket query itself.
A plain basket command line (the global --baza, then `koszyk` with its own options, each
given once or more in a form read here) is parsed by this module and answered with the same
domain and display functions the command uses, so the output is the same bytes.

Anything else falls back to the command tree, which then parses, answers or explains as
usual: help, --wersja, any unknown or malformed option, a value that looks like an option,
a database that is missing, foreign or needs migrating, and every error of the basket
itself (an unknown gmina, area or group). The fallback happens before anything is printed,
and the basket only reads, so trying first costs nothing but the query.

No Typer and no Click here (an import contract checks it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

COMMAND = "koszyk"
# The values of --format (output.Format; a test checks they agree): the parse imports
# nothing, so a line that is not read here costs the command tree nothing.
FORMATS = ("tabela", "csv", "json")
# Option spellings of `koszyk` that take a value, by the parameter they set.
_VALUES = {
    "--baza": "baza",
    "--gmina": "gmina",
    "-g": "gmina",
    "--obszar": "obszar",
    "-a": "obszar",
    "--dla": "dla",
    "--wiek": "wiek",
    "--status": "status",
    "--szukaj": "szukaj",
    "-s": "szukaj",
    "--format": "format",
    "-f": "format",
}
_FLAGS = {"--bezplatne": "bezplatne"}
_AGE_DIGITS = 3


class _Request:
    """The options of a basket command line, as typed."""

    def __init__(self) -> None:
        self.baza: str | None = None
        self.gmina: str | None = None
        self.obszar: str | None = None
        self.dla: str | None = None
        self.wiek: str | None = None
        self.status = "aktywna"
        self.szukaj: str | None = None
        self.format = FORMATS[0]
        self.bezplatne = False


def parse(argv: list[str]) -> _Request | None:
    """The basket request of a command line, or None when it is not one read here."""
    request = _Request()
    tokens = iter(argv)
    # Before the command: only the database.
    for token in tokens:
        if token == COMMAND:
            break
        if not _take(token, tokens, request, before_command=True):
            return None
    else:
        return None
    for token in tokens:
        if not _take(token, tokens, request, before_command=False):
            return None
    if request.gmina is None or request.format not in FORMATS:
        return None
    if request.wiek is not None and not (
        request.wiek.isascii() and request.wiek.isdigit() and len(request.wiek) <= _AGE_DIGITS
    ):
        return None
    return request


def _take(token: str, rest: Iterator[str], request: _Request, *, before_command: bool) -> bool:
    """Read one option (and its value) into request; False for anything not read here."""
    if not token.startswith("-") or token == "-":
        return False
    name, sep, attached = token.partition("=")
    if not name.startswith("--"):
        sep, attached = "", ""  # "-g=X" is not an equals form for a short option
        name = token
    if before_command and name != "--baza":
        return False
    if name in _FLAGS and not sep:
        setattr(request, _FLAGS[name], True)
        return True
    if name not in _VALUES:
        return False
    following = attached if sep else next(rest, None)
    if following is None:
        return False
    value = following
    if value.startswith("-"):
        return False  # a missing value followed by an option: the command tree explains
    setattr(request, _VALUES[name], value)
    return True


def _readable(argv: list[str]) -> bool:
    """False when an argument holds bytes the system could not decode (the tree says so)."""
    try:
        for token in argv:
            token.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _path(option: str | None) -> str | None:
    """The database file: --baza, $KOOPERACJE_BAZA, the config file or the default place,
    as the command tree finds it; None when it cannot be found (the tree explains)."""
    from kooperacje.store.reader import given

    found = given(option)
    if found is not None:
        # Given by path: found without the config file (and its imports).
        text = found[0]
        return os.path.expanduser(text) if text.strip() else None
    from kooperacje.errors import KooperacjeError
    from kooperacje.store.db import locate

    try:
        return str(locate(None)[0])
    except (KooperacjeError, OSError):
        return None


def answer(argv: list[str]) -> bool:
    """Print the basket this command line asks for and return True; False (nothing
    printed) when the command tree must answer instead."""
    if not _readable(argv):
        return False
    request = parse(argv)
    if request is None or request.gmina is None:
        return False
    import sqlite3

    from kooperacje.basket.query import request as basket_request
    from kooperacje.basket.query import request_rows
    from kooperacje.commands.koszyk_view import show_basket
    from kooperacje.errors import KooperacjeError
    from kooperacje.store.reader import open_reader

    path = _path(request.baza)
    if path is None:
        return False
    reader = open_reader(path)
    if reader is None:
        return False
    try:
        asked = basket_request(
            reader,
            request.gmina,
            request.obszar,
            request.dla,
            wiek=None if request.wiek is None else int(request.wiek),
            bezplatne=request.bezplatne,
            status=request.status,
            szukaj=request.szukaj,
        )
        found = request_rows(reader, asked)
    except (KooperacjeError, sqlite3.Error, OSError, ValueError):
        return False  # the command tree says what is wrong, as it always does
    finally:
        reader.close()
    if sys.stdout is None:
        return False  # no standard output at all (closed): the tree says so
    try:
        show_basket(asked, found, request.format)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly with status 1, as the tree does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        # Output to a full disk or a broken device: the tree's message, status 1.
        from kooperacje.commands._messages import unexpected
        from kooperacje.output import error

        error(unexpected(exc))
        sys.exit(1)
    return True
