"""`kooperacje spotkania prowadz`: the registration-table dialogue, driven by scripted input."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import Result, snapshot

Run = Callable[..., Result]
Query = Callable[..., list[tuple[object, ...]]]


@pytest.fixture
def world(db_path: Path) -> dict[str, int]:
    """A team of Radomsko with a meeting, four institutions and some staff."""
    conn = factories.connect(db_path)
    ids = {
        "mops": factories.institution(
            conn, "Miejski Ośrodek Pomocy Społecznej w Radomsku", skrot="MOPS"
        ),
        "pcpr": factories.institution(
            conn, "Powiatowe Centrum Pomocy Rodzinie w Radomsku", skrot="PCPR", sektor="rodzina"
        ),
        "kpp": factories.institution(
            conn, "Komenda Powiatowa Policji w Radomsku", skrot="KPP", sektor="policja"
        ),
        "zoz": factories.institution(
            conn, "Szpital Powiatowy w Radomsku", skrot="SP ZOZ", sektor="zdrowie"
        ),
    }
    ids["nowak"] = factories.person(conn, ids["mops"], "Anna Nowak", stanowisko="kierownik")
    ids["kot"] = factories.person(conn, ids["kpp"], "Jan Kot")
    ids["team"] = factories.team(conn, "1012011", "PZK Radomsko")
    ids["meeting"] = factories.meeting(conn, ids["team"], "2019-09-25", "Muzeum Regionalne")
    conn.close()
    return ids


# Each block is one guest at the table; the comments say what the coordinator means.
SCRIPT = [
    "miejski osrodek",  # no diacritics, lower case
    "1",
    "Ana Nowak",  # a typo of an existing representative
    "t",  # declaration signed
    "",  # signed by: the person who came
    "Punkt informacyjny dla rodzin",
    "wspieranie rodzny",  # a typo of the service area
    "",  # no more services
    "pcpr radom",  # short name plus a fragment
    "1",
    "",  # nobody named
    "n",  # no declaration
    "",
    "Stowarzyszenie Razem",  # a walk-in
    "n",
    "",  # full name: as typed
    "SR",
    "organizacje pozarzadowe",
    "",  # seat: the team's gmina
    "t",
    "Ewa Zając",  # a new representative
    "prezeska",
    "t",
    "",
    "",
    "Fundacja Anulowana",  # a walk-in given up at the confirmation
    "n",
    "",
    "",
    "ngo",
    "1012122",  # another gmina: Radomsko (gmina wiejska)
    "n",
    "kpp",
    "1",
    "Jan Kot",
    "t",
    "x",  # cancelled while typing who signed
    "szpitl",  # a typo
    "1",
    "Nowy Lekarz",  # EOF while the position of a new person is being typed
]


def test_scripted_session_saves_exactly_what_was_confirmed(
    run: Run, query: Query, world: dict[str, int]
) -> None:
    result = run("spotkania", "prowadz", str(world["meeting"]), input="\n".join(SCRIPT))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Przerwano: zapisane zostało wszystko, co zatwierdzono." in out
    assert "Anulowano bieżący wpis" in out
    assert "→ wspieranie rodziny" in out

    present = query(
        "SELECT i.nazwa, p.imie_nazwisko, o.status FROM obecnosci o "
        "JOIN instytucje i ON i.id = o.instytucja LEFT JOIN osoby p ON p.id = o.osoba "
        "ORDER BY o.id"
    )
    assert present == [
        ("Miejski Ośrodek Pomocy Społecznej w Radomsku", "Anna Nowak", "obecny"),
        ("Powiatowe Centrum Pomocy Rodzinie w Radomsku", None, "obecny"),
        ("Stowarzyszenie Razem", "Ewa Zając", "obecny"),
        ("Komenda Powiatowa Policji w Radomsku", "Jan Kot", "obecny"),
        ("Szpital Powiatowy w Radomsku", None, "obecny"),
    ]
    assert query(
        "SELECT gmina, sektor, skrot FROM instytucje WHERE nazwa = 'Stowarzyszenie Razem'"
    ) == [("1012011", "ngo", "SR")]
    assert query("SELECT count(*) FROM instytucje WHERE nazwa LIKE 'Fundacja%'") == [(0,)]
    assert query("SELECT imie_nazwisko, stanowisko FROM osoby ORDER BY id") == [
        ("Anna Nowak", "kierownik"),
        ("Jan Kot", None),
        ("Ewa Zając", "prezeska"),
    ]
    assert query(
        "SELECT i.nazwa, d.rodzaj, d.data, d.podpisal, d.spotkanie FROM deklaracje d "
        "JOIN instytucje i ON i.id = d.instytucja ORDER BY d.id"
    ) == [
        (
            "Miejski Ośrodek Pomocy Społecznej w Radomsku",
            "przystapienie",
            "2019-09-25",
            "Anna Nowak",
            world["meeting"],
        ),
        ("Stowarzyszenie Razem", "przystapienie", "2019-09-25", "Ewa Zając", world["meeting"]),
    ]
    assert query(
        "SELECT u.nazwa, u.obszar, u.instytucja, su.spotkanie FROM uslugi u "
        "JOIN spotkania_uslugi su ON su.usluga = u.id"
    ) == [("Punkt informacyjny dla rodzin", "wspieranie_rodziny", world["mops"], world["meeting"])]
    # The summary: who came by sector, what was signed, which sectors are missing.
    summary = out[out.index("Podsumowanie spotkania") :]
    assert "Obecne instytucje: 5" in summary
    assert summary.index("pomoc i integracja społeczna:") < summary.index("policja i bezp")
    assert "Deklaracje przystąpienia podpisane na spotkaniu: 2" in summary
    assert "★ edukacja" in summary
    assert "★ pomoc i integracja społeczna" not in summary
    assert "– kultura" in summary


def test_end_with_k_and_known_members(
    run: Run, query: Query, db_path: Path, world: dict[str, int]
) -> None:
    conn = factories.connect(db_path)
    factories.declaration(conn, world["team"], world["mops"], "2019-09-01")
    conn.close()
    script = ["mops", "1", "", "", "k"]
    result = run("spotkania", "prowadz", str(world["meeting"]), input="\n".join(script) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Instytucja jest już członkiem zespołu." in result.stdout
    assert "Przerwano" not in result.stdout
    assert "Deklaracje przystąpienia podpisane na spotkaniu: 0" in result.stdout
    assert query("SELECT count(*) FROM deklaracje") == [(1,)]


@pytest.fixture
def interrupt_after(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], None]:
    """Answer prompts from a list, then act as if Ctrl-C was pressed."""

    def install(answers: list[str]) -> None:
        feed: Iterator[str] = iter(answers)

        def fake_input(prompt: object = "") -> str:
            print(prompt, end="")
            try:
                return next(feed)
            except StopIteration:
                raise KeyboardInterrupt from None

        monkeypatch.setattr(builtins, "input", fake_input)

    return install


def test_ctrl_c_keeps_what_was_confirmed(
    run: Run, query: Query, world: dict[str, int], interrupt_after: Callable[[list[str]], None]
) -> None:
    interrupt_after(["kpp", "1", "Jan Kot", "t"])  # Ctrl-C at "who signed"
    result = run("spotkania", "prowadz", str(world["meeting"]))
    assert result.exit_code == 0, result.stderr
    assert "Przerwano" in result.stdout
    assert query("SELECT instytucja, osoba, status FROM obecnosci") == [
        (world["kpp"], world["kot"], "obecny")
    ]
    assert query("SELECT count(*) FROM deklaracje") == [(0,)]


def test_errors_inside_the_session_do_not_end_it(
    run: Run, query: Query, world: dict[str, int]
) -> None:
    # A walk-in with the name of an existing institution is refused; the session goes on.
    script = [
        "nieznana",
        "n",
        "Komenda Powiatowa Policji w Radomsku",
        "",
        "policja",
        "",
        "t",
        "kpp",
        "1",
    ]
    result = run("spotkania", "prowadz", str(world["meeting"]), input="\n".join(script))
    assert result.exit_code == 0, result.stderr
    assert "Błąd:" in result.stdout
    assert query("SELECT count(*) FROM instytucje") == [(4,)]
    assert query("SELECT instytucja FROM obecnosci") == [(world["kpp"],)]


def test_unknown_meeting(run: Run, db_path: Path, world: dict[str, int]) -> None:
    before = snapshot(db_path)
    result = run("spotkania", "prowadz", "99", input="mops\n")
    assert result.exit_code == 1
    assert "nie ma spotkania o numerze 99" in result.stderr
    assert snapshot(db_path) == before


def test_walk_in_from_another_gmina(run: Run, query: Query, world: dict[str, int]) -> None:
    script = [
        "gops",
        "n",
        "Gminny Ośrodek Pomocy Społecznej w Radomsku",
        "GOPS",
        "1",  # sector by its number: pomoc i integracja społeczna
        "Radomsko",  # ambiguous: the walk-in is refused with the reason, nothing saved
        "t",
        "gops",
        "n",
        "Gminny Ośrodek Pomocy Społecznej w Radomsku",
        "GOPS",
        "pomoc spoleczna",
        "1012122",
        "t",
    ]
    result = run("spotkania", "prowadz", str(world["meeting"]), input="\n".join(script))
    assert result.exit_code == 0, result.stderr
    assert 'Błąd: gmina "Radomsko" jest niejednoznaczna' in result.stdout
    assert query("SELECT nazwa, skrot, sektor, gmina FROM instytucje WHERE skrot = 'GOPS'") == [
        ("Gminny Ośrodek Pomocy Społecznej w Radomsku", "GOPS", "pomoc_spoleczna", "1012122")
    ]
    assert query("SELECT count(*) FROM obecnosci") == [(1,)]
