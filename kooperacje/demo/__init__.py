"""The demo: a database built from the shipped demo data, with every report written beside it.

The data (`data/demo.json`) holds the events of five news notes from 2019–2020 about
partnership teams in Radomsko, Piotrków Trybunalski, Zduńska Wola, Zawiercie, Nakło nad
Notecią and Kcynia. `data` loads it into a database, `pages` writes the reports; this module
builds the demo's directory safely (it never replaces files it did not write).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kooperacje import files
from kooperacje.demo.data import Loaded, load_data, populate
from kooperacje.demo.pages import print_documents, render_reports
from kooperacje.errors import Conflict, InvalidInput
from kooperacje.store.db import open_db
from kooperacje.teams.meetings import Meeting

__all__ = [
    "DB_NAME",
    "DEFAULT_DIR",
    "MANIFEST",
    "DemoResult",
    "Loaded",
    "build",
    "load_data",
    "populate",
]

DB_NAME = "demo.db"
# The list of the demo's files: a directory holding it holds an earlier demo.
MANIFEST = "kooperacje-demo.json"
DEFAULT_DIR = Path("kooperacje-demo")


@dataclass(frozen=True)
class DemoResult:
    """What `build` did: where the database and the reports are."""

    katalog: Path
    baza: Path
    przebudowano: bool  # an existing demo.db was replaced
    stan_na: dt.date
    zaladowano: Loaded
    pliki: tuple[Path, ...]  # every report written, index files included
    spis: Path  # index.html
    # The meeting whose documents are printed as PDF, and those files.
    spotkanie_dokumentow: Meeting | None = None
    dokumenty: tuple[Path, ...] = ()


def _manifest(target: Path) -> dict[str, Any] | None:
    """The manifest of an earlier demo in target (None when there is none)."""
    path = target / MANIFEST
    if not path.is_file():
        return None
    try:
        found = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        found = None
    if not isinstance(found, dict) or found.get("program") != "kooperacje demo":
        raise Conflict(
            f'plik "{path}" nie jest spisem plików demonstracji programu kooperacje; katalog '
            "nie zostanie zmieniony. Podaj w -o nowy albo pusty katalog."
        )
    return found


def _prepare_dir(directory: Path) -> tuple[Path, dict[str, Any] | None]:
    """The demo's directory and its earlier manifest: refuses a directory that holds
    anything but an earlier demo."""
    target = directory.expanduser()
    if target.exists() and not target.is_dir():
        raise InvalidInput(
            f'"{target}" jest plikiem, a nie katalogiem. Podaj w -o katalog na pliki demonstracji.'
        )
    if files.is_live_database(target / DB_NAME):
        raise Conflict(
            f"baza danych, z której korzysta program (--baza albo KOOPERACJE_BAZA), to "
            f'"{target / DB_NAME}"; demo jej nie zastąpi. Uruchom demo bez --baza i bez '
            "KOOPERACJE_BAZA albo podaj w -o inny katalog."
        )
    manifest = _manifest(target) if target.is_dir() else None
    if manifest is None and target.is_dir() and any(target.iterdir()):
        raise Conflict(
            f'katalog "{target}" nie jest pusty, a nie ma w nim danych demonstracyjnych '
            f"programu (brak spisu {MANIFEST}). Demo zapisuje tylko do nowego albo pustego "
            "katalogu albo do katalogu wcześniejszego demo, żeby nie zastąpić niczyich plików. "
            "Podaj w -o inny katalog (demo z wcześniejszej wersji programu usuń najpierw sam)."
        )
    if manifest is not None:
        _check_own_files(target, manifest)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise files.error(exc, target, "utworzyć katalogu") from None
    return target, manifest


def _is_demo_database(path: Path, identities: list[str]) -> bool:
    """Whether path is a database an earlier demo built (it holds that demo's first
    institution, by UUID): a database of the user's under the same name is not."""
    if not files.is_sqlite(path):
        return False
    try:
        # immutable: only read the file; never create -wal or -shm beside someone's database.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            marks = ",".join("?" * len(identities)) or "NULL"
            row = conn.execute(
                f"SELECT count(*) FROM instytucje WHERE uuid IN ({marks})", identities
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(row[0])


def _check_own_files(target: Path, manifest: dict[str, Any]) -> None:
    database = target / DB_NAME
    if os.path.lexists(database) and not _is_demo_database(
        database, list(manifest.get("baza", []))
    ):
        raise Conflict(
            f'plik "{database}" nie jest bazą zbudowaną przez demo, więc nie zostanie zastąpiony '
            "(może to być Twoja baza). Przenieś go albo podaj w -o inny katalog."
        )


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def _write_manifest(target: Path, identities: list[str], names: dict[str, str]) -> None:
    manifest = {"program": "kooperacje demo", "baza": identities, "pliki": names}
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    files.write_text(target / MANIFEST, text, personal=False)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(directory: Path = DEFAULT_DIR) -> DemoResult:
    """Build `demo.db` in directory from scratch and write every report beside it.

    Only a new or empty directory, or one holding an earlier demo (its manifest,
    `kooperacje-demo.json`, lists the demo's files), is written to; there the demo
    replaces its own files and leaves every other file alone. The manifest always lists
    every file the demo may have written (it is updated before and after them), so after
    an interrupted run the directory is still recognised. The database is built in a
    temporary file and moved over `demo.db` only when complete.
    """

    target_dir, earlier = _prepare_dir(directory)
    old_ids = list(earlier.get("baza", [])) if earlier else []
    old_files = dict(earlier.get("pliki", {})) if earlier else {}
    if earlier is None:
        _write_manifest(target_dir, [], {})  # from here on the directory is the demo's
    for leftover in target_dir.glob(".demo-*.db*"):
        _remove(leftover)  # of a run that was killed
    data = load_data()
    day = dt.date.fromisoformat(data["stan_na"])
    database = target_dir / DB_NAME
    existed = database.exists()
    temp = target_dir / f".demo-{uuid.uuid4().hex}.db"
    try:
        db = open_db(temp, create=True)
        try:
            loaded = populate(db, data)
            # A single self-contained file: no -wal beside it once it is moved into place.
            db.execute("PRAGMA journal_mode = DELETE")
            identity = str(db.execute("SELECT uuid FROM instytucje ORDER BY id").fetchone()[0])
            about = " ".join(t for t in (data["opis"], data.get("_zzk")) if t)
            printed = print_documents(db, loaded, day, data["dokumenty"])
            pages = render_reports(db, loaded, day, about, printed)
        finally:
            db.close()
        for name in [*pages, *printed.tresc]:
            if os.path.lexists(target_dir / name) and name not in old_files:
                raise Conflict(
                    f'w katalogu demo jest plik "{target_dir / name}", którego demo nie '
                    "zapisało; nie zostanie zastąpiony. Przenieś go albo podaj w -o inny katalog."
                )
        encoded = {name: text.encode("utf-8") for name, text in pages.items()} | printed.tresc
        digests = {name: _digest(data) for name, data in encoded.items()}
        # Old and new together while files are replaced: a crash leaves a known demo.
        _write_manifest(target_dir, [*old_ids, identity], {**old_files, **digests})
        written = []
        for name, content in encoded.items():
            # Public news notes, not a register: the reports need no private mode.
            written.append(files.write_bytes(target_dir / name, content, personal=False))
        for suffix in ("-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(f"{database}{suffix}").unlink()
        os.replace(temp, database)
        files.fsync_directory(target_dir)
        digests[DB_NAME] = _digest(database.read_bytes())
        _write_manifest(target_dir, [identity], digests)
    except OSError as exc:
        _remove(temp)
        raise files.error(exc, target_dir, "zapisać demonstracji w katalogu") from None
    except BaseException:
        _remove(temp)
        raise
    return DemoResult(
        katalog=target_dir,
        baza=database,
        przebudowano=existed,
        stan_na=day,
        zaladowano=loaded,
        pliki=tuple(written),
        spis=target_dir / "index.html",
        spotkanie_dokumentow=printed.spotkanie,
        dokumenty=tuple(target_dir / name for _, name in printed.pliki),
    )
