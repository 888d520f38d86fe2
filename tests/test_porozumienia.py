"""`kooperacje porozumienia` and `raport porozumienie`: agreements, their parties and dates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]

NAKLO, KCYNIA, POWIAT = "0410033", "0410013", "0410"
TITLE = "Porozumienie o współdziałaniu w pilotażu modelu kooperacji"


def _ok(result: Result) -> Result:
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def pilot(run: Run) -> None:
    """MGOPS Nakło 1, MGOPS Kcynia 2, ROPS Toruń 3, PCPR Nakło 4; a team in each gmina."""
    for name, gmina, short in (
        ("Miejsko-Gminny Ośrodek Pomocy Społecznej w Nakle nad Notecią", NAKLO, "MGOPS"),
        ("Miejsko-Gminny Ośrodek Pomocy Społecznej w Kcyni", KCYNIA, "MGOPS"),
        ("Regionalny Ośrodek Polityki Społecznej w Toruniu", "0463011", "ROPS"),
        ("Powiatowe Centrum Pomocy Rodzinie w Nakle nad Notecią", NAKLO, "PCPR"),
    ):
        _ok(
            run("instytucje", "dodaj", name, "-g", gmina, "-s", "pomoc_spoleczna", "--skrot", short)
        )
    _ok(run("zespoly", "zaloz", "-g", NAKLO, "--lider", "MGOPS"))
    _ok(run("zespoly", "zaloz", "-g", KCYNIA, "--lider", "MGOPS"))
    _ok(run("projekty", "dodaj", "Kooperacja – efektywna i skuteczna", "--skrot", "Kooperacja"))


def _planned(run: Run, due: str, *extra: str) -> Result:
    return run(
        "porozumienia", "dodaj", TITLE, "--jst", POWIAT, "--jst", NAKLO, "--jst", KCYNIA,
        "-s", "ROPS", "-s", "1", "-s", "2", "--projekt", "Kooperacja", "--termin", due,
        "--przedmiot", "Współdziałanie instytucji w pilotażu modelu kooperacji.", *extra,
    )  # fmt: skip


def test_an_agreement_with_parties_of_both_kinds(run: Run, query: Query, pilot: None) -> None:
    added = _ok(_planned(run, "2020-02"))
    assert f"Dodano porozumienie nr 1: {TITLE} (planowane, stron: 6)." in added.stdout
    assert query(
        "SELECT status, termin_podpisania, data_podpisania, projekt FROM porozumienia"
    ) == [("planowane", "2020-02-29", None, 1)]
    assert query("SELECT instytucja, jst FROM porozumienia_strony ORDER BY instytucja, jst") == [
        (None, "0410"),
        (None, KCYNIA),
        (None, NAKLO),
        (1, None),
        (2, None),
        (3, None),
    ]
    shown = _ok(run("porozumienia", "pokaz", "1")).stdout
    for text in ("Powiat nakielski (0410)", "Gmina Kcynia (gmina miejsko-wiejska) (0410013)",
                 "Regionalny Ośrodek Polityki Społecznej w Toruniu (nr 3, gmina Toruń)",
                 "Termin podpisania: 29 lutego 2020 r."):  # fmt: skip
        assert text in shown
    data = json.loads(_ok(run("porozumienia", "pokaz", TITLE.lower(), "-f", "json")).stdout)
    assert (data["status_nazwa"], len(data["strony"])) == ("planowane", 6)


def test_a_planned_agreement_turns_up_in_luki_after_its_date(
    run: Run, query: Query, pilot: None
) -> None:
    today = dt.date.today()
    _ok(_planned(run, (today + dt.timedelta(days=30)).isoformat()))
    assert "Porozumienia niepodpisane w terminie (0):" in _ok(run("luki", "-g", KCYNIA)).stdout
    _ok(run("porozumienia", "edytuj", "1", "--termin", (today - dt.timedelta(days=1)).isoformat()))
    for gmina in (NAKLO, KCYNIA):  # a party to it through its gmina, powiat and leader
        gaps = _ok(run("luki", "-g", gmina)).stdout
        assert "Porozumienia niepodpisane w terminie (1):" in gaps
        assert f"nr 1: {TITLE}; miało zostać podpisane do" in gaps
    rows = json.loads(_ok(run("luki", "--zespol", "1", "-f", "json")).stdout)
    assert [r["kod"] for r in rows if r["rodzaj"] == "porozumienie"] == [1]
    listed = _ok(run("porozumienia", "lista", "--gmina", KCYNIA)).stdout
    assert "planowane – PO TERMINIE" in listed
    # Signing it closes the gap, and the date makes it signed.
    _ok(run("porozumienia", "edytuj", "1", "--data-podpisania", today.isoformat()))
    assert query("SELECT status FROM porozumienia") == [("podpisane",)]
    assert "Porozumienia niepodpisane w terminie (0):" in _ok(run("luki", "-g", NAKLO)).stdout


def test_team_report_shows_the_agreement_as_of_its_day(run: Run, pilot: None) -> None:
    _ok(_planned(run, "2020-02"))
    before = _ok(run("raport", "zespol", "-g", KCYNIA, "--na-dzien", "2020-02-28")).stdout
    assert f"| 1 | {TITLE} |" in before
    assert "### Porozumienia niepodpisane w terminie (0)" in before
    after = _ok(run("raport", "zespol", "-g", KCYNIA, "--na-dzien", "2020-03-01")).stdout
    assert "**planowane, po terminie**" in after
    assert "### Porozumienia niepodpisane w terminie (1)" in after
    html = _ok(run("raport", "zespol", "-g", NAKLO, "-f", "html", "--na-dzien", "2020-03-01"))
    assert "<strong>planowane, po terminie</strong>" in html.stdout


def test_the_printed_agreement(run: Run, tmp_path: Path, pilot: None) -> None:
    _ok(_planned(run, "2020-02"))
    text = _ok(run("raport", "porozumienie", "1", "--na-dzien", "2020-03-02")).stdout
    assert text.startswith(f"# {TITLE}\n\nPorozumienie nr 1 · status: planowane\n\n> **Uwaga:**")
    assert "miało zostać podpisane do 29 lutego 2020 r., a według stanu na 2 marca 2020 r." in text
    assert "4. **Powiat nakielski**" in text
    assert "- **Nazwa:** Kooperacja – efektywna i skuteczna" in text
    assert "(Gmina Kcynia (gmina miejsko-wiejska): pieczęć i podpis osoby uprawnionej)" in text
    _ok(run("porozumienia", "edytuj", "1", "--data-podpisania", "2020-02-27",
            "--oryginal", "sekretariat MGOPS w Nakle nad Notecią"))  # fmt: skip
    out = tmp_path / "porozumienie.html"
    _ok(run("raport", "porozumienie", "1", "-o", str(out)))
    html = out.read_text("utf-8")
    assert "status: podpisane · podpisane 27 lutego 2020 r." in html
    assert "sekretariat MGOPS w Nakle nad Notecią" in html
    assert "Uwaga:" not in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["  "], "tytuł porozumienia nie może być pusty"),
        (["P", "--status", "zerwane"], 'nieznany status porozumienia: "zerwane"'),
        (
            ["P", "--status", "planowane", "--data-podpisania", "2020-02-27"],
            "nie jest już planowane",
        ),
        (["P", "--data-podpisania", "2099-01-01"], "jest późniejsza niż dzisiejsza"),
        (["P", "--od", "2021-01", "--do", "2020-12"], "koniec okresu"),
        (["P", "--termin", "luty"], 'niepoprawna data "luty"'),
        # A day written in the right form but missing from the calendar is named as such.
        (["P", "--termin", "2020-02-30"], 'data "2020-02-30" nie istnieje w kalendarzu'),
        # Signed on a day: a month would be stored as its first day, which nobody signed on.
        (["P", "--data-podpisania", "2020-02"], 'niepoprawna data "2020-02"'),
        (["P", "--projekt", "Inny"], 'nie ma projektu "Inny"'),
        (["P", "-s", "MGOPS"], 'instytucja "MGOPS" jest niejednoznaczna'),
        (["P", "--jst", "99"], 'nie ma jednostki o kodzie TERYT "99"'),
    ],
)
def test_bad_input_writes_nothing(
    run: Run, db_path: Path, pilot: None, args: list[str], message: str
) -> None:
    before = snapshot(db_path)
    result = run("porozumienia", "dodaj", *args)
    assert result.exit_code == 1, result
    assert message in result.stderr, result.stderr
    assert snapshot(db_path) == before


def test_edits_are_kept_and_dependents_protected(run: Run, query: Query, pilot: None) -> None:
    _ok(_planned(run, "2020-02"))
    edit = _ok(run("porozumienia", "edytuj", "1", "--bez-jst", POWIAT, "-s", "PCPR",
                   "--status", "rozwiazane"))  # fmt: skip
    assert "status: planowane → rozwiązane" in edit.stdout
    assert "strona: Powiat nakielski → (puste)" in edit.stdout
    assert "strona: (puste) → Powiatowe Centrum Pomocy Rodzinie w Nakle nad Notecią" in edit.stdout
    assert query("SELECT count(*) FROM porozumienia_strony") == [(6,)]
    bad = run("porozumienia", "edytuj", "1", "--bez-jst", POWIAT)
    assert bad.exit_code == 1 and "nie jest stroną porozumienia nr 1" in bad.stderr
    assert "porozumienie nr 1" in _ok(run("historia")).stdout
    party = run("instytucje", "usun", "3", "--tak")
    assert party.exit_code == 1 and "porozumienia (1)" in party.stderr
    project = run("projekty", "usun", "1", "--tak")
    assert project.exit_code == 1 and "dotyczą go porozumienia nr 1" in project.stderr
    _ok(run("porozumienia", "usun", "1", "--tak"))
    assert query("SELECT count(*) FROM porozumienia_strony") == [(0,)]
    csv = _ok(run("porozumienia", "lista", "-f", "csv")).stdout
    assert csv.splitlines() == [csv.splitlines()[0]]


@pytest.mark.parametrize(
    "args",
    [
        ("porozumienia", "dodaj", "P", "-s", "MGOPS"),
        ("projekty", "edytuj", "Kooperacja", "--partner", "MGOPS"),
        ("projekty", "edytuj", "Kooperacja", "--lider", "MGOPS"),
    ],
)
def test_a_tie_is_resolved_by_number_where_there_is_no_gmina_option(
    run: Run, db_path: Path, pilot: None, args: tuple[str, ...]
) -> None:
    """These commands have no --gmina or --zespol: the message must not send the user there."""
    before = snapshot(db_path)
    result = run(*args)
    assert result.exit_code == 1
    assert 'instytucja "MGOPS" jest niejednoznaczna' in result.stderr
    assert "1: Miejsko-Gminny Ośrodek Pomocy Społecznej w Nakle nad Notecią" in result.stderr
    assert result.stderr.rstrip().endswith("Podaj numer instytucji.")
    assert "--gmina" not in result.stderr
    assert snapshot(db_path) == before
