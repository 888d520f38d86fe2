"""Institutions (kooperanci): register, list and edit. Finding one by what a user types is in
`institution_names`; what depends on an institution (its card, its removal) in
`institution_card`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Conflict, InvalidInput
from kooperacje.register import teryt, validate
from kooperacje.register.institution_names import (
    MATCHING,
    NO_CONTEXT,
    NUMBER_ONLY,
    SELECT,
    Context,
    Institution,
    context_rank,
    folded_names,
    from_row,
    get,
    gmina_context,
    resolve,
)
from kooperacje.register.vocab import SECTORS
from kooperacje.store import changes
from kooperacje.store.changes import Change
from kooperacje.store.db import now
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

# Finding an institution lives in institution_names; callers use it through this module.
__all__ = [
    "FIELDS",
    "NO_CONTEXT",
    "NUMBER_ONLY",
    "SAME_NAME_IN_GMINA",
    "SELECT",
    "Context",
    "Edit",
    "Institution",
    "add",
    "apply_edit",
    "context_rank",
    "edit",
    "folded_names",
    "from_row",
    "get",
    "gmina_context",
    "list_",
    "resolve",
]


@dataclass(frozen=True)
class Edit:
    """The result of an edit: the record as it is now and what changed."""

    instytucja: Institution
    zmiany: tuple[Change, ...]


# Editable columns in the order a user reads them.
FIELDS: tuple[str, ...] = (
    *("nazwa", "skrot", "sektor", "gmina", "adres", "kod_pocztowy", "miejscowosc"),
    *("telefon", "email", "www", "nip", "regon", "uwagi"),
)


# The same name in one gmina (:g): the stored folded name, else (written elsewhere) folded
# here; two searches of the index (gmina, nazwa_szukaj) (m016), since an OR of the two would
# search by gmina alone and read every institution of the gmina for every imported row.
SAME_NAME_IN_GMINA = """i.id IN (
    SELECT id FROM instytucje WHERE gmina = :g AND nazwa_szukaj = :n
    UNION ALL
    SELECT id FROM instytucje
    WHERE gmina = :g AND nazwa_szukaj IS NULL AND pl_fold(nazwa) = :n)"""


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
    if values.get("skrot") is not None:
        _check_short_unique(db, values, params["own"])
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


def _check_short_unique(db: Database, values: Mapping[str, Any], own: int) -> None:
    """An abbreviation names one institution in its gmina (other gminas have theirs)."""
    rows = list(
        db.query(
            SELECT + " WHERE i.gmina = :g AND i.id != :own AND (i.skrot_szukaj = :s"
            " OR (i.skrot_szukaj IS NULL AND pl_fold(i.skrot) = :s))",
            {"g": values["gmina"], "own": own, "s": fold(values["skrot"])},
        )
    )
    if rows:
        other = from_row(rows[0])
        raise Conflict(
            f"w gminie {other.gmina_nazwa} ({other.gmina}) skrót „{other.skrot}” ma już "
            f"instytucja {other.label}; skrót musi wskazywać jedną instytucję w gminie. "
            "Podaj w --skrot inny skrót albo zmień skrót tamtej instytucji poleceniem: "
            f"kooperacje instytucje edytuj {other.id} --skrot NOWY."
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
        where.append(MATCHING.format(escape=" ESCAPE '\\'"))
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
