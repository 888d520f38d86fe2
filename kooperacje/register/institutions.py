"""Institutions (kooperanci): register, find, edit, remove."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kooperacje.register import validate
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

    from kooperacje.register.persons import Person


@dataclass(frozen=True)
class Institution:
    """One row of `instytucje`, with the labels a user reads."""

    id: int
    uuid: str
    nazwa: str
    skrot: str | None
    sektor: str
    sektor_nazwa: str
    gmina: str
    gmina_nazwa: str
    adres: str | None
    kod_pocztowy: str | None
    miejscowosc: str | None
    telefon: str | None
    email: str | None
    www: str | None
    nip: str | None
    regon: str | None
    uwagi: str | None

    @property
    def label(self) -> str:
        """'Powiatowe Centrum Pomocy Rodzinie w Radomsku (PCPR, nr 3)'."""
        short = f"{self.skrot}, " if self.skrot else ""
        return f"{self.nazwa} ({short}nr {self.id})"


@dataclass(frozen=True)
class Change:
    """One edited field: its column name and the old and new values as a user reads them."""

    pole: str
    stara: str | None
    nowa: str | None


@dataclass(frozen=True)
class Edit:
    """The result of an edit: the record as it is now and what changed."""

    instytucja: Institution
    zmiany: tuple[Change, ...]


@dataclass(frozen=True)
class TeamMembership:
    """A team the institution belongs to on a given day."""

    zespol: int
    nazwa: str
    gmina: str
    gmina_nazwa: str
    od: str  # date of the joining declaration in force


@dataclass(frozen=True)
class Details:
    """Everything `instytucje pokaz` shows."""

    instytucja: Institution
    przedstawiciele: tuple[Person, ...]
    zespoly: tuple[TeamMembership, ...]
    uslugi: int


@dataclass(frozen=True)
class Removal:
    """An institution that may be deleted, and how many representatives go with it."""

    instytucja: Institution
    przedstawiciele: int


SELECT = """
    SELECT i.id, i.uuid, i.nazwa, i.skrot, i.sektor, s.nazwa AS sektor_nazwa,
           i.gmina, g.nazwa AS gmina_nazwa, i.adres, i.kod_pocztowy, i.miejscowosc,
           i.telefon, i.email, i.www, i.nip, i.regon, i.uwagi
    FROM instytucje i
    JOIN sektory s ON s.kod = i.sektor
    JOIN teryt g ON g.kod = i.gmina
