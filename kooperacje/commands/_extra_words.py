"""The message for words left over on a command line: usually a name typed without quotes.

`kooperacje instytucje dodaj Powiatowy Urząd Pracy w Radomsku --gmina 1012011` gives the
command "Powiatowy" as the name and four words it has no place for. The message names them
and shows the command line with the name re-joined and quoted, ready to copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Characters a shell treats specially: a value holding one is shown in quotes.
_SPECIAL = set(" \t\n'\"$`&|;<>()*?!#~\\")


def quote(text: str) -> str:
    """A value as typed on a command line: quoted when it has spaces or shell characters.
    Double quotes work the same in bash, zsh, PowerShell and cmd.exe."""
    if text and not _SPECIAL & set(text):
        return text
    if '"' in text:
        return "'" + text.replace("'", "'\\''") + "'"
    return f'"{text}"'


def _leftover_run(args: Sequence[str], rest: Sequence[str]) -> tuple[int, int]:
    """Where the leftover words start in the command line and how many follow in a row
    (the longest such run, the last of equals: the same word may also appear earlier)."""
    best = (len(args), 0)
    for start in range(len(args)):
        length = 0
        while (
            start + length < len(args)
            and length < len(rest)
            and args[start + length] == rest[length]
        ):
            length += 1
        if length and length >= best[1]:  # the last longest run: leftovers come late
            best = (start, length)
    return best


def _takes_text(command: Any, args: Sequence[str], index: int) -> bool:
    """Whether args[index] is the value of a text argument or option (not a number or a
    flag): only then is re-joining the words with it a sensible correction."""
    word = args[index]
    if word.startswith("-"):
        return word.startswith("--") and "=" in word and _is_text(_option(command, word))
    previous = args[index - 1] if index > 0 else ""
    if previous.startswith("-") and "=" not in previous:
        option = _option(command, previous)
        if option is not None:
            return not getattr(option, "is_flag", False) and _is_text(option)
    # The value of a positional argument.
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    return any(_is_text(p) for p in arguments) and not word.lstrip("-").isdigit()


def _option(command: Any, word: str) -> Any:
    name = word.partition("=")[0]
    return next((p for p in command.params if name in getattr(p, "opts", ())), None)


def _is_text(param: Any) -> bool:
    if param is None:
        return False
    kinds = {cls.__name__ for cls in type(param.type).__mro__}
    return "StringParamType" in kinds


def extra_words_message(
    command: Any, command_path: str, args: Sequence[str], rest: Sequence[str]
) -> str:
    """Polish: which words are left over and, for a text split into words, the command
    line with the text quoted."""
    words = " ".join(rest)
    start, length = _leftover_run(args, rest)
    before = start - 1
    if length == 0 or before < 0 or not _takes_text(command, args, before):
        return (
            f"za dużo argumentów: „{words}”. Jeśli to dalszy ciąg nazwy albo innego "
            "tekstu ze spacjami, ujmij cały tekst w cudzysłów."
        )
    first = args[before]
    prefix = ""
    if first.startswith("--") and "=" in first:
        prefix, _, first = first.partition("=")
        prefix += "="
    joined = " ".join([first, *args[start : start + length]])
    line = [*map(quote, args[:before]), prefix + quote(joined)]
    line += map(quote, args[start + length :])
    return (
        f"za dużo argumentów: „{words}”. Tekst ze spacjami (np. nazwę) ujmij "
        f"w cudzysłów, inaczej każde słowo jest osobnym argumentem. Popraw polecenie tak:\n"
        f"  {command_path} {' '.join(line)}"
    )


_ANSWERED_FIRST = {"--help", "-h", "--version", "--wersja"}


def leftover(command: Any, ctx: Any, args: list[str]) -> list[str]:
    """The words no argument or option takes (nothing when --help is asked for, or when
    the line has another fault, which the real parsing reports)."""
    if _ANSWERED_FIRST & set(args[: args.index("--")] if "--" in args else args):
        return []
    try:
        _, rest, _ = command.make_parser(ctx).parse_args(args=list(args))
    except Exception:
        return []
    return list(rest)
