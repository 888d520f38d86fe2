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

HEADER = """\
# Polecenia programu `kooperacje`

Pomoc (`--help`) każdego polecenia, zebrana w jednym miejscu. Ten plik jest generowany:
nie poprawiaj go ręcznie, tylko zmień opis polecenia w kodzie i uruchom
`python scripts/gen_cli_docs.py`.
"""


def command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command of the tree, depth first, in the order the help lists them."""
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        if not sub.hidden:
            yield from command_paths(sub, (*path, name))


def _help(app: Any, path: tuple[str, ...]) -> str:
    from typer.testing import CliRunner

    result = CliRunner().invoke(
        app, [*path, "--help"], prog_name="kooperacje", env={"COLUMNS": str(WIDTH)}
    )
    if result.exit_code != 0:
        raise SystemExit(f"kooperacje {' '.join(path)} --help: kod wyjścia {result.exit_code}")
    # rich pads every line to the full width and frames the help with empty lines.
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    return "\n".join(lines).strip("\n")


def render() -> str:
    """The whole of docs/cli.md, deterministic: fixed width, no colours."""
    import typer.main
    from typer import rich_utils

    from kooperacje.cli import app

    saved = (rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL, rich_utils.COLOR_SYSTEM)
    rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL, rich_utils.COLOR_SYSTEM = WIDTH, False, None
    try:
        sections = [HEADER]
        for path in command_paths(typer.main.get_command(app)):
            title = " ".join(("kooperacje", *path))
            sections.append(f"## `{title}`\n\n```text\n{_help(app, path)}\n```\n")
    finally:
        rich_utils.MAX_WIDTH, rich_utils.FORCE_TERMINAL, rich_utils.COLOR_SYSTEM = saved
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
