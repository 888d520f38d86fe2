"""A realistic basket of powiat radomszczański for the tests of filters, search, gaps
and the HSDS export: providers at gmina, powiat and voivodeship level, age ranges,
costs, places, and services that are suspended or closed."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests import factories

RADOMSKO_MIASTO = "1012011"
RADOMSKO_WIES = "1012122"
GIDLE = "1012032"  # another gmina of powiat radomszczański
PIOTRKOW = "1062011"


def build(db_path: Path, template: Path) -> dict[str, int]:
    """Insert the basket into a fresh copy of the migrated template; returns ids."""
    shutil.copyfile(template, db_path)
    conn = factories.connect(db_path)
    inst = factories.institution
    pcpr = inst(
        conn,
        "Powiatowe Centrum Pomocy Rodzinie w Radomsku",
        skrot="PCPR",
        sektor="rodzina",
        adres="ul. Tkacka 5",
        kod_pocztowy="97-500",
        miejscowosc="Radomsko",
        telefon="+48 44 683 28 82",
        email="pcpr@radomsko.pl",
        www="https://pcpr.radomsko.pl",
        nip="7722196412",
    )
    mops = inst(conn, "Miejski Ośrodek Pomocy Społecznej w Radomsku", skrot="MOPS")
    poradnia = inst(conn, "Poradnia Zdrowia Psychicznego w Radomsku", sektor="zdrowie", skrot="PZP")
    gops = inst(conn, "Gminny Ośrodek Pomocy Społecznej w Radomsku", gmina=RADOMSKO_WIES)
    lodz = inst(conn, "Stowarzyszenie Pomocy Rodzinie z Łodzi", sektor="ngo", gmina="1061011")
    mopr = inst(conn, "Miejski Ośrodek Pomocy Rodzinie w Piotrkowie", gmina=PIOTRKOW)
    svc = factories.service
    ids = {
        "pcpr": pcpr,
        "mops": mops,
        "poradnia": poradnia,
        "interwencja": svc(
            conn,
            pcpr,
            "Interwencja kryzysowa",
            "wspieranie_rodziny",
            zasieg=("1012",),
            grupy=("rodziny", "przemoc"),
            opis="Pomoc psychologiczna i prawna w kryzysie",
            bezplatna=1,
            odplatnosc="bezpłatnie",
            godziny="8:00–15:00",
            dni="pn,wt,sr,cz,pt",
            kontakt_osoba="Anna Nowak",
            kontakt_telefon="+48 44 683 28 82",
            kontakt_email="interwencja@radomsko.pl",
            zweryfikowano="2026-01-10",
            zweryfikowal="Anna Nowak",
        ),
        "mlodziez": svc(
            conn,
            poradnia,
            "Konsultacje psychologiczne dla młodzieży",
            "zdrowie",
            zasieg=(RADOMSKO_MIASTO,),
            grupy=("dzieci_mlodziez",),
            wiek_od=13,
            wiek_do=18,
            bezplatna=1,
            kryteria="Uczniowie szkół w Radomsku",
            miejsce="adres",
            adres="ul. Reymonta 3",
            kod_pocztowy="97-500",
            miejscowosc="Radomsko",
        ),
        "senior": svc(
            conn,
            mops,
            "Usługi opiekuńcze",
            "pomoc_spoleczna",
            zasieg=(RADOMSKO_MIASTO,),
            grupy=("seniorzy",),
            wiek_od=60,
            bezplatna=0,
            odplatnosc="odpłatne według dochodu",
            zweryfikowano="2024-05-01",
        ),
        "telefon": svc(
            conn,
            lodz,
            "Telefon zaufania dla rodzin",
            "wspieranie_rodziny",
            zasieg=("10",),
            grupy=("rodziny",),
            miejsce="telefon",
        ),
        "gops": svc(conn, gops, "Praca socjalna", "pomoc_spoleczna", zasieg=(RADOMSKO_WIES,)),
        "piotrkow": svc(conn, mopr, "Klub seniora", "aktywnosc_obywatelska", zasieg=(PIOTRKOW,)),
        "zawieszona": svc(
            conn,
            pcpr,
            "Grupa wsparcia psychologicznego",
            "piecza_zastepcza",
            zasieg=("1012",),
            status="zawieszona",
        ),
        "zakonczona": svc(
            conn,
            mops,
            "Program Senior+ psychologiczny",
            "pomoc_spoleczna",
            zasieg=(RADOMSKO_MIASTO,),
            grupy=("seniorzy",),
            status="zakonczona",
        ),
    }
    team = factories.team(conn)
    factories.declaration(conn, team, mops, "2019-10-09")
    factories.declaration(conn, team, pcpr, "2019-10-09")
    factories.declaration(conn, team, poradnia, "2019-10-09")
    factories.declaration(conn, team, poradnia, "2020-02-01", rodzaj="wystapienie")
    ids["zespol"] = team
    conn.close()
    return ids