"""

# Editable columns in the order a user reads them.
FIELDS: tuple[str, ...] = (
    *("nazwa", "skrot", "sektor", "gmina", "adres", "kod_pocztowy", "miejscowosc"),
    *("telefon", "email", "www", "nip", "regon", "uwagi"),
)


def from_row(row: dict[str, Any]) -> Institution:
    return Institution(**row)


def get(db: Database, institution_id: int) -> Institution:
    """The institution with this id."""
    rows = list(db.query(SELECT + " WHERE i.id = :id", {"id": institution_id}))
    if not rows:
        raise NotFound(
            f"nie ma instytucji o numerze {institution_id}. "
            "Sprawdź numer poleceniem: kooperacje instytucje lista."
        )
    return from_row(rows[0])


# The stored folded names (m007) are compared through indexes. A row whose nazwa_szukaj is
# NULL was written by another client (or renamed there: a trigger then clears the column),
# so it is folded here instead; an index finds those rows too.
_EQUAL = """(i.nazwa_szukaj = :n OR i.skrot_szukaj = :n
    OR (i.nazwa_szukaj IS NULL AND (pl_fold(i.nazwa) = :n OR pl_fold(i.skrot) = :n)))"""
# A fragment: the first part scans only the narrow index (nazwa_szukaj, skrot_szukaj),
# not the whole table (a substring cannot use a B-tree), until full-text search.
_MATCHING = """i.id IN (
    SELECT id FROM instytucje
    WHERE nazwa_szukaj LIKE :p{escape} OR skrot_szukaj LIKE :p{escape}
    UNION ALL
    SELECT id FROM instytucje
    WHERE nazwa_szukaj IS NULL
      AND (pl_fold(nazwa) LIKE :p{escape} OR pl_fold(skrot) LIKE :p{escape}))"""


def folded_names(values: Mapping[str, Any]) -> dict[str, str | None]:
    """The stored folded columns for these nazwa and skrot (the lookups compare those)."""
    short = values.get("skrot")
    return {
        "nazwa_szukaj": fold(str(values["nazwa"])),
        "skrot_szukaj": None if short is None else fold(str(short)),
    }


def resolve(db: Database, text: str) -> Institution:
    """An institution by id, or by unique name or short name (case/diacritics-insensitive)."""
    value = text.strip()
    if not value:
        raise InvalidInput("podaj instytucję: jej numer, nazwę albo skrót.")
    if value.isdigit():
        return get(db, int(value))
    folded = fold(value)
    rows = list(db.query(SELECT + " WHERE " + _EQUAL, {"n": folded}))
    if not rows:
        # A unique fragment of the name is enough ("pcpr radom").
        matching = _MATCHING.format(escape="")
        rows = list(db.query(SELECT + " WHERE " + matching, {"p": f"%{folded}%"}))
    found = sorted((from_row(r) for r in rows), key=lambda i: polish_key(i.nazwa))
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(
            f'nie znaleziono instytucji "{value}". Sprawdź nazwę poleceniem: '
            f'kooperacje instytucje lista --szukaj "{value}".'
        )
    listing = "; ".join(f"{i.id}: {i.nazwa} ({i.gmina_nazwa})" for i in found[:10])
    more = f" i {len(found) - 10} innych" if len(found) > 10 else ""
    raise Ambiguous(
        f'instytucja "{value}" jest niejednoznaczna: {listing}{more}. Podaj numer instytucji.'
    )


# --- validation -------------------------------------------------------------------------


def _name(value: str) -> str:
    text = validate.clean(value)
    if not text:
        raise InvalidInput("nazwa instytucji nie może być pusta. Podaj pełną nazwę instytucji.")
    if len(text) > 300:
        raise InvalidInput(
            f"nazwa instytucji jest za długa ({len(text)} znaków, najwyżej 300). Skróć ją."
        )
    if text.isdigit():
        # A number on the command line means an id (see resolve).
        raise InvalidInput(
            f'nazwa instytucji "{text}" składa się z samych cyfr. Podaj nazwę słowami.'
        )
    return text


def _short(value: str | None) -> str | None:
    text = validate.clean(value)
    if text is None:
        return None
    if len(text) > 30:
        raise InvalidInput(
            f'skrót "{text}" jest za długi ({len(text)} znaków, najwyżej 30). '
            "Podaj skrót w rodzaju PCPR, MOPS, KPP."
        )
    if text.isdigit():
        raise InvalidInput(f'skrót "{text}" składa się z samych cyfr. Podaj skrót literowy.')
    return text


def _text(limit: int, what: str) -> Callable[[str | None], str | None]:
    def check(value: str | None) -> str | None:
        text = validate.clean(value)
        if text is not None and len(text) > limit:
            raise InvalidInput(
                f"{what} jest za długi ({len(text)} znaków, najwyżej {limit}). Skróć tekst."
            )
        return text

    return check


_OPTIONAL: dict[str, Callable[[str | None], str | None]] = {
    "skrot": _short,
    "adres": _text(300, "adres"),
    "kod_pocztowy": validate.postal_code,
    "miejscowosc": _text(100, "tekst w polu miejscowość"),
    "telefon": validate.phone,
    "email": validate.email,
    "www": validate.www,
    "nip": validate.nip,
    "regon": validate.regon,
    "uwagi": _text(2000, "tekst uwag"),
}


def _validated(db: Database, fields: Mapping[str, str | None]) -> dict[str, str | None]:
    """Check and normalise the given raw fields; an empty optional field becomes None."""
    from kooperacje.register import teryt
    from kooperacje.register.vocab import SECTORS

    values: dict[str, str | None] = {}
    for name, raw in fields.items():
        if name not in FIELDS:
            raise TypeError(f"unknown institution field: {name}")
        if raw is None:
            continue
        if name == "nazwa":
            values[name] = _name(raw)
        elif name == "gmina":
            if not raw.strip():
                raise InvalidInput("podaj gminę siedziby: 7-cyfrowy kod TERYT albo nazwę.")
            values[name] = teryt.resolve_gmina(db, raw).kod
        elif name == "sektor":
            if not raw.strip():
                raise InvalidInput(
                    "podaj sektor instytucji, np. pomoc_spoleczna, edukacja, zdrowie."
                )
            values[name] = SECTORS.parse(raw)
        else:
            values[name] = _OPTIONAL[name](raw)
    return values


def _check_unique(db: Database, values: Mapping[str, Any], own_id: int | None) -> None:
    """Refuse a second institution with the same NIP, REGON, or name in the same gmina."""
    params = {"own": own_id if own_id is not None else -1}
    checks = [
        ("nip", "i.nip = :v", f"NIP {values.get('nip')}"),
        ("regon", "i.regon = :v", f"REGON {values.get('regon')}"),
    ]
    for key, condition, what in checks:
        if values.get(key) is None:
            continue
        rows = list(
            db.query(SELECT + f" WHERE {condition} AND i.id != :own", {**params, "v": values[key]})
        )
        if rows:
            other = from_row(rows[0])
            raise Conflict(
                f"instytucja z numerem {what} jest już zapisana: {other.label}. "
                f"Sprawdź numer albo zobacz ten wpis: kooperacje instytucje pokaz {other.id}."
            )
    rows = list(
        db.query(
            SELECT + " WHERE i.gmina = :g AND pl_fold(i.nazwa) = :n AND i.id != :own",
            {**params, "g": values["gmina"], "n": fold(values["nazwa"])},
        )
    )
    if rows:
        other = from_row(rows[0])
        raise Conflict(
            f"w gminie {other.gmina_nazwa} ({other.gmina}) jest już instytucja o nazwie "
            f'"{other.nazwa}": {other.label}. Nie dodawaj jej drugi raz; zmiany wprowadź '
            f"poleceniem: kooperacje instytucje edytuj {other.id}."
        )


# --- commands' domain functions ----------------------------------------------------------


def add(
    db: Database,
    *,
    nazwa: str,
    gmina: str,
    sektor: str,
    skrot: str | None = None,
    adres: str | None = None,
    kod_pocztowy: str | None = None,
    miejscowosc: str | None = None,
    telefon: str | None = None,
    email: str | None = None,
    www: str | None = None,
    nip: str | None = None,
    regon: str | None = None,
    uwagi: str | None = None,
) -> Institution:
    """Register an institution from raw user input (gmina as code or name, sector as code
    or label); raises InvalidInput, NotFound, Ambiguous or Conflict and writes nothing then."""
    from kooperacje.store.db import now

    # The keyword arguments are the fields, named as the columns.
    raw = {name: value for name, value in locals().items() if name in FIELDS}
    values = {name: None for name in FIELDS} | _validated(db, raw)
    _check_unique(db, values, None)
    stamp = now()
    row = {
        "uuid": str(uuid.uuid4()),
        **values,
        **folded_names(values),
        "utworzono": stamp,
        "zmieniono": stamp,
    }
    new_id = db.table("instytucje").insert(row).last_rowid
    assert new_id is not None
    return get(db, new_id)


def list_(
    db: Database,
    *,
    gmina: str | None = None,
    sektor: str | None = None,
    szukaj: str | None = None,
) -> list[Institution]:
    """Institutions in Polish alphabetical order, optionally filtered by seat gmina, sector
    and a diacritics-insensitive fragment of the name or short name."""
    from kooperacje.register import teryt
    from kooperacje.register.vocab import SECTORS

    where = ["1 = 1"]
    params: dict[str, str] = {}
    if gmina is not None:
        params["gmina"] = teryt.resolve_gmina(db, gmina).kod
        where.append("i.gmina = :gmina")
    if sektor is not None:
        params["sektor"] = SECTORS.parse(sektor)
        where.append("i.sektor = :sektor")
    needle = fold(szukaj or "")
    if needle:
        # Escape LIKE wildcards so "%" or "_" typed by a user match literally.
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["p"] = f"%{escaped}%"
        where.append(_MATCHING.format(escape=" ESCAPE '\\'"))
    rows = db.query(SELECT + " WHERE " + " AND ".join(where), params)
    return sorted((from_row(r) for r in rows), key=lambda i: (polish_key(i.nazwa), i.id))


def details(db: Database, ref: str, day: dt.date | None = None) -> Details:
    """The institution with its representatives, the teams it belongs to on `day`
    (default: today; membership follows from dated declarations) and its services count."""
    from kooperacje.register import persons

    institution = resolve(db, ref)
    when = (day or dt.date.today()).isoformat()
    teams = db.query(
        """
        WITH last AS (
            SELECT d.zespol, d.rodzaj, d.data,
                   row_number() OVER (
                       PARTITION BY d.zespol ORDER BY d.data DESC, d.id DESC
                   ) AS n
            FROM deklaracje d
            WHERE d.instytucja = :id AND d.data <= :dzien
        )
        SELECT z.id AS zespol, z.nazwa, z.gmina, g.nazwa AS gmina_nazwa, last.data AS od
        FROM last
        JOIN zespoly z ON z.id = last.zespol
        JOIN teryt g ON g.kod = z.gmina
        WHERE last.n = 1 AND last.rodzaj = 'przystapienie'
        """,
        {"id": institution.id, "dzien": when},
    )
    services = db.execute(
        "SELECT count(*) FROM uslugi WHERE instytucja = :id", {"id": institution.id}
    ).fetchone()[0]
    return Details(
        instytucja=institution,
        przedstawiciele=tuple(persons.for_institutions(db, [institution.id])[institution.id]),
        zespoly=tuple(
            sorted((TeamMembership(**r) for r in teams), key=lambda t: polish_key(t.nazwa))
        ),
        uslugi=int(services),
    )


def _display(db: Database, field: str, value: str | None) -> str | None:
    """A stored value as a user reads it (labels for codes)."""
    if value is None:
        return None
    if field == "sektor":
        from kooperacje.register.vocab import SECTORS

        return SECTORS.label(value)
    if field == "gmina":
        from kooperacje.register import teryt

        unit = teryt.get_unit(db, value)
        return f"{unit.nazwa} ({unit.kod}, {unit.rodzaj})"
    return value


def apply_edit(db: Database, ref: str, **fields: str | None) -> Edit:
    """Change the given fields (raw user input, validated as in add); None means 'leave as
    is', an empty string clears an optional field. Every change is logged in `_zmiany`."""
    from kooperacje.store import changes

    institution = resolve(db, ref)
    values = _validated(db, fields)
    if not values:
        return Edit(instytucja=institution, zmiany=())
    current = {name: getattr(institution, name) for name in FIELDS}
    _check_unique(db, current | values, institution.id)
    with db.atomic():
        changed = changes.update(db, "instytucje", institution.id, values)
        if "nazwa" in changed or "skrot" in changed:
            db.execute(
                "UPDATE instytucje SET nazwa_szukaj = :nazwa_szukaj, skrot_szukaj = :skrot_szukaj "
                "WHERE id = :id",
                {**folded_names(current | values), "id": institution.id},
            )
    return Edit(
        instytucja=get(db, institution.id) if changed else institution,
        zmiany=tuple(
            Change(name, _display(db, name, current[name]), _display(db, name, changed[name]))
            for name in FIELDS
            if name in changed
        ),
    )


