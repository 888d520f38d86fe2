"""`kooperacje zzk`: task teams (ZZK) through their whole life, and their indicators."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def fails(run: Run, db_path: Path, *args: str, code: int = 1, says: str = "") -> str:
    before = snapshot(db_path)
    result = run(*args)
    assert result.exit_code == code, (args, result)
    assert result.stderr.startswith("Błąd: "), result.stderr
    assert "Traceback" not in result.stderr
    assert says in result.stderr, result.stderr
    assert snapshot(db_path) == before
    return result.stderr


@pytest.fixture
def pzk(run: Run, template: Path, db_path: Path) -> None:
    """The PZK of Radomsko (town) with MOPS, PCPR and KPP, a staff member of PCPR and two
    services; the PZK of Zawiercie with its MOPS."""
    shutil.copyfile(template, db_path)
    ok(run, "zespoly", "zaloz", "--gmina", "1012011", "--data", "2019-09-25")
    for name, sector, short in (
        ("Miejski Ośrodek Pomocy Społecznej w Radomsku", "pomoc_spoleczna", "MOPS"),
        ("Powiatowe Centrum Pomocy Rodzinie w Radomsku", "rodzina", "PCPR"),
        ("Komenda Powiatowa Policji w Radomsku", "policja", "KPP"),
    ):
        ok(run, "instytucje", "dodaj", name, "-g", "1012011", "--sektor", sector, "--skrot", short)
    ok(run, "osoby", "dodaj", "Anna Nowak", "--instytucja", "PCPR", "--stanowisko", "psycholog")
    ok(
        run,
        "uslugi",
        "dodaj",
        "Poradnictwo rodzinne",
        "-i",
        "PCPR",
        "--obszar",
        "wspieranie_rodziny",
    )
    ok(run, "uslugi", "dodaj", "Praca socjalna", "-i", "MOPS", "--obszar", "pomoc_spoleczna")
    ok(run, "zespoly", "zaloz", "--gmina", "2416021", "--data", "2019-12-10")
    ok(
        run,
        "instytucje",
        "dodaj",
        "MOPS w Zawierciu",
        "-g",
        "2416021",
        "--sektor",
        "pomoc_spoleczna",
    )


# Opened, category, closing (date, outcome) of the seven task teams of the life test.
LIFE = (
    ("2020-01-10", "rodzina", ("2020-05-10", "cel_osiagniety")),
    ("2020-01-20", "osoba", ("2020-05-11", "cel_osiagniety")),
    ("2020-02-03", "osoba", ("2020-05-12", "cel_osiagniety")),
    ("2020-02-10", "osoba", ("2020-05-13", "przerwany")),
    ("2020-03-01", "rodzina", ("2020-05-14", "przerwany")),
    ("2020-03-05", "rodzina", ("2020-05-15", "przerwany")),
    ("2020-04-01", "osoba", None),
)


def test_a_task_team_lives_and_its_indicators_follow(
    run: Run, query: Query, db_path: Path, tmp_path: Path, pzk: None
) -> None:
    out = ok(
        run, "zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "rodzina",
        "-i", "MOPS", "--osoba", "Anna Nowak", "--grupa", "rodziny", "--grupa", "dzieci_mlodziez",
        "--obszar", "wspieranie_rodziny", "--usluga", "Poradnictwo rodzinne",
        "--uwagi", "Sprawna wymiana informacji między MOPS a PCPR",
    )  # fmt: skip
    assert out.startswith("Otwarto ZZK/2020/01 (nr 1)")
    # The person brought their institution along.
    assert query(
        "SELECT k.nazwa, k.rok, k.numer, k.kategoria, k.wynik, k.data_zamkniecia, k.uwagi "
        "FROM zzk k"
    ) == [
        ("ZZK/2020/01", 2020, 1, "rodzina", "w_toku", None, "Sprawna wymiana informacji "
         "między MOPS a PCPR"),
    ]  # fmt: skip
    assert query("SELECT instytucja FROM zzk_instytucje ORDER BY instytucja") == [(1,), (2,)]
    assert query("SELECT osoba FROM zzk_osoby") == [(1,)]
    assert query("SELECT grupa FROM zzk_grupy ORDER BY grupa") == [
        ("dzieci_mlodziez",),
        ("rodziny",),
    ]
    assert query("SELECT usluga FROM zzk_uslugi") == [(1,)]

    for opened, category, _ in LIFE[1:]:
        ok(run, "zzk", "dodaj", "-g", "1012011", "-d", opened, "-k", category, "-i", "MOPS")
    codes = [r[0] for r in query("SELECT nazwa FROM zzk ORDER BY id")]
    assert codes == [f"ZZK/2020/{n:02d}" for n in range(1, 8)]
    # Meetings: three of the first task team, one of the second (KPP joins through it).
    ok(run, "zzk", "spotkanie", "ZZK/2020/01", "--data", "2020-01-15")  # every delegated one
    ok(run, "zzk", "spotkanie", "1", "--data", "2020-02-15", "MOPS", "PCPR")
    ok(run, "zzk", "spotkanie", "1", "--data", "2020-03-15", "MOPS")
    ok(run, "zzk", "spotkanie", "1", "--data", "2020-03-15", "MOPS", "PCPR")  # corrected
    out = ok(run, "zzk", "spotkanie", "2", "--data", "2020-02-20", "MOPS", "KPP")
    assert "Dodano do instytucji delegowanych: Komenda Powiatowa Policji w Radomsku." in out
    assert query(
        "SELECT s.zzk, s.data, group_concat(o.instytucja) FROM zzk_spotkania s "
        "JOIN zzk_obecnosci o ON o.spotkanie = s.id GROUP BY s.id ORDER BY s.id"
    ) == [(1, "2020-01-15", "1,2"), (1, "2020-02-15", "1,2"), (1, "2020-03-15", "1,2"),
          (2, "2020-02-20", "1,3")]  # fmt: skip

    # Numbers start again in each team (and each year); a code then needs its team.
    ok(run, "zzk", "dodaj", "-g", "2416021", "-d", "2020-02-01", "-k", "osoba", "-i", "MOPS w Zaw")
    assert query("SELECT nazwa FROM zzk WHERE zespol = 2") == [("ZZK/2020/01",)]
    fails(run, db_path, "zzk", "pokaz", "zzk/2020/01", says="kilku zespołów: nr 1")
    ok(run, "zzk", "dodaj", "-g", "1012011", "-d", "2021-01-04", "-k", "osoba", "-i", "MOPS")
    assert query("SELECT nazwa FROM zzk WHERE id = 9") == [("ZZK/2021/01",)]
    ok(run, "zzk", "usun", "9", "--tak")

    out = ok(run, "zzk", "edytuj", "1", "--bez-grupy", "dzieci_mlodziez", "--usluga", "2")
    assert "grupy docelowe: dzieci i młodzież, rodziny → rodziny" in out
    assert "usługi: Poradnictwo rodzinne" in out
    for number, (_, _, closing) in enumerate(LIFE, start=1):
        if closing:
            day, outcome = closing
            ok(run, "zzk", "zamknij", str(number), "--data", day, "--wynik", outcome)
    assert query("SELECT wynik, count(*) FROM zzk WHERE zespol = 1 GROUP BY wynik") == [
        ("cel_osiagniety", 3),
        ("przerwany", 3),
        ("w_toku", 1),
    ]

    # The coordinator's own view: exact figures.
    out = ok(run, "zzk", "lista", "-g", "1012011", "--do", "2020-12-31")
    assert (
        "Wskaźniki ZZK (do 31 grudnia 2020 r.): otwarte 7 (osoby 4, rodziny 3); zamknięte 6 "
        "(cel osiągnięty 3, przerwane 3); w toku na koniec okresu 1; spotkania ZZK 4." in out
    )
    out = ok(run, "zzk", "lista", "-g", "1012011", "--od", "2020-02-01", "--do", "2020-04-30")
    assert "otwarte 5 (osoby 3, rodziny 2); zamknięte 0" in out
    assert "w toku na koniec okresu 7; spotkania ZZK 3." in out
    rows = json.loads(ok(run, "zzk", "lista", "--wynik", "w_toku", "-f", "json"))
    assert [(r["kod"], r["gmina"]) for r in rows] == [
        ("ZZK/2020/01", "2416021"),
        ("ZZK/2020/07", "1012011"),
    ]
    shown = json.loads(ok(run, "zzk", "pokaz", "1", "-f", "json"))
    assert shown["kod"] == "ZZK/2020/01" and shown["wynik"] == "cel_osiagniety"
    assert [d["skrot"] for d in shown["instytucje"]] == ["MOPS", "PCPR"]
    assert shown["instytucje"][1]["osoby"] == ["Anna Nowak (psycholog)"]
    assert [s["data"] for s in shown["spotkania"]] == ["2020-01-15", "2020-02-15", "2020-03-15"]

    # Published: the team report hides what is below 3 and what would give it back.
    report = ok(run, "raport", "zespol", "-g", "1012011", "--na-dzien", "2020-12-31")
    for line in (
        "| Otwarte w okresie | 7 |",
        "| w tym dotyczące osoby | 4 |",
        "| w tym dotyczące rodziny | 3 |",
        "| W toku na koniec okresu | mniej niż 3 |",
        # 7 opened = closed + 1 in progress: closed is hidden, and one of its parts too.
        "| Zamknięte w okresie | ukryte |",
        "| w tym z osiągniętym celem | ukryte |",
        "| w tym przerwane | 3 |",
        "| Spotkania ZZK w okresie | 4 |",
        "| Miejski Ośrodek Pomocy Społecznej w Radomsku (MOPS) | pomoc i integracja "
        "społeczna | 4 |",
        "| Powiatowe Centrum Pomocy Rodzinie w Radomsku (PCPR) | wspieranie rodziny i piecza "
        "zastępcza | 3 |",
        "| Komenda Powiatowa Policji w Radomsku (KPP) | policja i bezpieczeństwo publiczne | "
        "mniej niż 3 |",
        "| Poradnictwo rodzinne | Powiatowe Centrum Pomocy Rodzinie w Radomsku | wspieranie "
        "rodziny | mniej niż 3 |",
    ):
        assert line in report, line
    assert "ZZK/2020" not in report and "Sprawna wymiana" not in report

    # The summary: per team, totals only when no part is hidden.
    summary = ok(run, "raport", "zbiorczy", "--do", "2020-12-31", "-f", "csv")
    rows = csv.DictReader(io.StringIO(summary.removeprefix("\ufeff")), delimiter=";")
    table = {r["Kod TERYT gminy"] or "razem": r for r in rows}
    assert table["1012011"]["ZZK otwarte w okresie"] == "7"
    assert table["1012011"]["ZZK zamknięte w okresie"] == "ukryte"
    assert table["2416021"]["ZZK otwarte w okresie"] == "mniej niż 3"
    assert table["razem"]["ZZK otwarte w okresie"] == "co najmniej 7"
    assert table["razem"]["Spotkania ZZK w okresie"] == "co najmniej 4"
    assert table["razem"]["ZZK zamknięte: przerwane"] == "co najmniej 3"
    md = ok(run, "raport", "zbiorczy", "-w", "lodzkie", "--do", "2020-12-31", "-f", "md")
    assert "| Otwarte w okresie | 7 |" in md  # one team in the voivodeship: exact
    assert "| Pomoc i integracja społeczna | 4 |" in md  # MOPS at all four meetings
    assert "| Policja i bezpieczeństwo publiczne | mniej niż 3 |" in md
    assert "| Wspieranie rodziny | mniej niż 3 |" in md

    # The site: the team page and the charts draw only figures that may be printed.
    site = tmp_path / "strona"
    ok(run, "raport", "strona", "-o", str(site), "--do", "2020-12-31", "--cicho")
    page = (site / "zespoly" / "1012011.md").read_text("utf-8")
    assert "| Zamknięte w okresie | ukryte |" in page
    html = (site / "zespoly" / "1012011.html").read_text("utf-8")
    assert 'id="wykres-zzk"' in html
    assert "<td>w toku na koniec okresu</td><td>mniej niż 3</td>" in html
    voivodeship = (site / "wojewodztwa" / "10.html").read_text("utf-8")
    assert 'id="wykres-zzk-sektory"' in voivodeship

    # Deleting: asked, then gone with its parts; the history keeps every step.
    fails(run, db_path, "zzk", "usun", "7", says="--tak")
    ok(run, "zzk", "usun", "1", "--tak")
    assert query("SELECT count(*) FROM zzk_spotkania WHERE zzk = 1") == [(0,)]
    assert query("SELECT count(*) FROM zzk_obecnosci") == [(2,)]
    history = ok(run, "historia", "--od", "2000-01-01")
    assert "ZZK nr 1" in history and "usunięto" in history
    assert "spotkanie ZZK nr 1" in history


def test_errors_say_what_to_do_and_change_nothing(run: Run, db_path: Path, pzk: None) -> None:
    fails(run, db_path, "zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "rodzina",
          says="co najmniej jedną delegowaną instytucję")  # fmt: skip
    fails(run, db_path, "zzk", "dodaj", "-g", "1012011", "-d", "2019-01-10", "-k", "osoba",
          "-i", "MOPS", says="przed utworzeniem zespołu")  # fmt: skip
    fails(run, db_path, "zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "grupa",
          "-i", "MOPS", says="nieznana kategoria")  # fmt: skip
    fails(run, db_path, "zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "osoba",
          "-i", "MOPS", "--usluga", "99", says="nie ma usługi o numerze 99")  # fmt: skip
    ok(run, "zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "osoba", "-i", "MOPS")
    fails(run, db_path, "zzk", "edytuj", "1", "--data", "2021-01-10", says="rok otwarcia")
    fails(run, db_path, "zzk", "edytuj", "1", says="nie podano nic do zmiany")
    fails(run, db_path, "zzk", "edytuj", "1", "--bez-instytucji", "MOPS",
          says="co najmniej jedną delegowaną instytucję")  # fmt: skip
    fails(run, db_path, "zzk", "spotkanie", "1", "--data", "2020-01-09", says="przed otwarciem")
    ok(run, "zzk", "spotkanie", "1", "--data", "2020-02-01")
    fails(run, db_path, "zzk", "edytuj", "1", "--bez-instytucji", "MOPS", says="była obecna")
    fails(run, db_path, "zzk", "edytuj", "1", "--data", "2020-03-01", says="przed nową datą")
    fails(run, db_path, "zzk", "zamknij", "1", "--data", "2020-01-20", "--wynik", "przerwany",
          says="po podanej dacie zamknięcia")  # fmt: skip
    fails(run, db_path, "zzk", "zamknij", "1", "--data", "2020-03-01", "--wynik", "w_toku",
          says="--cofnij")  # fmt: skip
    fails(run, db_path, "zzk", "zamknij", "1", "--data", "2020-03-01", says="podaj datę i wynik")
    fails(run, db_path, "zzk", "zamknij", "1", "--data", "2999-01-01", "--wynik", "przerwany",
          says="w przyszłości")  # fmt: skip
    fails(run, db_path, "zzk", "zamknij", "1", "--cofnij", says="nie jest zamknięty")
    ok(run, "zzk", "zamknij", "1", "--data", "2020-03-01", "--wynik", "przerwany")
    fails(run, db_path, "zzk", "spotkanie", "1", "--data", "2020-04-01", says="--cofnij")
    ok(run, "zzk", "zamknij", "1", "--cofnij")
    ok(run, "zzk", "spotkanie", "1", "--data", "2020-04-01")
    fails(run, db_path, "zzk", "spotkanie", "1", "--data", "2020-05-01", "--usun",
          says="nie ma spotkania")  # fmt: skip
    fails(run, db_path, "zzk", "pokaz", "ZZK/2030/01", says="nie ma ZZK")
    fails(run, db_path, "zzk", "pokaz", "9", says="nie ma ZZK o numerze 9")
    # An institution of a task team cannot be deleted: the published figures would change.
    fails(run, db_path, "instytucje", "usun", "MOPS", "--tak", says="zadaniowe zespoły")


def test_erasing_a_person_removes_them_from_task_teams(run: Run, query: Query, pzk: None) -> None:
    ok(run, "zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "osoba",
       "--osoba", "Anna Nowak")  # fmt: skip
    assert query("SELECT count(*) FROM zzk_osoby") == [(1,)]
    # The right of access shows the delegation.
    access = json.loads(ok(run, "osoby", "eksportuj", "Anna Nowak"))
    assert [d["kod"] for d in access["delegowanie_do_zzk"]] == ["ZZK/2020/01"]
    ok(run, "osoby", "usun", "Anna Nowak", "--tak")
    assert query("SELECT count(*) FROM zzk_osoby") == [(0,)]
    # The institution stays delegated; the history no longer points at the person.
    assert query("SELECT instytucja FROM zzk_instytucje") == [(2,)]
    assert query(
        "SELECT count(*) FROM _zmiany WHERE tabela = 'zzk_osoby' "
        "AND (json_extract(stara, '$.osoba') IS NOT NULL "
        "OR json_extract(nowa, '$.osoba') IS NOT NULL)"
    ) == [(0,)]
    assert query("SELECT count(*) FROM _zmiany WHERE tabela = 'zzk_osoby'") == [(2,)]


def test_exports_know_task_teams(run: Run, tmp_path: Path, pzk: None) -> None:
    ok(run, "zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "rodzina", "-i", "MOPS",
       "--osoba", "Anna Nowak", "--grupa", "rodziny", "--usluga", "1")  # fmt: skip
    ok(run, "zzk", "spotkanie", "1", "--data", "2020-01-15")
    rows = json.loads(ok(run, "eksport", "zzk", "-f", "json"))
    assert rows == [
        {
            "nr": 1,
            "uuid": rows[0]["uuid"],
            "kod": "ZZK/2020/01",
            "zespol": 1,
            "zespol_nazwa": "Partnerski Zespół Kooperacyjny – Radomsko (gmina miejska)",
            "kategoria": "rodzina",
            "grupy": "rodziny",
            "obszary": None,
            "data_otwarcia": "2020-01-10",
            "data_zamkniecia": None,
            "wynik": "w_toku",
            "instytucje": "Miejski Ośrodek Pomocy Społecznej w Radomsku; "
            "Powiatowe Centrum Pomocy Rodzinie w Radomsku",
            "osoby": "Anna Nowak",
            "uslugi": "Poradnictwo rodzinne",
            "spotkania": "2020-01-15 (MOPS, PCPR)",
            "uwagi": None,
        }
    ]
    target = tmp_path / "zzk.xlsx"
    assert "Zapisano 1 wiersz" in ok(run, "eksport", "zzk", "-f", "xlsx", "-o", str(target))
    assert target.stat().st_mode & 0o777 == 0o600
    text = ok(run, "eksport", "zzk", "-f", "csv")
    assert text.splitlines()[0].startswith("\ufeffNr;UUID;Kod;Zespół nr")


def test_hsds_export_leaves_task_teams_out(run: Run, tmp_path: Path, pzk: None) -> None:
    ok(run, "zzk", "dodaj", "-g", "1012011", "-d", "2020-01-10", "-k", "rodzina", "-i", "PCPR",
       "--usluga", "1", "--uwagi", "Wspólny plan pracy kuratorów i MOPS")  # fmt: skip
    folder = tmp_path / "hsds"
    ok(run, "eksport", "hsds", "--gmina", "1012011", "-o", str(folder))
    for path in folder.iterdir():
        text = path.read_text("utf-8")
        assert "ZZK" not in text and "Wspólny plan" not in text, path.name
        assert "zzk" not in text.lower(), path.name
    names = {r["name"] for r in json.loads((folder / "datapackage.json").read_text())["resources"]}
    assert not any("zzk" in n or "task" in n for n in names)


def test_institutions_resolve_in_the_task_teams_pzk(run: Run, query: Query, pzk: None) -> None:
    # Zawiercie's MOPS takes the same abbreviation: "MOPS" names one institution in each
    # team's context, and a tie only outside any.
    ok(run, "instytucje", "edytuj", "MOPS w Zawierciu", "--skrot", "MOPS")
    ok(run, "zzk", "dodaj", "-g", "2416021", "-d", "2020-02-01", "-k", "osoba", "-i", "MOPS")
    zawiercie = query("SELECT id FROM instytucje WHERE nazwa = 'MOPS w Zawierciu'")[0][0]
    assert query("SELECT instytucja FROM zzk_instytucje") == [(zawiercie,)]
    ok(run, "zzk", "edytuj", "1", "--bez-instytucji", "MOPS", "-i", "MOPS")
    assert query("SELECT instytucja FROM zzk_instytucje") == [(zawiercie,)]
    ok(run, "zzk", "spotkanie", "1", "-d", "2020-02-10", "MOPS")
    assert query("SELECT DISTINCT instytucja FROM zzk_obecnosci") == [(zawiercie,)]
