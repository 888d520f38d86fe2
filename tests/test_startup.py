"""What a command imports: `--help` and a listing must start quickly (issue 2, section 6).

Deterministic checks of the module set, not timings (bench/startup.py measures those).
Each run is a fresh interpreter: the test process has long imported everything.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# Imported by the commands that need them, never by the help or a listing.
HEAVY = (
    "rich",
    "jinja2",
    "markupsafe",
    "babel",
    "phonenumbers",
    "stdnum",
    "email_validator",
    "markdown_it",
    "platformdirs",
    "typst",
)
# sqlite-utils plugins are not loaded: looking for them scans every installed package.
NOT_FOR_A_LISTING = (*HEAVY, "importlib.metadata")

PROBE = """
import json, sys
before = set(sys.modules)
from kooperacje.cli import main
sys.argv = ["kooperacje", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(set(sys.modules) - before)}))
"""


def _imports(db_path: Path, *args: str) -> tuple[int, set[str]]:
    env = {"KOOPERACJE_BAZA": str(db_path), "PATH": "/usr/bin:/bin", "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=True
    )
    result = json.loads(done.stdout.splitlines()[-1])
    return result["code"], set(result["modules"])


def _under(modules: set[str], packages: tuple[str, ...]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in packages or m in packages}


def _commands(modules: set[str]) -> set[str]:
    """The commands whose modules were imported (kooperacje.commands.<noun>, with its
    sub-app modules <noun>_<sub>; not the shared _base, _common …)."""
    prefix = "kooperacje.commands."
    return {
        prefix + m[len(prefix) :].split("_")[0]
        for m in modules
        if m.startswith(prefix) and not m[len(prefix) :].startswith("_")
    }


def test_root_help_imports_no_command(db_path: Path) -> None:
    code, modules = _imports(db_path, "--help")
    assert code == 0
    assert _commands(modules) == set()
    assert not _under(modules, (*HEAVY, "sqlite_utils"))
    assert not db_path.exists()


@pytest.mark.parametrize("command", ["koszyk", "demo", "instytucje", "raport"])
def test_help_of_a_command_imports_only_that_command(db_path: Path, command: str) -> None:
    code, modules = _imports(db_path, command, "--help")
    assert code == 0
    assert _commands(modules) == {f"kooperacje.commands.{command}"}
    assert not _under(modules, (*HEAVY, "sqlite_utils"))


def test_listing_imports_no_heavy_module(db_path: Path) -> None:
    _imports(db_path, "baza", "utworz")  # create and migrate the database first
    code, modules = _imports(db_path, "instytucje", "lista")
    assert code == 0
    assert "sqlite_utils" in modules and "kooperacje.register.institutions" in modules
    assert not _under(modules, NOT_FOR_A_LISTING)
    # Only the command and the layers the listing needs (the register and storage).
    assert _commands(modules) == {"kooperacje.commands.instytucje"}
    upper = ("teams", "basket", "exchange", "reports")
    assert not {m for m in modules if m.split(".")[:2] in [["kooperacje", u] for u in upper]}


def test_the_basket_imports_only_what_it_uses(db_path: Path) -> None:
    _imports(db_path, "baza", "utworz")
    code, modules = _imports(db_path, "koszyk", "--gmina", "1012011", "--format", "json")
    assert code == 0
    # The query needs sqlite3 alone: no sqlite-utils (with dateutil, click and pluggy), no
    # templates, no validation of user input beyond the vocabularies.
    assert not _under(modules, (*NOT_FOR_A_LISTING, "sqlite_utils", "dateutil", "click", "pluggy"))
    assert _commands(modules) == {"kooperacje.commands.koszyk"}
    upper = ("exchange", "reports")
    assert not {m for m in modules if m.split(".")[:2] in [["kooperacje", u] for u in upper]}
    assert "kooperacje.store.migrations" not in modules


def test_the_basket_of_an_older_database_migrates_it_first(db_path: Path) -> None:
    _imports(db_path, "baza", "utworz")
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm016_import_lookups'")
    conn.execute("DROP INDEX instytucje_gmina_szukaj")
    conn.execute("DROP INDEX uslugi_instytucja_szukaj")
    conn.execute("DROP INDEX uslugi_szukaj")
    conn.execute("DROP TRIGGER uslugi_szukaj_nieaktualne")
    conn.execute("ALTER TABLE uslugi DROP COLUMN nazwa_szukaj")
    conn.commit()
    conn.close()
    code, modules = _imports(db_path, "koszyk", "--gmina", "1012011", "--format", "json")
    assert code == 0
    assert "sqlite_utils" in modules  # opened as every other command opens it: migrated
    conn = sqlite3.connect(db_path)
    names = {row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
    conn.close()
    assert "m016_import_lookups" in names
