"""Write docs/cli.md from the `--help` of every command of `kooperacje`.

Usage (from the repository root):
    python scripts/gen_cli_docs.py           # rewrite docs/cli.md
    python scripts/gen_cli_docs.py --check   # exit 1 if docs/cli.md is out of date

tests/test_cli_docs.py runs the same check, so CI fails when a command's help changes
and the file was not regenerated.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "cli.md"
WIDTH = 100
# The root's help says which database the commands use: the same example path for everyone.
EXAMPLE_DATABASE = "/home/koordynator/pzk.db"

HEADER = """\
# Polecenia programu `kooperacje`

Pomoc (`--help`) każdego polecenia, zebrana w jednym miejscu. Ten plik jest generowany:
nie poprawiaj go ręcznie, tylko zmień opis polecenia w kodzie i uruchom
`python scripts/gen_cli_docs.py`.
"""


def command_paths(
    command: Any, ctx: Any = None, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every command of the tree, depth first, in the order the help lists them.

    Through list_commands/get_command: the root loads its commands only when asked.
    """
    import typer

    ctx = ctx or typer.Context(command, info_name="kooperacje")
    yield path
    for name in command.list_commands(ctx) if hasattr(command, "list_commands") else []:
        sub = command.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            sub_ctx = typer.Context(sub, info_name=name, parent=ctx)
            yield from command_paths(sub, sub_ctx, (*path, name))


def _help(app: Any, path: tuple[str, ...]) -> str:
    from typer.testing import CliRunner

    # A fixed width, whatever the terminal: the file must not depend on who generated it.
    result = CliRunner().invoke(
        app,
        [*path, "--help"],
        prog_name="kooperacje",
        terminal_width=WIDTH,
        env={"KOOPERACJE_BAZA": EXAMPLE_DATABASE},
    )
    if result.exit_code != 0:
        raise SystemExit(f"kooperacje {' '.join(path)} --help: kod wyjścia {result.exit_code}")
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    return "\n".join(lines).strip("\n")


def render() -> str:
    """The whole of docs/cli.md, deterministic: fixed width, no colours."""
    import typer.main

    from kooperacje.cli import app

    sections = [HEADER]
    for path in command_paths(typer.main.get_command(app)):
        title = " ".join(("kooperacje", *path))
        sections.append(f"## `{title}`\n\n```text\n{_help(app, path)}\n```\n")
    return "\n".join(sections)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if DOCS.read_text(encoding="utf-8") != text:
            print(f"{DOCS} jest nieaktualny: uruchom python scripts/gen_cli_docs.py")
            return 1
        return 0
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text, encoding="utf-8")
    print(f"Zapisano {DOCS.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
