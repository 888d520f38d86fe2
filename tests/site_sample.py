"""A database of three teams in three voivodeships, for the site and summary tests."""

from __future__ import annotations

from pathlib import Path

from tests import factories

K3D = "Kooperacje 3D – model wielosektorowej współpracy na rzecz wsparcia osób i rodzin"
KES = "Kooperacja – efektywna i skuteczna"


def build(path: Path) -> None:
    """Radomsko (łódzkie, III), Zawiercie (śląskie, III), Nakło nad Notecią (II).

    Radomsko in 2019: MOPS, PCPR, police, school join; the school leaves on 2019-11-20.
    Two meetings: 2019-09-25 (initiating, before anyone joined) and 2019-12-02, where
    2 of the 3 members came. Zawiercie: two members, one meeting in January 2020 with
    both. Nakło: one member, no meeting.
    """
    conn = factories.connect(path)
    inst = factories.institution
    mops = inst(conn, "Miejski Ośrodek Pomocy Społecznej w Radomsku", skrot="MOPS")
    pcpr = inst(conn, "Powiatowe Centrum Pomocy Rodzinie", skrot="PCPR", sektor="rodzina")
    kpp = inst(conn, "Komenda Powiatowa Policji w Radomsku", skrot="KPP", sektor="policja")
    school = inst(conn, "Szkoła Podstawowa nr 1", sektor="edukacja")
    radomsko = factories.team(
        conn, "1012011", "PZK Radomsko", projekt=K3D, lider=mops, data_utworzenia="2019-09-25"
    )
    first = factories.meeting(conn, radomsko, "2019-09-25", "Galeria Muzeum Regionalnego")
    second = factories.meeting(conn, radomsko, "2019-12-02", "Sala MOPS", rodzaj="posiedzenie")
    for who in (mops, pcpr, kpp, school):
        factories.attendance(conn, first, who)
    factories.attendance(conn, second, mops)
    factories.attendance(conn, second, kpp)
    for who in (mops, pcpr, kpp, school):
        factories.declaration(conn, radomsko, who, "2019-10-09")
    factories.declaration(conn, radomsko, school, "2019-11-20", rodzaj="wystapienie")
    factories.service(conn, pcpr, "Poradnictwo rodzinne", "wspieranie_rodziny", zasieg=("1012",))
    factories.service(conn, mops, "Praca socjalna", "pomoc_spoleczna")
    factories.service(conn, mops, "Stara usługa", "kultura", status="zakonczona")

    mops_z = inst(conn, "Miejski Ośrodek Pomocy Społecznej w Zawierciu", gmina="2416021")
    pup_z = inst(conn, "Powiatowy Urząd Pracy", gmina="2416021", sektor="rynek_pracy")
    zawiercie = factories.team(conn, "2416021", "PZK Zawiercie", projekt=K3D, lider=mops_z)
    for who in (mops_z, pup_z):
        factories.declaration(conn, zawiercie, who, "2019-12-10")
    meeting = factories.meeting(conn, zawiercie, "2020-01-15", "Urząd Miejski", rodzaj="warsztat")
    factories.attendance(conn, meeting, mops_z)
    factories.attendance(conn, meeting, pup_z)
    factories.service(conn, pup_z, "Staże", "bezrobocie", zasieg=("24",))

    mgops = inst(conn, "MGOPS w Nakle nad Notecią", gmina="0410033")
    naklo = factories.team(conn, "0410033", "PZK Nakło", projekt=KES, lider=mgops)
    factories.declaration(conn, naklo, mgops, "2020-02-01")
    conn.close()
