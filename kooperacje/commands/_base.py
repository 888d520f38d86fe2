"""The Typer group every (sub)app uses: Polish help and errors, no tracebacks, lazy commands.

The help pages are written by _help.py. A command is built, and its module imported, only
when a run or a help page needs it (see PolishGroup.add_lazy and cli.py's registry).
"""

from __future__ import annotations

import copy
import functools
import importlib
import inspect
import os
import sqlite3
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from kooperacje import files
from kooperacje.commands._help import (
    first_paragraph,
    format_help,
    format_params,
    polish_help_option,
    polish_params,
    summary,
    write_usage,
)
from kooperacje.errors import KooperacjeError
from kooperacje.output import error
from kooperacje.store.db import sqlite_problem

F = TypeVar("F", bound=Callable[..., Any])

_SUBCOMMAND_METAVAR = "POLECENIE [ARGUMENTY]..."


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
        # By class, not by `type.name`: polish_params renames the types for the help.
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


class PolishCommand(TyperCommand):
    """A leaf command whose help is entirely Polish (see PolishTyper.command)."""

    def __init__(self, name: str | None, **attrs: Any) -> None:
        super().__init__(name, **attrs)
        polish_params(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        return polish_help_option(super().get_help_option(ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        write_usage(self, ctx, formatter)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        format_params(self, ctx, formatter)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        format_help(self, ctx, formatter)


class PolishGroup(TyperGroup):
    """Runs the command tree and turns every failure into a Polish message and exit code.

    Its commands may be lazy (see `add_lazy`): built, and their modules imported, only when
    a run or a help page needs them. Building every command of the tree costs more than
    the one command a run executes.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        polish_params(self.params)
        self.lazy: dict[str, tuple[str, Callable[[], Any]]] = {}

    def add_lazy(self, name: str, line: str, build: Callable[[], Any]) -> None:
        """Register a command by its one-line summary and the function that builds it."""
        self.lazy[name] = (line, build)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.lazy, *(name for name in self.commands if name not in self.lazy)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in self.lazy:
            command = self.commands[cmd_name] = self.lazy[cmd_name][1]()
        return command

    def get_help_option(self, ctx: Any) -> Any:
        return polish_help_option(super().get_help_option(ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        write_usage(self, ctx, formatter)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        format_params(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # A lazy command is listed by its summary: listing must not build or import it.
        rows = [(name, text) for name, (text, _) in self.lazy.items()]
        for name, command in self.commands.items():
            if name not in self.lazy and not command.hidden:
                rows.append((name, summary(command)))
        if rows:
            with formatter.section("Polecenia"):
                formatter.write_dl(rows)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        format_help(self, ctx, formatter)

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
        unreadable = _unreadable_argument(argv)
        if unreadable is not None:
            error(unreadable)
            return 2
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
                # A group called without a command: its help (the error's message), exit 2.
                sys.stdout.write(f"{exc}\n")
                return 2
            if _is_usage_error(exc):
                ctx = getattr(exc, "ctx", None)
                path = getattr(ctx, "command_path", None) or prog_name or "kooperacje"
                error(f"{usage_message(exc)}\nPomoc: {path} --help")
                return 2
            error(_unexpected(exc))
            return 1
        return result if isinstance(result, int) else 0


def _unreadable_argument(argv: Sequence[str]) -> str | None:
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


def _unexpected(exc: Exception) -> str:
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
    return (
        f"nieoczekiwany błąd ({type(exc).__name__}: {exc}). "
        "Uruchom ponownie z KOOPERACJE_DEBUG=1, aby zobaczyć szczegóły, i zgłoś problem."
    )


class LazyCommand:
    """A command of the root: where it lives and its one-line summary for the root's help.

    `attribute` names a sub-app (typer.Typer) or the function of a single command. Its
    module is imported only when the command runs or shows its own help.
    """

    __slots__ = ("attribute", "help", "module")

    def __init__(self, module: str, attribute: str, help: str) -> None:
        self.module, self.attribute, self.help = module, attribute, help

    def __repr__(self) -> str:
        return f"LazyCommand({self.module!r}, {self.attribute!r}, {self.help!r})"


def lazy_group(commands: Mapping[str, LazyCommand]) -> type[PolishGroup]:
    """A PolishGroup class whose commands are these (Typer instantiates the class itself)."""

    class RootGroup(PolishGroup):
        def __init__(self, **attrs: Any) -> None:
            super().__init__(**attrs)
            for name, spec in commands.items():
                self.add_lazy(name, spec.help, functools.partial(_load, name, spec))

    return RootGroup


def _load(name: str, spec: LazyCommand) -> Any:
    target = getattr(importlib.import_module(spec.module), spec.attribute)
    if isinstance(target, typer.Typer):
        command = _lazy_subgroup(target)
    else:
        # A single command, built as `app.command(name)` on the root would have built it.
        single = new_app(spec.help)
        single.command(name)(target)
        command = _leaf(single, single.registered_commands[0])
    command.name = name
    return command


def _lazy_subgroup(app: typer.Typer) -> Any:
    """The group of a sub-app, its commands lazy (a run builds only the one it executes)."""
    shell = copy.copy(app)  # the same settings, no commands: Typer builds only the group
    shell.registered_commands = []
    group: Any = typer.main.get_group(shell)
    for info in app.registered_commands:
        if info.hidden or info.callback is None:
            continue
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        text = first_paragraph(info.short_help or info.help or inspect.getdoc(info.callback))
        group.add_lazy(name, text, functools.partial(_leaf, app, info))
    return group


def _leaf(app: typer.Typer, info: Any) -> Any:
    # What typer.main.get_group does for each command of an app.
    return typer.main.get_command_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


class PolishTyper(typer.Typer):
    """typer.Typer whose commands default to PolishCommand (Typer offers no app-wide setting)."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[F], F]:
        return super().command(name, cls=cls or PolishCommand, **kwargs)


def new_app(
    help_text: str,
    *,
    name: str | None = None,
    commands: Mapping[str, LazyCommand] | None = None,
) -> typer.Typer:
    """A Typer (sub)app with the project's settings; `commands` are loaded on first use."""
    return PolishTyper(
        name=name,
        help=help_text,
        cls=lazy_group(commands) if commands else PolishGroup,
        add_completion=False,
        no_args_is_help=True,
        options_metavar="[OPCJE]",
        subcommand_metavar=_SUBCOMMAND_METAVAR,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["--help", "-h"]},
        pretty_exceptions_enable=False,
    )