def edit(db: Database, ref: str, **fields: str | None) -> Institution:
    """Change the given fields (see apply_edit); returns the institution as it is now."""
    return apply_edit(db, ref, **fields).instytucja


def _dependents(db: Database, institution_id: int) -> list[str]:
    """One line per kind of record that refers to the institution."""
    from kooperacje.dates import polish_date

    params = {"id": institution_id}
    declarations = [
        f"{r['rodzaj']} – {r['zespol']}, {polish_date(r['data'])}"
        for r in db.query(
            """
            SELECT k.nazwa AS rodzaj, z.nazwa AS zespol, d.data
            FROM deklaracje d
            JOIN zespoly z ON z.id = d.zespol
            JOIN rodzaje_deklaracji k ON k.kod = d.rodzaj
            WHERE d.instytucja = :id ORDER BY d.data, d.id
            """,
            params,
        )
    ]
    meetings = [
        f"{polish_date(r['data'])}, {r['miejsce']} ({r['zespol']})"
        for r in db.query(
            """
            SELECT DISTINCT s.id, s.data, s.miejsce, z.nazwa AS zespol
            FROM obecnosci o
            JOIN spotkania s ON s.id = o.spotkanie
            JOIN zespoly z ON z.id = s.zespol
            WHERE o.instytucja = :id ORDER BY s.data, s.id
            """,
            params,
        )
    ]
    services = [
        f"{r['nazwa']} (nr {r['id']})"
        for r in db.query("SELECT id, nazwa FROM uslugi WHERE instytucja = :id ORDER BY id", params)
    ]
    led = [
        f"{r['nazwa']} (nr {r['id']})"
        for r in db.query("SELECT id, nazwa FROM zespoly WHERE lider = :id ORDER BY id", params)
    ]
    parts = [
        ("deklaracje", declarations),
        ("obecność na spotkaniach", meetings),
        ("usługi", services),
        ("lider zespołów", led),
    ]
    return [f"  - {what} ({len(items)}): {_some(items)}" for what, items in parts if items]


