"""Teams (PZK) and their membership, derived from dated declarations."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.dates import parse_event_date
from kooperacje.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kooperacje.register import institutions, teryt, validate
from kooperacje.store.changes import Change, update
from kooperacje.store.db import now
from kooperacje.teams import areas, projects
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Team:
    """One PZK: the partnership of one gmina."""

    id: int
    uuid: str
    nazwa: str
    gmina: str
    gmina_nazwa: str
    gmina_rodzaj: str
    powiat: str | None
    wojewodztwo: str
    lider: int | None
    lider_nazwa: str | None
    projekt: str | None  # the project's name, as typed
    data_utworzenia: str | None
    projekt_id: int | None  # the project's number
    misja: str | None  # what the team is for, in one sentence
    obszar: str | None  # the area beyond its gmina: TERYT codes joined with ","
    # For a team merged from another coordinator's file (`kooperacje scal`): the file's
    # name and when it was merged (UTC).
    zrodlo: str | None
    scalono: str | None

    @property
    def obszar_kody(self) -> tuple[str, ...]:
        """The gminas (7 digits) and powiats (4 digits) its area covers besides its gmina."""
        return tuple(self.obszar.split(",")) if self.obszar else ()


@dataclass(frozen=True)
class Member:
    """An institution that is a member of a team on a given day."""

    instytucja: int
    nazwa: str
    skrot: str | None
    sektor: str
    sektor_nazwa: str
    od: str  # date of the joining declaration in force


SELECT = """
    SELECT z.id, z.uuid, z.nazwa, z.gmina, g.nazwa AS gmina_nazwa, g.rodzaj AS gmina_rodzaj,
           g.powiat, g.wojewodztwo, z.lider, l.nazwa AS lider_nazwa, p.nazwa AS projekt,
           z.data_utworzenia, z.projekt AS projekt_id, z.misja,
           (SELECT group_concat(teryt, ',') FROM (
                SELECT teryt FROM zespoly_obszar WHERE zespol = z.id ORDER BY teryt)) AS obszar,
           po.plik AS zrodlo, po.scalono
    FROM zespoly z
    JOIN teryt g ON g.kod = z.gmina
    LEFT JOIN instytucje l ON l.id = z.lider
    LEFT JOIN projekty p ON p.id = z.projekt
    LEFT JOIN _pochodzenie po ON po.zespol = z.id
