"""`kooperacje spotkania prowadz S`: the registration-table dialogue of a meeting.

Line-based, so it works on a terminal and with scripted stdin alike. The actions live in
`kooperacje.session`; each commits when confirmed, so Ctrl-C or EOF lose only the entry
being typed, and leaving always prints the summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kooperacje.basket import service_edits
from kooperacje.commands._common import get_db
from kooperacje.dates import polish_date
from kooperacje.errors import KooperacjeError
from kooperacje.output import info
from kooperacje.register import persons
from kooperacje.register.institutions import Institution
from kooperacje.register.vocab import SECTORS, SERVICE_AREAS, Vocabulary
from kooperacje.teams import session
from kooperacje.teams.meetings import Meeting
from kooperacje.teams.session import Summary

if TYPE_CHECKING:
    from sqlite_utils import Database


HELP = (
    "Wpisz kilka liter nazwy albo skrótu instytucji (wielkość liter i polskie znaki "
    "nie mają znaczenia).\n"
    "W każdej chwili: x – anuluj bieżący wpis; k – zakończ i pokaż podsumowanie; ? – pomoc."
)


class Cancelled(Exception):
    """The user typed x: drop the entry being typed."""


class Finished(Exception):
    """The user typed k: end the session."""


def ask(prompt: str) -> str:
    """One line of input; x cancels the entry, k ends the session, EOF propagates."""
    answer = input(prompt).strip()
    if answer.lower() == "x":
        raise Cancelled
    if answer.lower() == "k":
        raise Finished
    return answer


def yes(prompt: str) -> bool:
    while True:
        answer = ask(prompt + " [t/n]> ").lower()
        if answer in ("t", "tak", "y"):
            return True
        if answer in ("n", "nie"):
            return False
        info("Odpowiedz t (tak) albo n (nie).")


def choose_term(vocabulary: Vocabulary, prompt: str) -> str:
    """A vocabulary code by number, code, label, fragment or near miss."""

    while True:
        answer = ask(prompt)
        if answer.isdigit() and 1 <= int(answer) <= len(vocabulary.items):
            return vocabulary.items[int(answer) - 1][0]
        code = session.match_term(vocabulary, answer) if answer != "?" else None
        if code is not None:
            info(f"  → {vocabulary.label(code)}")
            return code
        if answer != "?":
            info(f"Nie rozpoznano „{answer}”. Wybierz numer z listy:")
        for n, (_, label) in enumerate(vocabulary.items, start=1):
            info(f"  {n:>2}. {label}")


def pick(db: Database, meeting: Meeting, text: str) -> Institution:
    """An institution from the matches of what was typed, or a walk-in added now."""

    while True:
        found = session.find(db, text, meeting=meeting)
        if found:
            for n, institution in enumerate(found, start=1):
                short = f" ({institution.skrot})" if institution.skrot else ""
                info(f"  {n}. {institution.nazwa}{short}, {institution.gmina_nazwa}")
        else:
            info(f"Nie znaleziono instytucji „{text}”.")
        info("  n. nowa instytucja (nie ma jej w bazie)   x. anuluj   albo wpisz inne litery")
        answer = ask("Wybór> ")
        if answer.isdigit() and 1 <= int(answer) <= len(found):
            chosen = found[int(answer) - 1]
            session.check_in(db, meeting.id, chosen.id)
            info(f"✓ Obecna: {chosen.nazwa}.")
            return chosen
        if answer.lower() == "n":
            return walk_in(db, meeting, text)
        if answer:
            text = answer


def walk_in(db: Database, meeting: Meeting, typed: str) -> Institution:

    nazwa = ask(f"Pełna nazwa [Enter: {typed}]> ") or typed
    skrot = ask("Skrót [Enter: brak]> ") or None
    sektor = choose_term(SECTORS, "Sektor (nazwa, kod albo numer; ? lista)> ")
    gmina = ask(f"Gmina siedziby: kod TERYT albo nazwa [Enter: {meeting.gmina_nazwa}]> ")
    where = f"gmina {gmina or meeting.gmina_nazwa}"
    if not yes(f"Dodać „{nazwa}” ({SECTORS.label(sektor)}, {where}) jako obecną?"):
        raise Cancelled
    new = session.walk_in(db, meeting, nazwa=nazwa, sektor=sektor, skrot=skrot, gmina=gmina or None)
    info(f"✓ Dodano instytucję nr {new.id} i zapisano obecność (uzupełnij jej dane później).")
    return new


def person(db: Database, meeting: Meeting, institution: Institution) -> str | None:
    """Who came for the institution; returns the name, or None when skipped."""

    staff = persons.list_(db, instytucja=str(institution.id))
    for n, p in enumerate(staff, start=1):
        info(f"  {n}. {p.imie_nazwisko}" + (f" ({p.stanowisko})" if p.stanowisko else ""))
    while True:
        answer = ask("Kto przyszedł? numer, imię i nazwisko nowej osoby [Enter: pomiń]> ")
        if not answer:
            return None
        if not answer.isdigit():
            chosen = session.match_person(staff, answer)
            break
        if 0 < int(answer) <= len(staff):
            chosen = staff[int(answer) - 1]
            break
        info(f"Nie ma osoby o numerze {answer}; wybierz z listy albo wpisz imię i nazwisko.")
    if chosen is not None:
        session.attend_person(db, meeting.id, institution.id, chosen.id)
        info(f"✓ Przyszedł(-ła): {chosen.imie_nazwisko}.")
        return chosen.imie_nazwisko
    stanowisko = ask(f"Stanowisko: {answer} [Enter: brak]> ") or None
    added = session.new_person(db, meeting.id, institution.id, answer, stanowisko)
    info(f"✓ Dodano przedstawiciela: {added.imie_nazwisko}.")
    return added.imie_nazwisko


def declaration(db: Database, meeting: Meeting, institution: Institution, who: str | None) -> None:

    if session.is_member(db, meeting, institution.id):
        info("Instytucja jest już członkiem zespołu.")
        return
    if not yes("Podpisała deklarację przystąpienia na tym spotkaniu?"):
        return

    signer = ask(f"Kto podpisał [Enter: {who or 'nie podawać'}]> ") or who
    try:
        signed = session.sign(db, meeting, institution.id, signer)
    except KooperacjeError as exc:
        # The check-in stands; the guest may still present services.
        info(f"Błąd: {exc.message} Deklaracji nie zapisano.")
        return
    info(f"✓ Zapisano deklarację przystąpienia nr {signed.id}.")


def services(db: Database, meeting: Meeting, institution: Institution) -> None:

    while True:
        nazwa = ask("Prezentowana usługa: nazwa [Enter: koniec usług]> ")
        if not nazwa:
            return
        obszar = choose_term(SERVICE_AREAS, "Obszar usługi (nazwa, kod albo numer; ? lista)> ")
        added = service_edits.present_at_meeting(db, meeting.id, institution.id, nazwa, obszar)
        info(f"✓ Dodano do koszyka usługę nr {added.id}: {added.nazwa} ({added.obszar_nazwa}).")


def entry(db: Database, meeting: Meeting, text: str) -> None:
    """One guest at the table: institution, person, declaration, services."""
    institution = pick(db, meeting, text)
    who = person(db, meeting, institution)
    declaration(db, meeting, institution, who)
    services(db, meeting, institution)


def show_summary(found: Summary) -> None:

    m = found.spotkanie
    info("")
    info(f"Podsumowanie spotkania nr {m.id} ({polish_date(m.data)}, {m.miejsce_opis})")
    count = len({a.instytucja for a in found.obecni})
    info(f"Obecne instytucje: {count}")
    previous = None
    for a in found.obecni:
        if a.sektor != previous:
            info(f"  {a.sektor_nazwa}:")
            previous = a.sektor
        info(f"    – {a.instytucja_nazwa}" + (f": {a.osoba_nazwa}" if a.osoba_nazwa else ""))
    info(f"Deklaracje przystąpienia podpisane na spotkaniu: {len(found.deklaracje)}")
    for line in found.deklaracje:
        info(f"  – {line}")
    if found.brakujace:
        info("Sektory bez członka w zespole (★ sektor kluczowy):")
        for s in found.brakujace:
            info(f"  {'★' if s.kluczowy else '–'} {s.nazwa}")
    else:
        info("Zespół ma członków we wszystkich sektorach.")


def run(db: Database, meeting_id: int) -> None:

    meeting = session.get_meeting(db, meeting_id)
    info(
        f"Spotkanie nr {meeting.id}: {meeting.rodzaj_nazwa}, {polish_date(meeting.data)}, "
        f"{meeting.miejsce_opis} (zespół „{meeting.zespol_nazwa}”)."
    )
    info(HELP)
    try:
        while True:
            try:
                text = ask("Instytucja> ")
                if text == "?":
                    info(HELP)
                elif text:
                    entry(db, meeting, text)
            except Cancelled:
                info("Anulowano bieżący wpis (zapisane wcześniej dane zostają).")
            except KooperacjeError as exc:
                info(f"Błąd: {exc.message} Wpis przerwany; spróbuj ponownie.")
    except Finished:
        pass
    except (EOFError, KeyboardInterrupt):
        info("\nPrzerwano: zapisane zostało wszystko, co zatwierdzono.")
    show_summary(session.summary(db, meeting.id))


def prowadz(
    ctx: typer.Context,
    spotkanie: Annotated[int, typer.Argument(help="Numer spotkania (z polecenia lista).")],
) -> None:
    """Prowadź spotkanie przy stoliku rejestracji: obecność, osoby, deklaracje, usługi.

    Każda zatwierdzona czynność zapisuje się od razu; działa też z danymi z potoku.
    Przykład: kooperacje spotkania prowadz 1
    """
    run(get_db(ctx), spotkanie)
