"""The benchmark's generator and the one-process render of every team, at scale 0.01.

Proves end to end, in CI, that the synthetic national database is what the benchmark says
it is and that every team's pages render from it. No timings are asserted here: bench/run.py
prints those.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench import generate
from kooperacje.cli import app
from kooperacje.store.db import open_db
from kooperacje.teams import teams
from tests.conftest import snapshot

TABLES = (
    "instytucje",
    "osoby",
    "zespoly",
    "spotkania",
    "obecnosci",
    "deklaracje",
    "uslugi",
    "uslugi_grupy",
    "uslugi_zasieg",
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "skala-0.01.db"
    generate.main(["--skala", "0.01", "--baza", str(path)])
    return path


def _digest(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        for table in TABLES:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def test_generator_is_deterministic(small: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    generate.main(["--skala", "0.01", "--baza", str(again)])
    assert _digest(again) == _digest(small)


def test_generator_refuses_an_existing_file(small: Path) -> None:
    with pytest.raises(SystemExit, match="już istnieje"):
        generate.main(["--skala", "0.01", "--baza", str(small)])


def test_generated_shape(small: Path) -> None:
    conn = sqlite3.connect(small)
    try:
        count = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        assert count["zespoly"] == 25  # 1% of the 2,479 gminas
        assert conn.execute("SELECT 1 FROM zespoly WHERE gmina = '1012011'").fetchone()
        assert count["spotkania"] == 25 * generate.MEETINGS_PER_TEAM
        assert count["uslugi"] == count["instytucje"] * generate.SERVICES_PER_INSTITUTION
        # Powiat-level providers reach their whole powiat, local ones their gmina.
        reach = dict(
            conn.execute(
                "SELECT i.skrot, min(length(z.teryt)) FROM instytucje i "
                "JOIN uslugi u ON u.instytucja = i.id JOIN uslugi_zasieg z ON z.usluga = u.id "
                "WHERE i.skrot IN ('PCPR', 'PUP', 'KPP', 'GKRPA') GROUP BY i.skrot"
            )
        )
        assert reach == {"PCPR": 4, "PUP": 4, "KPP": 4, "GKRPA": 7}
        # Folded names are stored as the application stores them.
        assert conn.execute(
            "SELECT count(*) FROM instytucje WHERE nazwa_szukaj IS NULL"
        ).fetchone() == (0,)
    finally:
        conn.close()
    db = open_db(small)
    try:
        team = teams.for_gmina(db, "1012011")
        members = teams.members_on(db, team.id, dt.date(2021, 1, 1))
        # The gmina's own institutions plus the providers of its powiat, a few having left.
        assert 38 <= len(members) <= generate.LOCAL_PER_TEAM + len(generate.POWIAT_PROVIDERS)
        assert {"PCPR", "PUP", "KPP"} <= {m.skrot for m in members}
    finally:
        db.close()


def test_the_site_command_renders_every_team(small: Path, tmp_path: Path) -> None:
    before = snapshot(small)
    out = tmp_path / "strona"
    runner = CliRunner()
    args = ["--baza", str(small), "raport", "strona", "-o", str(out), "--do", "2021-01-01"]
    result = runner.invoke(app, args, prog_name="kooperacje")
    assert result.exit_code == 0, result.stderr
    teams_html = sorted(p.name for p in (out / "zespoly").glob("*.html"))
    baskets_html = sorted(p.name for p in (out / "koszyki").glob("*.html"))
    assert len(teams_html) == len(baskets_html) == 25
    assert "1012011.html" in teams_html
    report = (out / "zespoly" / "1012011.html").read_text("utf-8")
    assert "PZK Radomsko (1012011)" in report
    assert "Powiatowe Centrum Pomocy Rodzinie – powiat radomszczański" in report
    assert (out / "index.html").is_file()
    assert snapshot(small) == before  # rendering writes nothing to the database


def test_the_import_file_imports_cleanly(tmp_path: Path) -> None:
    from bench import import_file

    path = tmp_path / "instytucje.csv"
    import_file.write(path, 60)
    db = tmp_path / "import.db"
    result = CliRunner().invoke(
        app, ["--baza", str(db), "import", "instytucje", str(path)], prog_name="kooperacje"
    )
    assert result.exit_code == 0, result.stderr
    assert "Wiersze: dodanie: 60, zmiana: 0, bez zmian: 0, odrzucone: 0." in result.stdout


def test_merge_benchmark_files_merge_and_merge_again_changes_nothing(
    tmp_path: Path, db_path: Path
) -> None:
    from bench import merge

    source = tmp_path / "zrodlo.db"
    generate.generate(source, 2 / 2479)
    files = merge.split(source, tmp_path)
    assert len(files) == 2
    runner = CliRunner()
    args = ["scal", *map(str, files), "--format", "json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM zespoly").fetchone() == (2,)
        # The powiat's providers are in both files (same UUIDs) and merged once.
        shared = conn.execute("SELECT count(*) FROM instytucje").fetchone()[0]
        both = sum(sqlite3.connect(f).execute("SELECT count(*) FROM instytucje").fetchone()[0]
                   for f in files)  # fmt: skip
        assert shared <= both
    finally:
        conn.close()
    before = snapshot(db_path)
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.stderr
    assert snapshot(db_path) == before
