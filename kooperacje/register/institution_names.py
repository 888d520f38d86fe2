"""An institution as a user names it: number, UUID, NIP, REGON, abbreviation or name.

Abbreviations repeat across gminas (every town has its MOPS and its PCPR), so a name is read
in the context of the command: the teams it is about (their members and leaders first), then
the gminas and powiats it is about. Only a tie within that context is ambiguous.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.errors import Ambiguous, InvalidInput, NotFound
from kooperacje.register import teryt
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
class Context:
    """What a command is about, so that a repeated abbreviation means the right institution.

    Candidates are narrowed in this order: members (any declaration) and leaders of the
    teams, then institutions seated in the gminas, then in the powiats.
    """

    zespoly: tuple[int, ...] = ()
    gminy: tuple[str, ...] = ()  # 7-digit TERYT codes
    powiaty: tuple[str, ...] = ()  # 4-digit TERYT codes
    opis: str = ""  # "zespołu „…”", for the message about a tie
    # How the user of this command narrows a tie, after "Podaj numer instytucji": None means
    # the command's --gmina or --zespol; "" a command that has neither (only the number).
    zawez: str | None = None

    def __or__(self, other: Context) -> Context:
        def both(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(dict.fromkeys((*a, *b)))

        return Context(
            zespoly=both(self.zespoly, other.zespoly),
            gminy=both(self.gminy, other.gminy),
            powiaty=both(self.powiaty, other.powiaty),
            opis=" i ".join(x for x in (self.opis, other.opis) if x),
            zawez=self.zawez if self.zawez is not None else other.zawez,
        )


NO_CONTEXT = Context()
# For a command with no --gmina or --zespol (projects): a tie is resolved by number only.
NUMBER_ONLY = Context(zawez="")
_BY_OPTIONS = " albo zawęź wybór opcją --gmina lub --zespol"


SELECT = """
    SELECT i.id, i.uuid, i.nazwa, i.skrot, i.sektor, s.nazwa AS sektor_nazwa,
           i.gmina, g.nazwa AS gmina_nazwa, i.adres, i.kod_pocztowy, i.miejscowosc,
           i.telefon, i.email, i.www, i.nip, i.regon, i.uwagi
    FROM instytucje i
    JOIN sektory s ON s.kod = i.sektor
    JOIN teryt g ON g.kod = i.gmina
