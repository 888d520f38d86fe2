"""docs/cli.md must be the current `--help` of every command."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_cli_md_is_current() -> None:
    generated = _generator().render()
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == generated, (
        "docs/cli.md is out of date: run `python scripts/gen_cli_docs.py` and commit the result"
    )


def test_docs_cover_every_command() -> None:
    import typer.main

    from kooperacje.cli import app

    generator = _generator()
    paths = list(generator.command_paths(typer.main.get_command(app)))
    assert () in paths and ("gminy", "szukaj") in paths
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path in paths:
        assert f"## `{' '.join(('kooperacje', *path))}`" in text
    assert "\x1b[" not in text  # no terminal colours


def test_no_command_takes_a_global_option_for_itself() -> None:
    # --baza and --version/--wersja are accepted after every command: a command's own
    # option of the same name would never be reached.
    import typer
    import typer.main

    from kooperacje.cli import app

    root = typer.main.get_command(app)
    generator = _generator()
    reserved = {"--baza", "--version", "--wersja"}
    checked = 0
    for path in generator.command_paths(root):
        command: Any = root
        ctx = typer.Context(root, info_name="kooperacje")
        for name in path:
            command = command.get_command(ctx, name)
            ctx = typer.Context(command, info_name=name, parent=ctx)
        for param in command.params:
            if getattr(param, "expose_value", True) and path:
                assert not reserved & set(param.opts), (path, param.opts)
                checked += 1
    assert checked > 100
