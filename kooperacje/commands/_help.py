"""Polish help pages, written through Typer's plain (non-rich) formatter.

Typer and Click write the fixed words of a help page in English ("Usage", "Options",
"[default: …]"); PolishCommand and PolishGroup (in _base.py) call these functions instead.
rich is not used for help: its formatting costs about a hundred milliseconds of start-up.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Sequence
from enum import Enum
from typing import Any

_HELP_TEXT = "Pokaż tę pomoc i zakończ."
_USAGE_PREFIX = "Użycie: "
# Click shows a value's type by the English name of its parameter type (`<str>`, `<int>`).
# Flags (`boolean`) are left alone: a flag takes no value, so the help shows no type.
_TYPE_NAMES = {
    "str": "tekst",
    "int": "liczba",
    "float": "liczba",
    "path": "ścieżka",
    "file": "plik",
    "directory": "katalog",
}


def polish_params(params: Sequence[Any]) -> None:
    """Give each parameter type a Polish name, shown in the help as `<tekst>`, `<liczba>`.

    The type objects are shared (Typer uses one STRING for every `str`), so each
    parameter gets its own shallow copy: conversion is unchanged, only the name differs.
    """
    for param in params:
        polish = _TYPE_NAMES.get(getattr(param.type, "name", ""))
        if polish is not None:
            param.type = copy.copy(param.type)
            param.type.name = polish


def polish_help_option(option: Any) -> Any:
    """The --help option, its help in Polish (Click gives it a fixed English text)."""
    if option is not None:
        option.help = _HELP_TEXT
    return option


def write_usage(command: Any, ctx: Any, formatter: Any) -> None:
    """The usage line, "Użycie: …" (Click's formatter writes "Usage: " unless told otherwise)."""
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_USAGE_PREFIX)


def _default_text(param: Any, ctx: Any) -> str:
    """The default value as the help shows it (as Typer does), or "" when none is shown."""
    shown = getattr(param, "show_default", None)
    if isinstance(shown, str):
        return f"({shown})"
    if not (shown or ctx.show_default):
        return ""
    # Resilient: a default that fails conversion must not break the help.
    resilient, ctx.resilient_parsing = ctx.resilient_parsing, True
    try:
        value = param.get_default(ctx, call=False)
    finally:
        ctx.resilient_parsing = resilient
    return _value_text(param, value)


def _value_text(param: Any, value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(text for text in (_value_text(param, v) for v in value) if text)
    if inspect.isfunction(value):
        return "(obliczana)"
    if getattr(param, "is_bool_flag", False):
        # A flag shows its default only when that default is "on" (--x/--no-x: the name).
        secondary = getattr(param, "secondary_opts", None)
        if secondary:
            return str((param.opts if value else secondary)[0]).lstrip("-/")
        return str(value) if value else ""
    if value is None:
        return ""
    return str(getattr(value, "value", value)) if isinstance(value, Enum) else str(value)


def _help_record(param: Any, ctx: Any) -> tuple[str, str] | None:
    """(names and value, help) of one parameter, its notes in Polish."""
    record = param.get_help_record(ctx)
    if record is None:  # hidden
        return None
    notes = []
    envvar = param.envvar if getattr(param, "show_envvar", False) else None
    if envvar:
        names = envvar if isinstance(envvar, str) else ", ".join(envvar)
        notes.append(f"[zmienna środowiskowa: {names}]")
    default = _default_text(param, ctx)
    if default:
        notes.append(f"[domyślnie: {default}]")
    if param.required:
        notes.append("[wymagane]")
    return record[0], "  ".join(text for text in (param.help or "", " ".join(notes)) if text)


def format_params(command: Any, ctx: Any, formatter: Any) -> None:
    """The "Argumenty" and "Opcje" sections."""
    arguments: list[tuple[str, str]] = []
    options: list[tuple[str, str]] = []
    for param in command.get_params(ctx):
        record = _help_record(param, ctx)
        if record is not None:
            is_argument = param.param_type_name == "argument"
            (arguments if is_argument else options).append(record)
    for title, records in (("Argumenty", arguments), ("Opcje", options)):
        if records:
            with formatter.section(title):
                formatter.write_dl(records)


def summary(command: Any) -> str:
    """A command's line in its group's help: the first paragraph of its help, in full."""
    return first_paragraph(command.short_help or command.help)


def first_paragraph(text: str | None) -> str:
    """The first paragraph of a help text, on one line."""
    text = inspect.cleandoc((text or "").partition("\f")[0])
    return " ".join(text.split("\n\n")[0].split())


def format_help(command: Any, ctx: Any, formatter: Any) -> None:
    """A whole help page: usage, description, parameters (and a group's commands)."""
    # Click's order; Typer's own format_help would also replace a missing ctx.obj.
    command.format_usage(ctx, formatter)
    _format_help_text(command, formatter)
    command.format_options(ctx, formatter)
    command.format_epilog(ctx, formatter)


def _format_help_text(command: Any, formatter: Any) -> None:
    text = inspect.cleandoc(command.help or "").partition("\f")[0]
    if command.deprecated:
        text = f"{text} (przestarzałe)".strip()
    if not text:
        return
    # An example is a command line to copy: Click leaves a paragraph marked \b unwrapped.
    paragraphs = [
        f"\b\n{paragraph}" if paragraph.startswith("Przykład") else paragraph
        for paragraph in text.split("\n\n")
    ]
    formatter.write_paragraph()
    with formatter.indentation():
        formatter.write_text("\n\n".join(paragraphs))