"""


def from_row(row: Mapping[str, Any]) -> Institution:
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


def folded_names(values: Mapping[str, Any]) -> dict[str, str | None]:
    """The stored folded columns for these nazwa and skrot (the lookups compare those)."""
    short = values.get("skrot")
    return {
        "nazwa_szukaj": fold(str(values["nazwa"])),
        "skrot_szukaj": None if short is None else fold(str(short)),
    }


# The stored folded names (m007) are compared through indexes. A row whose nazwa_szukaj is
# NULL was written by another client (or renamed there: a trigger then clears the column),
# so it is folded here instead; an index finds those rows too.
_EQUAL = """(i.nazwa_szukaj = :n OR i.skrot_szukaj = :n
    OR (i.nazwa_szukaj IS NULL AND (pl_fold(i.nazwa) = :n OR pl_fold(i.skrot) = :n)))"""
# A fragment: the first part scans only the narrow index (nazwa_szukaj, skrot_szukaj),
# not the whole table (a substring cannot use a B-tree), until full-text search.
MATCHING = """i.id IN (
    SELECT id FROM instytucje
    WHERE nazwa_szukaj LIKE :p{escape} OR skrot_szukaj LIKE :p{escape}
    UNION ALL
    SELECT id FROM instytucje
    WHERE nazwa_szukaj IS NULL
      AND (pl_fold(nazwa) LIKE :p{escape} OR pl_fold(skrot) LIKE :p{escape}))"""

# NIP has 10 digits, REGON 9 or 14; an institution's number is never that long.
_REGISTRY_LENGTHS = {9: "regon", 10: "nip", 14: "regon"}


def _by_registry_number(db: Database, value: str) -> Institution | None:
    """The institution with this NIP or REGON (dashes and spaces allowed), if value is one."""
    digits = "".join(ch for ch in value if ch not in " -")
    column = _REGISTRY_LENGTHS.get(len(digits))
    if column is None or not digits.isdigit():
        return None
    rows = list(db.query(SELECT + f" WHERE i.{column} = :v", {"v": digits}))
    if not rows:
        raise NotFound(
            f"nie ma instytucji o numerze {column.upper()} {digits}. Sprawdź numer albo "
            "wskaż instytucję numerem z polecenia: kooperacje instytucje lista."
        )
    return from_row(rows[0])


def _tiers(db: Database, context: Context, ids: list[int]) -> list[set[int]]:
    """Which of ids fall in each tier of the context, in the order they are tried."""
    params = {
        "ids": json.dumps(ids),
        "teams": json.dumps(list(context.zespoly)),
        "gminy": json.dumps(list(context.gminy)),
        "powiaty": json.dumps(list(context.powiaty)),
    }
    rows = db.query(
        """
        SELECT i.id,
               (i.id IN (SELECT instytucja FROM deklaracje
                         WHERE zespol IN (SELECT value FROM json_each(:teams)))
                OR i.id IN (SELECT lider FROM zespoly
                            WHERE id IN (SELECT value FROM json_each(:teams)))) AS czlonek,
               i.gmina IN (SELECT value FROM json_each(:gminy)) AS w_gminie,
               g.powiat IN (SELECT value FROM json_each(:powiaty)) AS w_powiecie
        FROM instytucje i JOIN teryt g ON g.kod = i.gmina
        WHERE i.id IN (SELECT value FROM json_each(:ids))
        """,
        params,
    )
    tiers: list[set[int]] = [set(), set(), set()]
    for row in rows:
        for n, key in enumerate(("czlonek", "w_gminie", "w_powiecie")):
            if row[key]:
                tiers[n].add(int(row["id"]))
    return tiers


def context_rank(db: Database, context: Context, ids: list[int]) -> dict[int, int]:
    """For each id, the first tier of the context it falls in (0, 1, 2), else 3."""
    tiers = _tiers(db, context, ids)
    return {i: next((n for n, tier in enumerate(tiers) if i in tier), len(tiers)) for i in ids}


def _ambiguous(
    value: str, found: list[Institution], where: str, zawez: str | None = None
) -> Ambiguous:
    listing = "; ".join(f"{i.id}: {i.nazwa} (gmina {i.gmina_nazwa}, {i.gmina})" for i in found[:10])
    more = f" i {len(found) - 10} innych" if len(found) > 10 else ""
    hint = "" if where else (_BY_OPTIONS if zawez is None else zawez)
    return Ambiguous(
        f'instytucja "{value}" jest niejednoznaczna{where}: {listing}{more}. '
        f"Podaj numer instytucji{hint}."
    )


def resolve(db: Database, text: str, context: Context = NO_CONTEXT) -> Institution:
    """An institution by number, UUID, NIP, REGON, or by name or abbreviation
    (case- and diacritics-insensitive; a unique fragment of the name is enough).

    When several have that name or abbreviation, the first tier of `context` holding any of
    them decides; a fragment that fits several must fit one only within the context."""
    value = text.strip()
    if not value:
        raise InvalidInput("podaj instytucję: jej numer, nazwę albo skrót.")
    found_by_number = _by_registry_number(db, value)
    if found_by_number is not None:
        return found_by_number
    if value.isdigit():
        return get(db, int(value))
    by_uuid = list(db.query(SELECT + " WHERE i.uuid = :u", {"u": value.lower()}))
    if by_uuid:
        return from_row(by_uuid[0])
    folded = fold(value)
    rows = list(db.query(SELECT + " WHERE " + _EQUAL, {"n": folded}))
    exact = bool(rows)
    if not exact:
        # A unique fragment of the name is enough ("pcpr radom").
        rows = list(db.query(SELECT + " WHERE " + MATCHING.format(escape=""), {"p": f"%{folded}%"}))
    found = sorted((from_row(r) for r in rows), key=lambda i: (polish_key(i.nazwa), i.id))
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(
            f'nie znaleziono instytucji "{value}". Sprawdź nazwę poleceniem: '
            f'kooperacje instytucje lista --szukaj "{value}".'
        )
    if context != NO_CONTEXT:
        tiers = _tiers(db, context, [i.id for i in found])
        if not exact:
            # A fragment ("w Radomsku") may fit several institutions of the context equally
            # well: it must be unique within the context as a whole, never picked by rank.
            tiers = [set().union(*tiers)]
        for tier in tiers:
            narrowed = [i for i in found if i.id in tier]
            if len(narrowed) == 1:
                return narrowed[0]
            if narrowed:
                where = f" także w obrębie {context.opis}" if context.opis else ""
                raise _ambiguous(value, narrowed, where)
    raise _ambiguous(value, found, "", context.zawez)


def gmina_context(db: Database, gmina: str | None) -> Context:
    """The context of a command's --gmina (raw input; None: no context)."""
    if gmina is None:
        return NO_CONTEXT
    unit = teryt.resolve_gmina(db, gmina)
    return Context(
        gminy=(unit.kod,),
        powiaty=(unit.powiat_kod,) if unit.powiat_kod else (),
        opis=f"gminy {unit.nazwa} ({unit.kod})",
    )
