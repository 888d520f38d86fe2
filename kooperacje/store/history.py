"""The history of every record (`_zmiany`, written by triggers) and what it says."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

TABLE_LABELS = {
    "instytucje": "instytucja",
    "osoby": "osoba",
    "zespoly": "zespół",
    "spotkania": "spotkanie",
    "deklaracje": "deklaracja",
    "uslugi": "usługa",
    "obecnosci": "obecność",
    "zzk": "ZZK",
    "zzk_grupy": "grupa docelowa ZZK",
    "zzk_obszary": "obszar usług ZZK",
    "zzk_instytucje": "instytucja w ZZK",
    "zzk_osoby": "osoba delegowana do ZZK",
    "zzk_uslugi": "usługa wykorzystana w ZZK",
    "zzk_spotkania": "spotkanie ZZK",
    "zzk_obecnosci": "obecność na spotkaniu ZZK",
    "projekty": "projekt",
    "porozumienia": "porozumienie",
    "regulaminy": "regulamin",
    "instytucje_telefony": "telefon instytucji",
    "instytucje_biura": "biuro instytucji",
}
OPERATION_LABELS = {
    "dodanie": "dodano",
    "zmiana": "zmieniono",
    "usuniecie": "usunięto",
    "wymazanie": "usunięto dane osobowe",
}
# Which field names a whole record best (first one present wins).
_NAMING_FIELDS = ("nazwa", "imie_nazwisko", "tytul", "miejsce")
# A part of a task team (ZZK) is named by the numbers and codes it links.
_TASK_TEAM_FIELDS = (
    ("zzk", "ZZK nr"),
    ("spotkanie", "spotkanie ZZK nr"),
    ("data", "z dnia"),
    ("instytucja", "instytucja nr"),
    ("osoba", "osoba nr"),
    ("usluga", "usługa nr"),
    ("grupa", "grupa"),
    ("obszar", "obszar"),
)


@dataclass(frozen=True)
class Entry:
    """One recorded change: a field's old and new value, or a whole record (pole '*')."""

    id: int
    kiedy: str
    tabela: str
    rekord: int
    operacja: str
    pole: str
    stara: str | None
    nowa: str | None

    @property
    def co(self) -> str:
        """'instytucja nr 3'."""
        return f"{TABLE_LABELS.get(self.tabela, self.tabela)} nr {self.rekord}"

    @property
    def operacja_opis(self) -> str:
        return OPERATION_LABELS.get(self.operacja, self.operacja)

    @property
    def pole_opis(self) -> str:
        return "" if self.pole == "*" else self.pole

    def summary(self, value: str | None) -> str | None:
        """A whole record (JSON) shortened to what names it; a field's value as it is."""
        if value is None or self.pole != "*":
            return value
        try:
            data = json.loads(value)
        except ValueError:
            return value
        if not isinstance(data, dict):
            return value
        if self.tabela.startswith("zzk_"):
            return ", ".join(f"{label} {data[k]}" for k, label in _TASK_TEAM_FIELDS if data.get(k))
        for name in _NAMING_FIELDS:
            if data.get(name):
                return str(data[name])
        if "spotkanie" in data and "instytucja" in data:
            return f"spotkanie nr {data['spotkanie']}, instytucja nr {data['instytucja']}"
        return value


def _row(row: dict[str, Any]) -> Entry:
    return Entry(**row)


_SELECT = "SELECT id, kiedy, tabela, rekord, operacja, pole, stara, nowa FROM _zmiany"

# The institution's own record, and the people, services and declarations that belong to it,
# whether they still exist (by number) or not (by the recorded row).
_OF_INSTITUTION = """(
    (tabela = 'instytucje' AND rekord = :i)
    OR (tabela = 'osoby' AND rekord IN (SELECT id FROM osoby WHERE instytucja = :i))
    OR (tabela = 'uslugi' AND rekord IN (SELECT id FROM uslugi WHERE instytucja = :i))
    OR (tabela = 'deklaracje' AND rekord IN (SELECT id FROM deklaracje WHERE instytucja = :i))
    OR (tabela != 'instytucje' AND pole = '*' AND json_valid(coalesce(nowa, stara))
        AND json_extract(coalesce(nowa, stara), '$.instytucja') = :i)
)"""


def entries(
    db: Database,
    *,
    instytucja: int | None = None,
    usluga: int | None = None,
    od: dt.date | None = None,
) -> list[Entry]:
    """The history, oldest first; optionally of one institution (with its people, services
    and declarations), of one service, or since a day."""
    where = ["1 = 1"]
    params: dict[str, Any] = {}
    if instytucja is not None:
        params["i"] = instytucja
        where.append(_OF_INSTITUTION)
    if usluga is not None:
        params["u"] = usluga
        where.append("(tabela = 'uslugi' AND rekord = :u)")
    if od is not None:
        params["od"] = od.isoformat()
        where.append("kiedy >= :od")
    sql = f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY id"
    return [_row(r) for r in db.query(sql, params)]


def of_record(db: Database, table: str, record_id: int) -> list[Entry]:
    """Every recorded change of one record, oldest first."""
    sql = f"{_SELECT} WHERE tabela = :t AND rekord = :r ORDER BY id"
    return [_row(r) for r in db.query(sql, {"t": table, "r": record_id})]
