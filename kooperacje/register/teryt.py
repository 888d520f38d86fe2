"""The territorial register: find gminas, powiats and voivodeships by name or TERYT code."""

from __future__ import annotations

from kooperacje.errors import Ambiguous, InvalidInput, NotFound
from kooperacje.text import fold, polish_key

# Not `from typing import TYPE_CHECKING`: see output.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from kooperacje.store.db import Queryable

KINDS = {"1": "gmina miejska", "2": "gmina wiejska", "3": "gmina miejsko-wiejska"}


class Unit:
    """A unit of the register with the names of the units above it. Immutable; equal to
    another with the same values.

    A plain class, not a dataclass: the dataclasses module takes longer to import than
    `kooperacje koszyk` takes to answer.
    """

    __slots__ = _FIELDS = (
        "kod",
        "poziom",
        "nazwa",
        "rodzaj",
        "powiat_kod",
        "powiat",
        "wojewodztwo_kod",
        "wojewodztwo",
    )
    kod: str
    poziom: str
    nazwa: str
    rodzaj: str
    powiat_kod: str | None
    powiat: str | None
    wojewodztwo_kod: str
    wojewodztwo: str

    def __init__(
        self,
        kod: str,
        poziom: str,
        nazwa: str,
        rodzaj: str,
        powiat_kod: str | None,
        powiat: str | None,
        wojewodztwo_kod: str,
        wojewodztwo: str,
    ) -> None:
        values = (kod, poziom, nazwa, rodzaj, powiat_kod, powiat, wojewodztwo_kod, wojewodztwo)
        for name, value in zip(self._FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[str | None, ...]:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Unit is immutable: cannot set {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Unit is immutable: cannot delete {name}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not Unit:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> tuple[type[Unit], tuple[str | None, ...]]:
        # Pickled by value (the site's worker processes receive units).
        return Unit, self._values()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"Unit({fields})"

    @property
    def label(self) -> str:
        """'Radomsko (gmina miejska, powiat radomszczański, woj. łódzkie)'."""
        parts = [self.rodzaj]
        if self.powiat and self.poziom != "powiat":
            parts.append(_powiat_label(self.powiat, self.powiat_kod))
        if self.poziom != "wojewodztwo":
            parts.append(f"woj. {self.wojewodztwo}")
        return f"{self.nazwa} ({', '.join(parts)})"


def _powiat_label(name: str, code: str | None) -> str:
    # Cities with powiat rights (codes 61–99) read "miasto na prawach powiatu X".
    if code and int(code[2:]) >= 61:
        return f"miasto na prawach powiatu {name}"
    return f"powiat {name}"


_SELECT = """
    SELECT t.kod, t.poziom, t.nazwa, t.rodzaj, t.powiat AS powiat_kod, p.nazwa AS powiat,
           t.wojewodztwo AS wojewodztwo_kod, w.nazwa AS wojewodztwo
    FROM teryt t
    JOIN teryt w ON w.kod = t.wojewodztwo
    LEFT JOIN teryt p ON p.kod = t.powiat
"""


# Names are compared folded, through teryt.nazwa_szukaj (m007); a unit added to the register
# later without it is folded on the fly.


def _unit(row: dict[str, Any]) -> Unit:
    # GUS writes voivodeship names in capitals; documents use lower case.
    row = row | {"wojewodztwo": row["wojewodztwo"].lower()}
    if row["poziom"] == "wojewodztwo":
        row = row | {"nazwa": row["nazwa"].lower()}
    return Unit(**row)


def get_unit(db: Queryable, code: str) -> Unit:
    """The unit with exactly this TERYT code."""
    rows = list(db.query(_SELECT + " WHERE t.kod = :kod", {"kod": code}))
    if not rows:
        raise NotFound(
            f'nie ma jednostki o kodzie TERYT "{code}" w rejestrze. '
            "Znajdź właściwy kod poleceniem: kooperacje gminy szukaj NAZWA."
        )
    return _unit(rows[0])


def search(db: Queryable, text: str, *, limit: int | None = None) -> list[Unit]:
    """Units whose name contains text (diacritics-insensitive) or whose code starts with it."""
    needle = text.strip()
    if not needle:
        raise InvalidInput("podaj fragment nazwy albo kodu TERYT, np. Radomsko lub 1012.")
    if needle.isdigit():
        rows = db.query(_SELECT + " WHERE t.kod LIKE :p ORDER BY t.kod", {"p": needle + "%"})
        units = [_unit(r) for r in rows]
    else:
        rows = db.query(
            _SELECT + " WHERE t.nazwa_szukaj LIKE :p"
            " OR (t.nazwa_szukaj IS NULL AND pl_fold(t.nazwa) LIKE :p)",
            {"p": "%" + fold(needle) + "%"},
        )
        folded = fold(needle)
        units = sorted(
            (_unit(r) for r in rows),
            # Exact names first, then names starting with the text, then the rest.
            key=lambda u: (
                fold(u.nazwa) != folded,
                not fold(u.nazwa).startswith(folded),
                polish_key(u.nazwa),
                u.kod,
            ),
        )
    return units[:limit] if limit else units


def resolve_gmina(db: Queryable, text: str) -> Unit:
    """A gmina (kind 1, 2 or 3) by 7-digit TERYT code or unique name."""
    value = text.strip()
    if value.isdigit():
        if len(value) != 7:
            raise InvalidInput(
                f'"{value}" nie jest kodem TERYT gminy: kod gminy ma 7 cyfr, np. 1012011.'
            )
        unit = get_unit(db, value)
        if unit.poziom != "gmina":
            raise InvalidInput(
                f"{value} to {unit.rodzaj} {unit.nazwa}, a nie gmina. "
                f"Podaj kod całej gminy (kończący się cyfrą 1, 2 lub 3)."
            )
        return unit
    folded = fold(value)
    rows = db.query(
        _SELECT + " WHERE t.poziom = 'gmina' AND (t.nazwa_szukaj = :n"
        " OR (t.nazwa_szukaj IS NULL AND pl_fold(t.nazwa) = :n))",
        {"n": folded},
    )
    units = sorted((_unit(r) for r in rows), key=lambda u: u.kod)
    if len(units) == 1:
        return units[0]
    if not units:
        raise NotFound(
            f'nie znaleziono gminy "{value}". Sprawdź nazwę poleceniem: '
            f'kooperacje gminy szukaj "{value}".'
        )
    listing = ", ".join(
        f"{u.kod} ({u.rodzaj}, {_powiat_label(u.powiat or '', u.powiat_kod)})" for u in units
    )
    raise Ambiguous(f'gmina "{value}" jest niejednoznaczna: {listing}. Podaj kod TERYT.')


def resolve_area(db: Queryable, text: str) -> Unit:
    """Any unit by TERYT code of 2, 4 or 7 digits (used for the reach of a service)."""
    value = text.strip()
    if value.isdigit() and len(value) in (2, 4, 7):
        return get_unit(db, value)
    if value.isdigit():
        raise InvalidInput(
            f'"{value}" nie jest kodem TERYT: podaj 2 cyfry (województwo), 4 (powiat) '
            "albo 7 (gmina)."
        )
    return resolve_gmina(db, value)
