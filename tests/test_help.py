"""Every command's help is Polish, has an example, and opens no database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from kooperacje.cli import COMMANDS, app
from kooperacje.commands._help import summary
from tests.conftest import Result

Run = Callable[..., Result]

# Words of Typer's/Click's own English interface that must never reach a user.
ENGLISH = (
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Show this message",
    "[default",
    "required",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "<str>",
    "<int>",
    "<float>",
    "<path>",
    "<bool>",
    "<boolean>",
    "env var",
    "Try '",
)


def _tree(
    command: Any, ctx: typer.Context, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], bool]]:
    """(path, is_leaf) for every command, the root included.

    Through list_commands/get_command: the root loads its commands only when asked.
    """
    group = hasattr(command, "list_commands")
    yield path, not group
    for name in command.list_commands(ctx) if group else []:
        sub = command.get_command(ctx, name)
        yield from _tree(sub, typer.Context(sub, info_name=name, parent=ctx), (*path, name))


ROOT = typer.main.get_command(app)
TREE = list(_tree(ROOT, typer.Context(ROOT, info_name="kooperacje")))
GROUPS = [path for path, leaf in TREE if not leaf]


def _id(path: tuple[str, ...]) -> str:
    return " ".join(path) or "kooperacje"


def _assert_polish(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, f"{word!r} in:\n{text}"


# The command names the issue fixes as a contract (section 2).
CONTRACT = {
    "gminy szukaj",
    *(f"instytucje {c}" for c in ("dodaj", "lista", "pokaz", "edytuj", "usun")),
    *(f"osoby {c}" for c in ("dodaj", "lista", "usun")),
    *(f"zespoly {c}" for c in ("zaloz", "lista", "pokaz")),
    *(f"spotkania {c}" for c in ("dodaj", "obecnosc", "lista", "pokaz")),
    *(f"deklaracje {c}" for c in ("dodaj", "lista")),
    *(f"uslugi {c}" for c in ("dodaj", "lista", "pokaz", "edytuj", "usun")),
    "koszyk",
    *(f"raport {c}" for c in ("zespol", "spotkanie", "koszyk")),
    "demo",
}


def test_tree_has_the_commands_of_the_contract() -> None:
    leaves = {" ".join(path) for path, leaf in TREE if leaf}
    assert leaves >= CONTRACT, sorted(CONTRACT - leaves)


@pytest.mark.parametrize(("path", "leaf"), TREE, ids=[_id(p) for p, _ in TREE])
def test_help_is_polish(run: Run, db_path: Path, path: tuple[str, ...], leaf: bool) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.lstrip().startswith("Użycie: kooperacje")
    assert "Pokaż tę pomoc i zakończ." in result.stdout
    _assert_polish(result.stdout)
    if leaf:
        assert "Przykład: kooperacje " + " ".join(path) in result.stdout
    assert not db_path.exists()


@pytest.mark.parametrize("path", GROUPS, ids=_id)
def test_group_lists_its_commands_in_polish(run: Run, path: tuple[str, ...]) -> None:
    result = run(*path)  # a bare group shows its help
    assert result.exit_code == 2
    assert "Polecenia" in result.stdout
    assert "POLECENIE [ARGUMENTY]..." in result.stdout
    _assert_polish(result.stdout + result.stderr)


def _groups(command: Any, ctx: typer.Context) -> Iterator[tuple[Any, typer.Context]]:
    if hasattr(command, "list_commands"):
        yield command, ctx
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            yield from _groups(sub, typer.Context(sub, info_name=name, parent=ctx))


def test_listed_summaries_are_the_commands_own() -> None:
    # A group lists its lazy commands by a summary given beforehand (the root's in
    # kooperacje/cli.py): it must be the first paragraph of the command's own help.
    root = typer.main.get_command(app)
    checked = 0
    for group, ctx in _groups(root, typer.Context(root, info_name="kooperacje")):
        for name, (listed, _) in group.lazy.items():
            assert listed == summary(group.get_command(ctx, name)), name
            checked += 1
    assert checked >= len(CONTRACT) + len(COMMANDS)


def test_root_help_lists_every_command_in_order(run: Run) -> None:
    result = run("--help")
    listed = [
        line.split()[0]
        for line in result.stdout.split("Polecenia:")[1].splitlines()
        if line[2:3].strip()
    ]
    assert listed == list(COMMANDS)
