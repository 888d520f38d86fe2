"""`kooperacje raport zbiorczy`: summary indicators over teams, a period and a scope."""

from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from kooperacje.errors import InvalidInput
from kooperacje.reports import scopes
from tests import site_sample
from tests.conftest import Result, snapshot

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("zbiorczy") / "sample.db"
    site_sample.build(path)
    return path


@pytest.fixture(autouse=True)
def database(sample: Path, db_path: Path) -> Path:
    shutil.copyfile(sample, db_path)
    return db_path


def polish_excel(text: str) -> list[dict[str, str]]:
    """Read CSV the way Excel in Poland does: a BOM marks UTF-8, `;` separates the cells,
    and a number has a decimal comma (a decimal point would make it a date or text)."""
    assert text.startswith("\ufeff"), "no BOM: Excel would read the text as Windows-1250"
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    numbers = [key for key in rows[0] if key not in CSV_TEXT_COLUMNS]
    for row in rows:
        for key in numbers:
            # Published task-team figures may be suppressed (small counts hide people).
            suppressed = r"mniej niż 3|ukryte|co najmniej \d+"
            assert re.fullmatch(rf"(\d+(,\d+)?)?|{suppressed}", row[key]), (key, row[key])
    return rows


CSV_TEXT_COLUMNS = {"Zespół", "Kod TERYT gminy", "Gmina", "Województwo", "Makroregion", "Projekt"}


def table(run: Run, *args: str) -> dict[str, dict[str, str]]:
    result = run("raport", "zbiorczy", "--format", "csv", *args)
    assert result.exit_code == 0, result.stderr
    rows = polish_excel(result.stdout)
    return {row["Kod TERYT gminy"] or "razem": row for row in rows}


def test_indicators_per_team_and_totals(run: Run) -> None:
    rows = table(run, "--do", "2020-12-31")
    assert set(rows) == {"1012011", "2416021", "0410033", "razem"}
    radomsko = rows["1012011"]
    assert radomsko["Członkowie na koniec okresu"] == "3"  # the school left
    assert radomsko["Przystąpienia w okresie"] == "4"
    assert radomsko["Wystąpienia w okresie"] == "1"
    assert radomsko["Deklaracje w okresie"] == "5"
    assert radomsko["Sektory (z 16)"] == "3"
    assert radomsko["Sektory kluczowe (z 5)"] == "2"
    assert radomsko["Spotkania w okresie"] == "2"
    # The initiating meeting had no members yet; at the second, 2 of 3 members came.
    assert radomsko["Średnia frekwencja członków (%)"] == "67"
    # The closed service is not counted; the powiat-wide one is.
    assert radomsko["Aktywne usługi w koszyku gminy"] == "2"
    assert rows["2416021"]["Aktywne usługi w koszyku gminy"] == "1"  # voivodeship-wide
    assert rows["0410033"]["Średnia frekwencja członków (%)"] == ""
    totals = rows["razem"]
    assert totals["Zespół"] == "Razem (3)"
    assert totals["Członkowie na koniec okresu"] == "6"
    assert totals["Deklaracje w okresie"] == "8"
    assert totals["Spotkania w okresie"] == "3"
    assert totals["Średnia frekwencja członków (%)"] == "83"
    assert totals["Sektory (z 16)"] == "2,0"
    assert totals["Aktywne usługi w koszyku gminy"] == "3"


def test_period_limits_the_counts(run: Run) -> None:
    rows = table(run, "--od", "2019-11-01", "--do", "31.12.2019")
    assert rows["1012011"]["Przystąpienia w okresie"] == "0"
    assert rows["1012011"]["Wystąpienia w okresie"] == "1"
    assert rows["1012011"]["Spotkania w okresie"] == "1"
    assert rows["2416021"]["Przystąpienia w okresie"] == "2"
    assert rows["0410033"]["Członkowie na koniec okresu"] == "0"


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (("--wojewodztwo", "lodzkie"), {"1012011"}),
        (("--wojewodztwo", "24"), {"2416021"}),
        (("-w", "Województwo Kujawsko-Pomorskie"), {"0410033"}),
        (("--makroregion", "III"), {"1012011", "2416021"}),
        (("--makroregion", "2"), {"0410033"}),
        (("--projekt", "kooperacje 3d"), {"1012011", "2416021"}),
    ],
)
def test_scope(run: Run, option: tuple[str, str], expected: set[str]) -> None:
    assert set(table(run, *option)) - {"razem"} == expected


