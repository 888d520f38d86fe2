"""Polish messages for what goes wrong on a command line or underneath: Click's usage
errors, unreadable arguments and unexpected failures (no traceback reaches a user)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

from kooperacje import files
from kooperacje.errors import KooperacjeError
from kooperacje.store.db import sqlite_problem
from kooperacje.text import fold


def is_usage_error(exc: BaseException) -> bool:
    return any(cls.__name__ == "UsageError" for cls in type(exc).__mro__)


def _param_hint(exc: Any) -> str:
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if isinstance(hint, list | tuple):
        hint = " / ".join(hint)
    if not hint and param is not None:
        opts = getattr(param, "opts", None) or [getattr(param, "name", "?")]
        if getattr(param, "param_type_name", "") == "argument":
            hint = (getattr(param, "name", None) or opts[0]).upper()
        else:
            hint = " / ".join(opts)
    return str(hint or "")


def usage_message(exc: Any) -> str:
    """A Polish sentence for one of Typer's parsing errors."""
    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or "")
    hint = _param_hint(exc)
    if kind == "MissingParameter":
        param = getattr(exc, "param", None)
        if getattr(param, "param_type_name", "") == "argument":
            return f"brak wymaganego argumentu {hint}."
        return f"brak wymaganej opcji {hint}."
    if kind == "NoSuchOption":
        name = getattr(exc, "option_name", "")
        possible = getattr(exc, "possibilities", None) or []
        tip = f" Czy chodziło o: {', '.join(sorted(possible))}?" if possible else ""
        return f"nieznana opcja {name}.{tip}"
    if kind == "BadOptionUsage":
        name = getattr(exc, "option_name", "")
        return f"opcja {name} wymaga wartości."
    if kind == "BadParameter":
        param = getattr(exc, "param", None)
        choices = getattr(getattr(param, "type", None), "choices", None)
        if choices:
            allowed = ", ".join(str(getattr(c, "value", c)) for c in choices)
            return f"niepoprawna wartość {hint}. Dozwolone wartości: {allowed}."
        # By class, not by `type.name`: polish_params renames the types for the help.
        type_classes = {cls.__name__ for cls in type(getattr(param, "type", None)).__mro__}
        if "IntParamType" in type_classes:
            return f"niepoprawna wartość {hint}: podaj liczbę całkowitą."
        if "FloatParamType" in type_classes:
            return f"niepoprawna wartość {hint}: podaj liczbę."
        return f"niepoprawna wartość {hint}: {message}"
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        return f"nieznane polecenie „{name}”.{_command_suggestion(exc, name)}"
    if message.startswith("Missing command"):
        return "brak polecenia."
    if message.startswith("Got unexpected extra argument"):
        extra = message.split("(", 1)[-1].rstrip(")")
        return f"nadmiarowe argumenty: {extra}. Ujmij tekst ze spacjami w cudzysłów."
    return message


def _command_suggestion(exc: Any, name: str) -> str:
    """ " Czy chodziło o: instytucje?" for a mistyped command (as options get from Click)."""
    import difflib

    ctx = getattr(exc, "ctx", None)
    group = getattr(ctx, "command", None)
    if group is None or not hasattr(group, "list_commands"):
        return ""
    names = {fold(known): known for known in group.list_commands(ctx)}
    typed = fold(name)
    close = difflib.get_close_matches(typed, list(names), n=3, cutoff=0.6)
    starting = [key for key in names if len(typed) >= 2 and key.startswith(typed)]
    matches = [names[key] for key in dict.fromkeys([*close, *starting])]
    return f" Czy chodziło o: {', '.join(matches)}?" if matches else ""


class UsageMistake(KooperacjeError):
    """A command line that cannot be right (exit code 2, like Click's usage errors)."""

    exit_code = 2


def unreadable_argument(argv: Sequence[str]) -> str | None:
    """Why an argument cannot be used as text at all (a NUL byte, bytes that are not UTF-8)."""
    for arg in argv:
        if "\x00" in arg:
            return (
                "jeden z argumentów zawiera bajt NUL (\\x00), którego nie może zawierać żaden "
                "tekst ani ścieżka. Wpisz tę wartość ponownie."
            )
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return (
                "jeden z argumentów zawiera bajty, które nie są poprawnym tekstem UTF-8. "
                "Wpisz tę wartość ponownie (sprawdź kodowanie znaków terminala)."
            )
    return None


def unexpected(exc: Exception) -> str:
    if isinstance(exc, OverflowError):
        # SQLite integers have 64 bits: a longer number cannot name any record.
        return (
            "podana liczba jest za duża (największa to 9223372036854775807), więc nie wskazuje "
            "żadnego zapisu. Sprawdź numer, np. w poleceniu lista."
        )
    if isinstance(exc, ValueError) and str(exc).startswith("invalid literal for int()"):
        # "²".isdigit() is true, but int() refuses it: a number typed with other digits.
        return "numer zawiera znaki, które nie są cyframi 0–9 (np. ²). Wpisz numer cyframi 0–9."
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return "baza jest zajęta przez inny proces. Spróbuj ponownie za chwilę."
    if isinstance(exc, sqlite3.Error) and ("full" in str(exc) or "disk I/O" in str(exc)):
        return (
            "zapis na dysk nie powiódł się (brak miejsca, limit rozmiaru pliku albo błąd "
            "dysku). Nic nie zapisano. Zwolnij miejsce na dysku i spróbuj ponownie."
        )
    if isinstance(exc, sqlite3.Error) and "readonly" in str(exc):
        return (
            "baza jest tylko do odczytu. Nic nie zapisano. Sprawdź uprawnienia pliku bazy "
            "i jego katalogu."
        )
    if isinstance(exc, sqlite3.Error):
        return (
            f"operacja na bazie danych nie powiodła się ({sqlite_problem(exc)}). Nic nie zapisano."
        )
    if isinstance(exc, OSError):
        where = f' "{exc.filename}"' if exc.filename else ""
        what, advice = files.reason(exc)
        return f"operacja na pliku{where} nie powiodła się: {what}. {advice}"
    if isinstance(exc, AttributeError) and sys.stdout is None:
        # Started with standard output closed (`>&-`): the first print finds no stream.
        return (
            "standardowe wyjście jest zamknięte, więc wyniku nie ma gdzie wypisać. Uruchom "
            "polecenie bez zamykania wyjścia albo przekieruj je do pliku (> plik.txt)."
        )
    return (
        f"nieoczekiwany błąd ({type(exc).__name__}: {exc}). "
        "Uruchom ponownie z KOOPERACJE_DEBUG=1, aby zobaczyć szczegóły, i zgłoś problem."
    )
