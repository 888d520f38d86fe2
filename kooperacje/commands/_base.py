"""The Typer group every (sub)app uses: Polish help, Polish errors, no tracebacks."""

from __future__ import annotations

import copy
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from kooperacje.errors import KooperacjeError
from kooperacje.output import error

F = TypeVar("F", bound=Callable[..., Any])

_HELP_TEXT = "Pokaż tę pomoc i zakończ."
_USAGE_PREFIX = "Użycie: "
_SUBCOMMAND_METAVAR = "POLECENIE [ARGUMENTY]..."
# Typer shows a value's type by the English name of its parameter type (`<str>`, `<int>`).
# Flags (`boolean`) are left alone: the help hides a type whose name contains "bool".
_TYPE_NAMES = {
    "str": "tekst",
    "int": "liczba",
    "float": "liczba",
    "path": "ścieżka",
    "file": "plik",
    "directory": "katalog",
}


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
        # By class, not by `type.name`: _polish_params renames the types for the help.
        type_classes = {cls.__name__ for cls in type(getattr(param, "type", None)).__mro__}
        if "IntParamType" in type_classes:
            return f"niepoprawna wartość {hint}: podaj liczbę całkowitą."
        if "FloatParamType" in type_classes:
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


def _polish_params(params: Sequence[Any]) -> None:
    """Give each parameter type a Polish name, shown in the help as `<tekst>`, `<liczba>`.

    The type objects are shared (Typer uses one STRING for every `str`), so each
    parameter gets its own shallow copy: conversion is unchanged, only the name differs.
    """
    for param in params:
        polish = _TYPE_NAMES.get(getattr(param.type, "name", ""))
        if polish is not None:
            param.type = copy.copy(param.type)
            param.type.name = polish


def _polish_help_option(option: Any) -> Any:
    # Click builds the --help option with a fixed English help text.
    if option is not None:
        option.help = _HELP_TEXT
    return option


def _write_usage(command: Any, ctx: Any, formatter: Any) -> None:
    # Click's formatter writes "Usage: " unless given another prefix.
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_USAGE_PREFIX)


class PolishCommand(TyperCommand):
    """A leaf command whose help is entirely Polish (see PolishTyper.command)."""

    def __init__(self, name: str | None, **attrs: Any) -> None:
        super().__init__(name, **attrs)
        _polish_params(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        return _polish_help_option(super().get_help_option(ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _write_usage(self, ctx, formatter)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _polish_help()
        super().format_help(ctx, formatter)


class PolishGroup(TyperGroup):
    """Runs the command tree and turns every failure into a Polish message and exit code."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        _polish_params(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        return _polish_help_option(super().get_help_option(ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _write_usage(self, ctx, formatter)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # Also reached without --help: a group called with no arguments shows its help.
        _polish_help()
        super().format_help(ctx, formatter)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
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


class PolishTyper(typer.Typer):
    """typer.Typer whose commands default to PolishCommand (Typer offers no app-wide setting)."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[F], F]:
        return super().command(name, cls=cls or PolishCommand, **kwargs)


def new_app(help_text: str, *, name: str | None = None) -> typer.Typer:
    """A Typer (sub)app with the project's settings."""
    return PolishTyper(
        name=name,
        help=help_text,
        cls=PolishGroup,
        add_completion=False,
        no_args_is_help=True,
        options_metavar="[OPCJE]",
        subcommand_metavar=_SUBCOMMAND_METAVAR,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["--help", "-h"]},
        pretty_exceptions_enable=False,
    )