"""


def _team(row: dict[str, Any]) -> Team:
    return Team(**row)


def get(db: Database, team_id: int) -> Team:
    rows = list(db.query(SELECT + " WHERE z.id = :id", {"id": team_id}))
    if not rows:
        raise NotFound(
            f"nie ma zespołu o numerze {team_id}. "
            "Sprawdź numer poleceniem: kooperacje zespoly lista."
        )
    return _team(rows[0])


def for_gmina(db: Database, gmina: str) -> Team:
    """The team of a gmina given as TERYT code or unique name: the team seated there, else
    the one whose area covers the gmina or its powiat."""
    unit = teryt.resolve_gmina(db, gmina)
    rows = list(db.query(SELECT + " WHERE z.gmina = :g", {"g": unit.kod}))
    if not rows:
        rows = list(
            db.query(
                SELECT + " WHERE z.id IN (SELECT zespol FROM zespoly_obszar "
                "WHERE teryt IN (:g, :p)) ORDER BY z.id",
                {"g": unit.kod, "p": unit.powiat_kod},
            )
        )
        if len(rows) > 1:
            listing = "; ".join(f"{r['id']}: {r['nazwa']}" for r in rows)
            raise Ambiguous(
                f"gmina {unit.nazwa} ({unit.kod}) należy do obszaru kilku zespołów: {listing}. "
                "Podaj zespół: --zespol NUMER."
            )
    if not rows:
        raise NotFound(
            f"gmina {unit.nazwa} ({unit.kod}, {unit.rodzaj}) nie ma jeszcze zespołu. "
            f"Załóż go poleceniem: kooperacje zespoly zaloz --gmina {unit.kod}."
        )
    return _team(rows[0])


def resolve(db: Database, text: str) -> Team:
    """A team by id, by its name, or by its gmina (code or unique name)."""
    value = text.strip()
    if value.isdigit() and len(value) != 7:
        return get(db, int(value))
    if value.isdigit():
        return for_gmina(db, value)
    rows = list(db.query(SELECT + " WHERE pl_fold(z.nazwa) = :n", {"n": fold(value)}))
    if len(rows) == 1:
        return _team(rows[0])
    if len(rows) > 1:
        listing = "; ".join(f"{r['id']}: {r['nazwa']} ({r['gmina']})" for r in rows)
        raise Ambiguous(f'zespół "{value}" jest niejednoznaczny: {listing}. Podaj numer zespołu.')
    return for_gmina(db, value)


def team_of(db: Database, *, gmina: str | None, zespol: str | None) -> Team:
    """The team chosen with `--gmina G` or `--zespol Z` (exactly one of them)."""
    if (gmina is None) == (zespol is None):
        raise InvalidInput("wskaż zespół: podaj --gmina G albo --zespol Z (jedno z nich).")
    return for_gmina(db, gmina) if gmina is not None else resolve(db, zespol or "")


def context_of(team: Team) -> institutions.Context:
    """Where an institution named in a command about this team is looked for first: its
    members and leader, then its gmina and the gminas of its area, then their powiats."""
    area = team.obszar_kody
    gminas = (team.gmina, *(c for c in area if len(c) == 7))
    powiats = (team.powiat, *(c[:4] for c in area)) if team.powiat else tuple(c[:4] for c in area)
    return institutions.Context(
        zespoly=(team.id,),
        gminy=gminas,
        powiaty=tuple(dict.fromkeys(powiats)),
        opis=f"zespołu „{team.nazwa}”",
    )


def members_on(db: Database, team_id: int, day: dt.date | None = None) -> list[Member]:
    """Members of the team on `day` (default: today).

    An institution is a member if its latest declaration towards the team dated
    on or before the day is a joining one; declarations of the same day count in
    the order they were recorded.
    """
    when = (day or dt.date.today()).isoformat()
    rows = db.query(
        """
        WITH last AS (
            SELECT d.instytucja, d.rodzaj, d.data,
                   row_number() OVER (
                       PARTITION BY d.instytucja ORDER BY d.data DESC, d.id DESC
                   ) AS n
            FROM deklaracje d
            WHERE d.zespol = :zespol AND d.data <= :dzien
        )
        SELECT i.id AS instytucja, i.nazwa, i.skrot, i.sektor, s.nazwa AS sektor_nazwa,
               last.data AS od
        FROM last
        JOIN instytucje i ON i.id = last.instytucja
        JOIN sektory s ON s.kod = i.sektor
        WHERE last.n = 1 AND last.rodzaj = 'przystapienie'
        """,
        {"zespol": team_id, "dzien": when},
    )
    return sorted((Member(**r) for r in rows), key=lambda m: polish_key(m.nazwa))


def default_name(unit: teryt.Unit) -> str:
    """'Partnerski Zespół Kooperacyjny – Radomsko (gmina miejska)': the kind tells
    the town from the rural gmina of the same name."""
    return f"Partnerski Zespół Kooperacyjny – {unit.nazwa} ({unit.rodzaj})"


def _check_name(db: Database, name: str, team_id: int | None = None) -> str:
    text = validate.clean(name)
    if not text:
        raise InvalidInput("nazwa zespołu nie może być pusta. Podaj nazwę w --nazwa.")
    if len(text) > 300:
        raise InvalidInput(
            f"nazwa zespołu jest za długa ({len(text)} znaków, najwyżej 300). Skróć ją."
        )
    if text.isdigit():
        raise InvalidInput(
            f'nazwa zespołu "{text}" składa się z samych cyfr i myliłaby się z numerem zespołu '
            "lub kodem TERYT. Wpisz nazwę słowami."
        )
    rows = list(
        db.query(
            "SELECT id, nazwa FROM zespoly WHERE pl_fold(nazwa) = :n AND id IS NOT :id",
            {"n": fold(text), "id": team_id},
        )
    )
    if rows:
        raise Conflict(
            f"nazwę „{text}” nosi już zespół nr {rows[0]['id']}. Wybierz inną nazwę (--nazwa)."
        )
    return text


def _leader(db: Database, text: str | None, where: institutions.Context) -> int | None:
    value = validate.clean(text)
    return None if value is None else institutions.resolve(db, value, where).id


def _project(db: Database, text: str | None) -> int | None:
    value = validate.clean(text)
    return None if value is None else projects.resolve(db, value).id


def _mission(text: str | None) -> str | None:
    value = validate.clean(text)
    if value is None:
        return None
    if "\n" in value or "\t" in value:
        raise InvalidInput("misja zespołu to jedno zdanie w jednym wierszu. Usuń podział wierszy.")
    if len(value) > 400:
        raise InvalidInput(
            f"misja zespołu jest za długa ({len(value)} znaków, najwyżej 400): to ma być "
            "jedno zdanie. Skróć ją."
        )
    return value


def _founding(text: str | None) -> str | None:
    value = validate.clean(text)
    return None if value is None else parse_event_date(value).isoformat()


def create(
    db: Database,
    *,
    gmina: str,
    nazwa: str | None = None,
    lider: str | None = None,
    projekt: str | None = None,
    data: str | None = None,
    misja: str | None = None,
    obszar: Sequence[str] = (),
) -> Team:
    """Found the team (PZK) of a gmina; a gmina has at most one team. `obszar` lists the
    gminas and powiats its area covers besides its gmina."""
    unit = teryt.resolve_gmina(db, gmina)
    existing = list(db.query("SELECT id, nazwa FROM zespoly WHERE gmina = :g", {"g": unit.kod}))
    if existing:
        team = existing[0]
        raise Conflict(
            f"gmina {unit.nazwa} ({unit.kod}, {unit.rodzaj}) ma już zespół: "
            f"„{team['nazwa']}” (nr {team['id']}). Gmina może mieć tylko jeden zespół; "
            f"zmień jego dane poleceniem: kooperacje zespoly edytuj {team['id']}."
        )
    name = _check_name(db, validate.clean(nazwa) or default_name(unit))
    row = {
        "uuid": str(uuid.uuid4()),
        "gmina": unit.kod,
        "nazwa": name,
        "lider": _leader(db, lider, institutions.gmina_context(db, unit.kod)),
        "projekt": _project(db, projekt),
        "data_utworzenia": _founding(data),
        "misja": _mission(misja),
        "utworzono": now(),
        "zmieniono": now(),
    }
    with db.atomic():
        team_id = db.table("zespoly").insert(row).last_rowid
        assert team_id is not None
        areas.change(db, team_id, unit.kod, added=obszar)
    return get(db, team_id)


@dataclass(frozen=True)
class TeamEdit:
    """The result of an edit: the team as it is now and what changed."""

    zespol: Team
    zmiany: tuple[Change, ...]


# Columns of `zespoly` an edit may change, in the order changes are reported.
EDITABLE = ("nazwa", "lider", "projekt", "data_utworzenia", "misja")


def _shown(db: Database, column: str, value: Any) -> str | None:
    if value is None:
        return None
    if column == "lider":
        return institutions.get(db, int(value)).label
    if column == "projekt":
        return projects.get(db, int(value)).label
    return str(value)


def apply_edit(
    db: Database,
    ref: str,
    *,
    nazwa: str | None = None,
    lider: str | None = None,
    projekt: str | None = None,
    data: str | None = None,
    misja: str | None = None,
    obszar: Sequence[str] = (),
    bez_obszaru: Sequence[str] = (),
) -> TeamEdit:
    """Change the given fields of a team (None: keep; "" clears leader, project, date).

    Every changed field is logged in `_zmiany`.
    """
    team = resolve(db, ref)
    values: dict[str, Any] = {}
    if nazwa is not None:
        values["nazwa"] = _check_name(db, nazwa, team.id)
    if lider is not None:
        values["lider"] = _leader(db, lider, context_of(team))
    if projekt is not None:
        values["projekt"] = _project(db, projekt)
    if data is not None:
        values["data_utworzenia"] = _founding(data)
    if misja is not None:
        values["misja"] = _mission(misja)
    if not values and not obszar and not bez_obszaru:
        raise InvalidInput(
            "nie podano nic do zmiany. Podaj co najmniej jedną z opcji: "
            "--nazwa, --lider, --projekt, --data, --misja, --obszar, --bez-obszaru."
        )
    current = {name: getattr(team, name) for name in EDITABLE} | {"projekt": team.projekt_id}
    with db.atomic():
        changed = update(db, "zespoly", team.id, values) if values else {}
        listed = areas.change(db, team.id, team.gmina, obszar, bez_obszaru)
    return TeamEdit(
        zespol=get(db, team.id),
        zmiany=tuple(
            Change(name, _shown(db, name, current[name]), _shown(db, name, changed[name]))
            for name in EDITABLE
            if name in changed
        )
        + tuple(listed),
    )


def edit(
    db: Database,
    ref: str,
    *,
    nazwa: str | None = None,
    lider: str | None = None,
    projekt: str | None = None,
    data: str | None = None,
    misja: str | None = None,
) -> Team:
    """Change the given fields of a team (see apply_edit); returns the team as it is now."""
    return apply_edit(
        db, ref, nazwa=nazwa, lider=lider, projekt=projekt, data=data, misja=misja
    ).zespol
