"""Options and helpers shared by the command modules."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kooperacje.errors import InvalidInput
from kooperacje.formats import Format
from kooperacje.output import notice
from kooperacje.store.db import Queryable, locate, open_db, open_reader, resolve_path

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass
class State:
    """What the root callback learned; the database is opened on first use only."""

    baza: str | None = None
    _db: Database | None = field(default=None, repr=False)


def get_db(ctx: typer.Context, *, create: bool = False) -> Database:
    """The database for this invocation, opened (and migrated) lazily.

    create=True only for commands that set up a database (`baza utworz`, the first
    `instytucje dodaj`…): a command that only reads never creates a file or a directory.
    A new database is announced on stderr, once, with its path.
    """

    root = ctx.find_root()
    state = root.obj if isinstance(root.obj, State) else State()
    root.obj = state
    if state._db is None:
        path, source = locate(state.baza)
        existed = os.path.lexists(path)
        state._db = open_db(path, create=create, source=source)
        root.call_on_close(state._db.close)
        if not existed:
            notice(f"Utworzono nową bazę danych: {path.absolute()}")
    return state._db


def get_reader(ctx: typer.Context) -> Queryable:
    """The database for a command that only reads: opened without sqlite-utils (a quicker
    start) when it is current, else as get_db opens it (which migrates it or says why not)."""

    root = ctx.find_root()
    state = root.obj if isinstance(root.obj, State) else State()
    root.obj = state
    if state._db is not None:
        return state._db
    path, _ = locate(state.baza)
    reader = open_reader(path)
    if reader is None:
        return get_db(ctx)
    root.call_on_close(reader.close)
    return reader


def db_path(ctx: typer.Context) -> Path:
    """The path of this invocation's database (--baza, $KOOPERACJE_BAZA or the default)."""

    root = ctx.find_root()
    state = root.obj if isinstance(root.obj, State) else State()
    return resolve_path(state.baza)


def database_location(ctx: typer.Context) -> tuple[Path, str]:
    """Which database this invocation uses and where that came from, in words for a
    user ("opcja --baza", "zmienna KOOPERACJE_BAZA"…). Nothing is opened or created."""

    root = ctx.find_root()
    state = root.obj if isinstance(root.obj, State) else State()
    return described(*locate(state.baza))


def described(path: Path, source: str) -> tuple[Path, str]:
    """store.db names the option by its name alone; a sentence reads better with a noun."""
    return path, "opcja --baza" if source == "--baza" else source


def empty_hint(ctx: typer.Context, text: str) -> str:
    """What an empty listing says: also which database it looked in (an empty listing is
    often the wrong database: a new empty file where the data was expected)."""

    where = database_location(ctx)[0].absolute()
    return f"{text}\nBaza danych: {where}. Inną bazę wskaż opcją --baza PLIK."


FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="Postać wyniku: tabela, csv albo json.")
]
OutputFileOpt = Annotated[
    Path | None,
    typer.Option("--wyjscie", "-o", help="Plik, do którego zapisać raport (domyślnie: ekran)."),
]
GminaOpt = Annotated[
    str, typer.Option("--gmina", "-g", help="Gmina: 7-cyfrowy kod TERYT albo jednoznaczna nazwa.")
]
OptGminaOpt = Annotated[
    str | None,
    typer.Option("--gmina", "-g", help="Gmina: 7-cyfrowy kod TERYT albo jednoznaczna nazwa."),
]
ZespolOpt = Annotated[
    str | None,
    typer.Option("--zespol", "-z", help="Zespół: numer, nazwa albo gmina zespołu."),
]
InstytucjaOpt = Annotated[
    str,
    typer.Option(
        "--instytucja", "-i", help="Instytucja: numer, nazwa, skrót, NIP, REGON albo UUID."
    ),
]
WGminieOpt = Annotated[
    str | None,
    typer.Option(
        "--gmina",
        "-g",
        help="Gmina siedziby instytucji (kod TERYT albo nazwa): rozstrzyga, o którą "
        "instytucję chodzi, gdy ten sam skrót mają instytucje różnych gmin.",
    ),
]
DateOpt = Annotated[str, typer.Option("--data", "-d", help="Data: RRRR-MM-DD albo DD.MM.RRRR.")]
OptDateOpt = Annotated[
    str | None, typer.Option("--data", "-d", help="Data: RRRR-MM-DD albo DD.MM.RRRR.")
]


WiekOpt = Annotated[
    int | None,
    typer.Option("--wiek", help="Tylko usługi dla osoby w tym wieku (lata)."),
]
BezplatneOpt = Annotated[bool, typer.Option("--bezplatne", help="Tylko usługi bezpłatne.")]
# Text, not a choice: the domain accepts any form of a status ("zawieszone").
StatusOpt = Annotated[
    str,
    typer.Option("--status", help="aktywna (domyślnie) albo zawieszona.", show_default=False),
]
SzukajOpt = Annotated[
    str | None,
    typer.Option(
        "--szukaj",
        "-s",
        help="Szukaj w nazwie, opisie, kryteriach i realizatorze (bez względu na wielkość "
        "liter i polskie znaki; początek słowa wystarczy); najlepsze trafienia najpierw.",
    ),
]


TakOpt = Annotated[
    bool, typer.Option("--tak", "-t", help="Usuń bez pytania o potwierdzenie (np. w skryptach).")
]


def stdin_is_terminal() -> bool:
    """Whether someone can answer a question (tests replace this)."""
    import sys

    return sys.stdin.isatty()


def confirm_deletion(question: str, *, tak: bool) -> None:
    """Ask before deleting; without a terminal to ask on, require --tak.

    Declining raises typer.Abort, which the app reports as an interruption (exit 1).
    """
    if tak:
        return
    if not stdin_is_terminal():
        raise InvalidInput(
            "usunięcie wymaga potwierdzenia, a nie ma kogo zapytać (wejście nie jest "
            "terminalem). Dodaj opcję --tak, aby usunąć bez pytania."
        )
    typer.confirm(f"{question} [y = tak / n = nie]", default=False, abort=True, show_default=False)
