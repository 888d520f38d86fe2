"""Files the program writes for the user: private (owner-only), with Polish errors."""

from __future__ import annotations

import os
from pathlib import Path

from kooperacje.errors import InvalidInput


def write_private(path: Path, data: bytes) -> None:
    """Write data to path, readable by the owner only (it may hold personal data)."""
    try:
        if path.parent != Path(""):
            path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        finally:
            os.close(fd)
    except OSError as exc:
        raise InvalidInput(
            f'nie można zapisać pliku "{path}": {exc.strerror}. Wybierz inną ścieżkę '
            "albo zwolnij miejsce na dysku."
        ) from None
