"""How a report command hands over what it rendered: on the screen, or written atomically
to the file given with -o (private when the report names people), saying where; and the
value of its --format option, which the file's extension stands in for when not given.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from kooperacje.output import info
from kooperacje.reports import documents


def emit(output: documents.Rendered, wyjscie: Path | None, *, personal: bool = True) -> None:
    """The report on stdout, or written atomically to the file, saying where.

    personal: the report names staff (all but the summary), so its file is private.
    """

    if wyjscie is None:
        text = output if isinstance(output, str) else output.decode("utf-8", "replace")
        info(text.rstrip("\n"))
        return
    written = documents.write(output, wyjscie, personal=personal)
    info(f"Zapisano raport: {written}")


def format_value(fmt: Enum | None) -> str | None:
    """The value of a --format option, if one was given."""
    return str(fmt.value) if fmt is not None else None
