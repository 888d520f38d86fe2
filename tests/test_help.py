"""Every command's help is Polish, has an example, and opens no database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from kooperacje.cli import app
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


def _tree(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], bool]]:
    """(path, is_leaf) for every command, the root included."""
    commands = getattr(command, "commands", None)
    yield path, commands is None
    for name, sub in (commands or {}).items():
        yield from _tree(sub, (*path, name))


TREE = list(_tree(typer.main.get_command(app)))
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
