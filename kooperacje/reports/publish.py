"""Publishing the public copy with Datasette (`kooperacje publikuj`): the copy and its
metadata written into a directory, and the command that serves them.

Datasette is an optional extra (`pip install 'kooperacje[publikacja]'`); it runs as a
separate process (`python -m datasette`) with this interpreter, on 127.0.0.1 unless told
otherwise, and nothing is fetched from the network.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kooperacje import files
from kooperacje.errors import KooperacjeError
from kooperacje.reports import datasette_meta, public_copy
from kooperacje.reports.public_copy import PublicCopy

if TYPE_CHECKING:
    from sqlite_utils import Database

DATABASE = "kooperacje-publiczna.db"
METADATA = "metadata.json"
INSTALL = "pip install 'kooperacje[publikacja]'"


@dataclass(frozen=True)
class Site:
    """The files Datasette serves."""

    kopia: PublicCopy
    metadane: Path


def require_datasette() -> None:
    """Refuse, in Polish, when the optional Datasette is not installed."""
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise KooperacjeError(
            f"Datasette nie jest zainstalowany. Zainstaluj dodatek do publikacji: {INSTALL} "
            "(albo pip install 'datasette>=0.65.5,<0.66'). Kopię publiczną bez Datasette "
            "zapisze polecenie kooperacje baza publiczna PLIK."
        ) from None


def _columns(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            str(r[0])
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
        ]
        return {
            t: [str(r[1]) for r in conn.execute(f'PRAGMA table_info("{t}")').fetchall()]
            for t in tables
        }
    finally:
        conn.close()


def prepare(db: Database, directory: Path) -> Site:
    """Write the public copy and its Datasette metadata into directory."""
    copy = public_copy.write(db, directory / DATABASE)
    meta = datasette_meta.metadata(Path(DATABASE).stem, _columns(copy.plik))
    written = files.write_text(
        directory / METADATA,
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
        personal=False,
    )
    return Site(copy, written)


def command(site: Site, host: str, port: int) -> list[str]:
    """The command line that serves the site (read-only: the copy is opened immutable)."""
    return [
        sys.executable, "-m", "datasette", "serve", "--immutable", str(site.kopia.plik),
        "--host", host, "--port", str(port), "--metadata", str(site.metadane),
    ]  # fmt: skip
