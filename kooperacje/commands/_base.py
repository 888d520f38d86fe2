"""The Typer group every (sub)app uses: Polish help and errors, no tracebacks, lazy commands.

The help pages are written by _help.py. A command is built, and its module imported, only
when a run or a help page needs it (see PolishGroup.add_lazy and cli.py's registry).

Habits of the command line are kept here too (their parts in _habits.py, _extra_words.py
and _messages.py): the global options work after a command as well (`kooperacje instytucje
lista --baza X`), a command name may be typed with Polish letters (`spotkania prowadź`), a
mistyped one gets a suggestion, and a name typed without quotes gets a corrected command
line to copy.
"""

from __future__ import annotations

import copy
import functools
import importlib
import inspect
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from kooperacje.commands._extra_words import extra_words_message, leftover
from kooperacje.commands._habits import Listed, database_line, global_options
from kooperacje.commands._help import (
    first_paragraph,
    format_help,
    format_params,
    polish_help_option,
    polish_params,
    summary,
    write_usage,
)
from kooperacje.commands._messages import (
    UsageMistake,
    is_usage_error,
    unexpected,
    unreadable_argument,
    usage_message,
)
from kooperacje.errors import KooperacjeError
from kooperacje.output import error
from kooperacje.text import fold

F = TypeVar("F", bound=Callable[..., Any])

_SUBCOMMAND_METAVAR = "POLECENIE [ARGUMENTY]..."


class PolishCommand(TyperCommand):
    """A leaf command whose help is entirely Polish (see PolishTyper.command)."""

    def __init__(self, name: str | None, **attrs: Any) -> None:
        super().__init__(name, **attrs)
        self.params.extend(global_options())
        polish_params(self.params)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Words left over are reported first, with the command line corrected: they are
        # the likely cause of any other complaint (a required option seemingly missing),
        # and Click's own message ("Got unexpected extra arguments (…)") names no remedy.
        if args and not ctx.allow_extra_args and not ctx.resilient_parsing:
            rest = leftover(self, ctx, args)
            if rest:
                raise UsageMistake(
                    f"{extra_words_message(self, ctx.command_path, args, rest)}\n"
                    f"Pomoc: {ctx.command_path} --help"
                )
        result: list[str] = super().parse_args(ctx, args)
        return result

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

    is_root = False  # the root declares the global options itself, visibly
    _listing_only = False  # completing a command name: its summary is enough

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        if not self.is_root:
            self.params.extend(global_options())
        polish_params(self.params)
        self.lazy: dict[str, tuple[str, Callable[[], Any]]] = {}

    def add_lazy(self, name: str, line: str, build: Callable[[], Any]) -> None:
        """Register a command by its one-line summary and the function that builds it."""
        self.lazy[name] = (line, build)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.lazy, *(name for name in self.commands if name not in self.lazy)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd_name = self.canonical_name(ctx, cmd_name)
        if self._listing_only and cmd_name not in self.commands and cmd_name in self.lazy:
            return Listed(self.lazy[cmd_name][0])
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in self.lazy:
            command = self.commands[cmd_name] = self.lazy[cmd_name][1]()
        return command

    def canonical_name(self, ctx: Any, typed: str) -> str:
        """The command a name stands for: names have no Polish letters, and `prowadź`,
        `zespoły` or `obecność` (hidden aliases) mean `prowadz`, `zespoly`, `obecnosc`."""
        if typed in self.lazy or typed in self.commands:
            return typed
        folded = fold(typed)
        for name in self.list_commands(ctx):
            if fold(name) == folded:
                return name
        return typed

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args:
            args = [self.canonical_name(ctx, args[0]), *args[1:]]
        return super().resolve_command(ctx, args)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Commands and options for the shell's Tab. Names are listed from the lazy
        registry (completing a name imports no command module); `usł` completes to
        `uslugi` as the name would be matched."""
        if incomplete.startswith("-"):
            return list(super().shell_complete(ctx, incomplete))
        self._listing_only = True
        try:
            return list(super().shell_complete(ctx, fold(incomplete)))
        finally:
            self._listing_only = False

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        variable = complete_var or f"_{prog_name}_COMPLETE".replace("-", "_").upper()
        if os.environ.get(variable):
            # Typer's completion for bash, zsh, fish and PowerShell (the scripts printed by
            # `kooperacje uzupelnianie`); registered only when a shell asks.
            from typer.completion import get_completion_inspect_parameters

            get_completion_inspect_parameters()  # registers Typer's shells (PowerShell too)
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

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
        unreadable = unreadable_argument(argv)
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
            if is_usage_error(exc):
                ctx = getattr(exc, "ctx", None)
                path = getattr(ctx, "command_path", None) or prog_name or "kooperacje"
                error(f"{usage_message(exc)}\nPomoc: {path} --help")
                return 2
            error(unexpected(exc))
            return 1
        return result if isinstance(result, int) else 0


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
        is_root = True

        def __init__(self, **attrs: Any) -> None:
            super().__init__(**attrs)
            for name, spec in commands.items():
                self.add_lazy(name, spec.help, functools.partial(_load, name, spec))

        def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
            # Kept for the help page: --help is answered before --baza is read.
            ctx.meta["kooperacje.argv"] = list(args)
            result: list[str] = super().parse_args(ctx, args)
            return result

        def format_options(self, ctx: Any, formatter: Any) -> None:
            # Under the description: which database the commands use, and why that one.
            formatter.write_paragraph()
            with formatter.indentation():
                # \b: not re-wrapped, so the path stays whole (Click breaks at hyphens).
                formatter.write_text(f"\b\n{database_line(ctx)}")
            super().format_options(ctx, formatter)

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
    for registered in app.registered_commands:
        if registered.hidden or registered.callback is None:
            continue
        callback = registered.callback
        name = registered.name or typer.main.get_command_name(callback.__name__)
        text = first_paragraph(registered.short_help or registered.help or inspect.getdoc(callback))
        group.add_lazy(name, text, functools.partial(_leaf, app, registered))
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
