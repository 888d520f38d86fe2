"""Institutions (kooperanci): register, find, list and edit. What depends on an institution
(its card, its removal) is in `institution_card`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kooperacje.register import teryt, validate
from kooperacje.register.vocab import SECTORS
from kooperacje.store import changes
from kooperacje.store.changes import Change
from kooperacje.store.db import now
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


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
class Edit:
    """The result of an edit: the record as it is now and what changed."""

    instytucja: Institution
    zmiany: tuple[Change, ...]


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
# The same name in one gmina (:g): the stored folded name, else (written elsewhere) folded
# here; two searches of the index (gmina, nazwa_szukaj) (m015), since an OR of the two would
# search by gmina alone and read every institution of the gmina for every imported row.
SAME_NAME_IN_GMINA = """i.id IN (
    SELECT id FROM instytucje WHERE gmina = :g AND nazwa_szukaj = :n
    UNION ALL
    SELECT id FROM instytucje
    WHERE gmina = :g AND nazwa_szukaj IS NULL AND pl_fold(nazwa) = :n)"""
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
            SELECT + f" WHERE {SAME_NAME_IN_GMINA} AND i.id != :own",
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
    # A plain INSERT: Table.insert introspects the table on every call (an import adds
    # thousands of rows).
    cursor = db.execute(
        f"INSERT INTO instytucje ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})",
        row,
    )
    assert cursor.lastrowid is not None
    return get(db, cursor.lastrowid)


def list_(
    db: Database,
    *,
    gmina: str | None = None,
    sektor: str | None = None,
    szukaj: str | None = None,
) -> list[Institution]:
    """Institutions in Polish alphabetical order, optionally filtered by seat gmina, sector
    and a diacritics-insensitive fragment of the name or short name."""

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


def _display(db: Database, field: str, value: str | None) -> str | None:
    """A stored value as a user reads it (labels for codes)."""
    if value is None:
        return None
    if field == "sektor":
        return SECTORS.label(value)
    if field == "gmina":
        unit = teryt.get_unit(db, value)
        return f"{unit.nazwa} ({unit.kod}, {unit.rodzaj})"
    return value


def apply_edit(db: Database, ref: str, **fields: str | None) -> Edit:
    """Change the given fields (raw user input, validated as in add); None means 'leave as
    is', an empty string clears an optional field. Every change is logged in `_zmiany`."""

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