def _some(items: list[str], limit: int = 10) -> str:
    more = f"; i {len(items) - limit} innych" if len(items) > limit else ""
    return "; ".join(items[:limit]) + more


def removal_plan(db: Database, ref: str) -> Removal:
    """Check that the institution can be deleted: Conflict, listing what depends on it,
    if any declaration, attendance, service or led team refers to it."""
    institution = resolve(db, ref)
    lines = _dependents(db, institution.id)
    if lines:
        raise Conflict(
            f"nie można usunąć instytucji {institution.label}, bo odwołują się do niej:\n"
            + "\n".join(lines)
            + "\nHistoria zespołów zostaje zachowana. Jeśli instytucja odchodzi z zespołu, "
            "zapisz deklarację wystąpienia (kooperacje deklaracje dodaj … --rodzaj wystapienie); "
            "jej usługi usuń poleceniem kooperacje uslugi usun, a lidera zespołu zmień "
            "przed usunięciem."
        )
    count = db.execute(
        "SELECT count(*) FROM osoby WHERE instytucja = :id", {"id": institution.id}
    ).fetchone()[0]
    return Removal(instytucja=institution, przedstawiciele=int(count))


def remove(db: Database, ref: str) -> Institution:
    """Delete an institution nothing depends on, with its representatives (whose personal
    data is also erased from the edit log)."""
    from kooperacje.register import persons

    plan = removal_plan(db, ref)
    institution_id = plan.instytucja.id
    with db.atomic():
        ids = [
            int(r["id"])
            for r in db.query("SELECT id FROM osoby WHERE instytucja = :id", {"id": institution_id})
        ]
        persons.erase(db, ids)
        db.execute("DELETE FROM instytucje WHERE id = :id", {"id": institution_id})
    return plan.instytucja
