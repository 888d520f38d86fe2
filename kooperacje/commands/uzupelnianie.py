"""`kooperacje uzupelnianie`: the script that lets a shell complete commands with Tab."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer


class Shell(str, Enum):
    """Shells Typer's completion serves."""

    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"
    pwsh = "pwsh"


def uzupelnianie(
    ctx: typer.Context,
    powloka: Annotated[
        Shell, typer.Argument(help="Powłoka: bash, zsh, fish, powershell albo pwsh.")
    ],
) -> None:
    """Wypisz skrypt podpowiadania poleceń klawiszem Tab dla powłoki.

    Skrypt zapisz w pliku, który powłoka wczytuje przy starcie (zob. README:
    „Podpowiadanie klawiszem Tab”).

    Przykład: kooperacje uzupelnianie bash > ~/.local/share/bash-completion/completions/kooperacje
    """

    from typer.completion import get_completion_inspect_parameters, shell_complete

    get_completion_inspect_parameters()  # registers Typer's shells (PowerShell too)
    # The script calls `kooperacje` with _KOOPERACJE_COMPLETE set; the command tree answers.
    shell_complete(
        ctx.find_root().command, {}, "kooperacje", "_KOOPERACJE_COMPLETE", f"source_{powloka.value}"
    )
