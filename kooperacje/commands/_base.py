"""The Typer group every (sub)app uses: Polish help, Polish errors, no tracebacks."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from kooperacje.errors import KooperacjeError
from kooperacje.output import error

_HELP_FLAGS = {"--help", "-h"}


def _polish_help() -> None:
    """Translate the fixed strings of Typer's rich help (they are module settings)."""
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumenty"
    rich_utils.OPTIONS_PANEL_TITLE = "Opcje"
    rich_utils.COMMANDS_PANEL_TITLE = "Polecenia"
    rich_utils.ERRORS_PANEL_TITLE = "Błąd"
    rich_utils.DEFAULT_STRING = "[domyślnie: {}]"
    rich_utils.ENVVAR_STRING = "[zmienna środowiskowa: {}]"
    rich_utils.REQUIRED_LONG_STRING = "[wymagane]"
    rich_utils.DEPRECATED_STRING = "(przestarzałe) "
    rich_utils.ABORTED_TEXT = "Przerwano."
    rich_utils.RICH_HELP = "Pomoc: [blue]'{command_path} {help_option}'[/]."


def _is_usage_error(exc: BaseException) -> bool:
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
        type_name = getattr(getattr(param, "type", None), "name", "")
        if type_name == "integer":
            return f"niepoprawna wartość {hint}: podaj liczbę całkowitą."
        if type_name == "float":
            return f"niepoprawna wartość {hint}: podaj liczbę."
        return f"niepoprawna wartość {hint}: {message}"
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        return f"nieznane polecenie „{name}”."
    if message.startswith("Missing command"):
        return "brak polecenia."
    if message.startswith("Got unexpected extra argument"):
        extra = message.split("(", 1)[-1].rstrip(")")
        return f"nadmiarowe argumenty: {extra}. Ujmij tekst ze spacjami w cudzysłów."
    return message


class PolishGroup(TyperGroup):
    """Runs the command tree and turns every failure into a Polish message and exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if not argv or _HELP_FLAGS.intersection(argv):
            _polish_help()
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        sys.exit(self._run(argv, prog_name, complete_var, **extra))

    def _run(
        self, argv: list[str], prog_name: str | None, complete_var: str | None, **extra: Any
    ) -> int:
        debug = os.environ.get("KOOPERACJE_DEBUG") == "1"
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except KooperacjeError as exc:
            if debug:
                raise
            error(exc.message)
            return exc.exit_code
        except (typer.Abort, EOFError):
            error("przerwano na życzenie użytkownika; nic więcej nie zapisano.")
            return 1
        except Exception as exc:
            if debug:
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":
                return 2
            if _is_usage_error(exc):
                ctx = getattr(exc, "ctx", None)
                path = getattr(ctx, "command_path", None) or prog_name or "kooperacje"
                error(f"{usage_message(exc)}\nPomoc: {path} --help")
                return 2
            error(_unexpected(exc))
            return 1
        return result if isinstance(result, int) else 0


def _unexpected(exc: Exception) -> str:
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return "baza jest zajęta przez inny proces. Spróbuj ponownie za chwilę."
    if isinstance(exc, sqlite3.Error):
        return f"operacja na bazie danych nie powiodła się ({exc}). Nic nie zapisano."
    if isinstance(exc, OSError):
        where = f' "{exc.filename}"' if exc.filename else ""
        return f"operacja na pliku{where} nie powiodła się: {exc.strerror or exc}."
    return (
        f"nieoczekiwany błąd ({type(exc).__name__}: {exc}). "
        "Uruchom ponownie z KOOPERACJE_DEBUG=1, aby zobaczyć szczegóły, i zgłoś problem."
    )


def new_app(help_text: str, *, name: str | None = None) -> typer.Typer:
    """A Typer (sub)app with the project's settings."""
    return typer.Typer(
        name=name,
        help=help_text,
        cls=PolishGroup,
        add_completion=False,
        no_args_is_help=True,
        options_metavar="[OPCJE]",
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["--help", "-h"]},
        pretty_exceptions_enable=False,
    )