def test_markdown_and_html(run: Run, tmp_path: Path) -> None:
    md = run("raport", "zbiorczy", "--makroregion", "III", "--do", "2020-12-31")
    assert md.exit_code == 0
    assert md.stdout.startswith("# Raport zbiorczy: makroregion III\n")
    assert "do 31 grudnia 2020 r." in md.stdout
    assert "| PZK Radomsko | Radomsko (gmina miejska, 1012011) | 3 | 4 | 1 |" in md.stdout
    out = tmp_path / "zbiorczy.html"
    result = run("raport", "zbiorczy", "-o", str(out))
    assert result.exit_code == 0
    html = out.read_text("utf-8")
    assert "<h1>Raport zbiorczy: wszystkie zespoły</h1>" in html
    assert "PZK Nakło" in html
    csv_file = tmp_path / "zbiorczy.csv"
    assert run("raport", "zbiorczy", "-o", str(csv_file)).exit_code == 0
    data = csv_file.read_bytes()
    assert data.startswith("\ufeffZespół;Kod TERYT gminy;".encode())
    assert b"\r\n" in data
    assert len(polish_excel(data.decode("utf-8"))) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--wojewodztwo", "10", "--makroregion", "III"), "podaj tylko jedno z"),
        (("--wojewodztwo", "mazowieckie-x"), 'nie ma województwa "mazowieckie-x"'),
        (("--makroregion", "IV"), 'nieznany makroregion "IV"'),
        (("--projekt", "Inny projekt"), 'nie ma projektu "Inny projekt"'),
        (("--od", "2020-02-01", "--do", "2020-01-01"), "początek okresu"),
        (("--od", "31.02.2020"), "nie istnieje w kalendarzu"),
    ],
)
def test_errors(run: Run, database: Path, args: tuple[str, ...], message: str) -> None:
    before = snapshot(database)
    result = run("raport", "zbiorczy", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith("Błąd: ")
    assert message in result.stderr
    assert snapshot(database) == before


def test_bad_format_is_a_usage_error(run: Run) -> None:
    result = run("raport", "zbiorczy", "--format", "docx")
    assert result.exit_code == 2
    assert "Dozwolone wartości: md, html, csv, pdf" in result.stderr


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_slug_is_a_safe_file_name(text: str) -> None:
    from kooperacje.reports.site import slug

    name = slug(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    assert len(name) <= 60


@given(st.text(max_size=12))
@settings(max_examples=200, deadline=None)
def test_scope_accepts_a_macroregion_or_says_why_not(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    db = Database(conn)
    try:
        found = scopes.scope(db, makroregion=text)
    except InvalidInput as exc:
        assert "Podaj I, II albo III" in exc.message
    else:
        assert found.wartosc in ("I", "II", "III")
        assert found.nazwa == f"makroregion {found.wartosc}"


def test_share_of_services_verified_in_the_last_12_months(run: Run, database: Path) -> None:
    conn = sqlite3.connect(database)
    with conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM uslugi WHERE status = 'aktywna'")]
        # Radomsko's basket holds two active services: one checked 3 months before the end
        # of the period, one 13 months before it; Zawiercie's only one was never checked.
        radomsko = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT usluga FROM uslugi_zasieg WHERE teryt IN ('1012011', '1012')"
            )
            if r[0] in ids
        ]
        assert len(radomsko) == 2
        conn.execute("UPDATE uslugi SET zweryfikowano = '2020-09-30' WHERE id = ?", (radomsko[0],))
        conn.execute("UPDATE uslugi SET zweryfikowano = '2019-11-30' WHERE id = ?", (radomsko[1],))
    conn.close()
    rows = table(run, "--do", "2020-12-31")
    column = "Usługi zweryfikowane w ostatnich 12 miesiącach (%)"
    assert rows["1012011"][column] == "50"
    assert rows["2416021"][column] == "0"
    assert rows["razem"][column] == "33"
    # A year later neither check is recent any more.
    assert table(run, "--do", "2021-12-31")["1012011"][column] == "0"
