"""The local basket of services of a gmina (lokalny koszyk usług)."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.basket.terms import parse_status, reach_labels, sort_groups
from kooperacje.errors import InvalidInput
from kooperacje.register import teryt
from kooperacje.register.teryt import Unit
from kooperacje.register.vocab import SERVICE_AREAS, TARGET_GROUPS
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlite_utils import Database

    from kooperacje.store.db import Queryable


@dataclass(frozen=True)
class BasketService:
    """A service as it appears in a gmina's basket."""

    id: int
    nazwa: str
    obszar: str
    obszar_nazwa: str
    instytucja: int
    instytucja_nazwa: str
    instytucja_skrot: str | None
    sektor: str
    opis: str | None
    jak_skorzystac: str | None
    kryteria: str | None
    odplatnosc: str | None
    kontakt: str | None
    adres: str | None
    telefon: str | None
    email: str | None
    grupy: tuple[str, ...]  # target-group codes
    grupy_nazwy: tuple[str, ...]  # their labels
    zasieg: tuple[str, ...]  # TERYT codes of the reach
    zasieg_nazwy: tuple[str, ...] = ()  # "powiat radomszczański (1012)", same order as zasieg
    www: str | None = None
    uuid: str = ""
    instytucja_uuid: str = ""
    status: str = "aktywna"
    dokumenty: str | None = None
    wiek_od: int | None = None
    wiek_do: int | None = None
    bezplatna: int | None = None  # 1 bezpłatna, 0 odpłatna, None not stated
    miejsce: str = "siedziba"
    # The service's own address when miejsce is 'adres' (adres above is the provider's).
    miejsce_adres: str | None = None
    miejsce_kod_pocztowy: str | None = None
    miejsce_miejscowosc: str | None = None
    godziny: str | None = None
    dni: str | None = None
    kontakt_osoba: str | None = None
    kontakt_telefon: str | None = None
    kontakt_email: str | None = None
    zweryfikowano: str | None = None
    zweryfikowal: str | None = None
    zmieniono: str = ""
    trafnosc: float | None = None  # bm25 rank of a search: lower is better
    biuro: int | None = None  # the provider's office it is given at (address in miejsce_*)


@dataclass(frozen=True)
class Area:
    """One section of a basket: the services of one service area, grouped by provider."""

    obszar: str
    obszar_nazwa: str
    uslugi: tuple[BasketService, ...]


@dataclass(frozen=True)
class Basket:
    """The basket of a gmina, with the filters it was asked with (codes, or None)."""

    gmina: Unit
    obszar: str | None
    grupa: str | None
    uslugi: tuple[BasketService, ...]
    wiek: int | None = None
    bezplatne: bool = False
    status: str = "aktywna"
    szukaj: str | None = None

    @property
    def filtrowany(self) -> bool:
        """Whether any filter narrows the basket."""
        return (
            bool(self.obszar or self.grupa or self.wiek is not None or self.bezplatne)
            or bool(self.szukaj)
            or self.status != "aktywna"
        )

    @property
    def obszary(self) -> list[Area]:
        """The services split by area, in the vocabulary's order of areas."""
        return by_area(self.uslugi)


def by_area(services: Sequence[BasketService]) -> list[Area]:
    """The services as sections by area, in the vocabulary's order of areas; within an
    area they keep their order (provider order, or rank of a search)."""
    found: dict[str, list[BasketService]] = {}
    for service in services:
        found.setdefault(service.obszar, []).append(service)
    return [
        Area(code, items[0].obszar_nazwa, tuple(items))
        for code in SERVICE_AREAS.codes
        if (items := found.get(code))
    ]


def fts_query(text: str) -> str:
    """An FTS5 query from user words: each word folded (ł included) and a prefix,
    all required: "Ośrodek psycholog" -> '"osrodek"* "psycholog"*'."""
    words = re.findall(r"\w+", fold(text))
    if not words:
        raise InvalidInput(
            f'wyszukiwany tekst "{text}" nie zawiera słów. Podaj słowo z nazwy lub opisu '
            'usługi albo nazwy realizatora, np. "psycholog".'
        )
    return " ".join(f'"{word}"*' for word in words)


def _with_address(row: dict[str, Any]) -> dict[str, Any]:
    """The row with one address line: 'ul. Tkacka 5, 97-500 Radomsko'."""
    rest = {k: v for k, v in row.items() if k not in ("kod_pocztowy", "miejscowosc")}
    town = " ".join(filter(None, (row["kod_pocztowy"], row["miejscowosc"])))
    return rest | {"adres": ", ".join(filter(None, (row["adres"], town))) or None}


def parse_basket_status(text: str) -> str:
    """aktywna or zawieszona: a zakończona service is never in a basket."""
    code = parse_status(text)
    if code == "zakonczona":
        raise InvalidInput(
            "zakończone usługi nie należą do koszyka. Wybierz status aktywna albo zawieszona; "
            "zakończone pokaże polecenie: kooperacje uslugi lista --status zakonczona."
        )
    return code


def basket_for(
    db: Queryable,
    gmina: str,
    obszar: str | None = None,
    grupa: str | None = None,
    *,
    wiek: int | None = None,
    bezplatne: bool = False,
    status: str | None = None,
    szukaj: str | None = None,
) -> Basket:
    """The basket of a gmina given as raw user input (code or name; area, group and
    status as codes or labels)."""
    unit = teryt.resolve_gmina(db, gmina)
    area = None if obszar is None else SERVICE_AREAS.parse(obszar)
    group = None if grupa is None else TARGET_GROUPS.parse(grupa)
    state = "aktywna" if status is None else parse_basket_status(status)
    if wiek is not None and not 0 <= wiek <= 150:
        raise InvalidInput(f"wiek {wiek} jest poza zakresem. Podaj liczbę lat od 0 do 150.")
    query = None if szukaj is None else szukaj.strip()
    found = basket(
        db,
        unit,
        obszar=area,
        grupa=group,
        wiek=wiek,
        bezplatne=bezplatne,
        status=state,
        szukaj=query,
    )
    return Basket(unit, area, group, tuple(found), wiek, bezplatne, state, query)


_BASKET_SELECT = """
    SELECT u.id, u.uuid, u.nazwa, u.obszar, o.nazwa AS obszar_nazwa, u.instytucja,
           i.uuid AS instytucja_uuid, i.nazwa AS instytucja_nazwa,
           i.skrot AS instytucja_skrot, i.sektor,
           u.opis, u.jak_skorzystac, u.kryteria, u.odplatnosc, u.kontakt,
           i.adres, i.kod_pocztowy, i.miejscowosc, i.telefon, i.email, i.www,
           u.status, u.dokumenty, u.wiek_od, u.wiek_do, u.bezplatna, u.miejsce,
           u.adres AS miejsce_adres, u.kod_pocztowy AS miejsce_kod_pocztowy,
           u.miejscowosc AS miejsce_miejscowosc, u.godziny, u.dni, u.kontakt_osoba,
           u.kontakt_telefon, u.kontakt_email, u.zweryfikowano, u.zweryfikowal, u.zmieniono,
           u.biuro, {rank} AS trafnosc,
           (SELECT group_concat(ug.grupa, '|') FROM uslugi_grupy ug
             WHERE ug.usluga = u.id) AS grupy,
           (SELECT group_concat(uz.teryt, '|') FROM uslugi_zasieg uz
             WHERE uz.usluga = u.id) AS zasieg
    FROM uslugi u
    JOIN instytucje i ON i.id = u.instytucja
    JOIN obszary_uslug o ON o.kod = u.obszar
    {search_join}
    WHERE u.status IN (SELECT value FROM json_each(:statuses))
      {reach}
      AND (:obszar IS NULL OR u.obszar = :obszar)
      AND (:grupa IS NULL OR EXISTS (SELECT 1 FROM uslugi_grupy g
                                     WHERE g.usluga = u.id AND g.grupa = :grupa))
      AND (:wiek IS NULL OR ((u.wiek_od IS NULL OR u.wiek_od <= :wiek)
                             AND (u.wiek_do IS NULL OR :wiek <= u.wiek_do)))
      AND (:bezplatne = 0 OR u.bezplatna = 1)
"""
# Optional conditions are left out rather than written `(:x IS NULL OR …)`, which would
# hide the reach index from the query planner.
_REACH = """AND u.id IN (SELECT usluga FROM uslugi_zasieg
                           WHERE teryt IN (:gmina, :powiat, :woj))"""
# Matches in the name weigh most, then the provider, then description and eligibility.
_SEARCH_JOIN = """
    JOIN (SELECT rowid AS id, bm25(uslugi_fts, 10.0, 3.0, 3.0, 5.0) AS rank
          FROM uslugi_fts WHERE uslugi_fts MATCH :fts) f ON f.id = u.id
"""


# Baskets already computed inside `remembered()`, by their arguments.
_REMEMBERED: ContextVar[dict[tuple[Any, ...], list[BasketService]] | None] = ContextVar(
    "kooperacje_koszyki", default=None
)


@contextlib.contextmanager
def remembered() -> Iterator[None]:
    """Inside the block, a basket asked for again (same gmina, same filters) is not computed
    again: the pages of one team of the report site need it three times (team report, gaps,
    basket report), and it is the costliest query of each."""
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def basket(
    db: Queryable,
    gmina: Unit | None,
    obszar: str | None = None,
    grupa: str | None = None,
    *,
    wiek: int | None = None,
    bezplatne: bool = False,
    status: str | Sequence[str] = "aktywna",
    szukaj: str | None = None,
) -> list[BasketService]:
    """Every service of the status whose reach covers the gmina directly, through its
    powiat or through its voivodeship (gmina None: anywhere); ordered by service area,
    then provider, then name, or, with szukaj, best match first.

    obszar and grupa are vocabulary codes; wiek keeps services whose age range holds
    it; bezplatne keeps free ones; szukaj is a full-text search (see fts_query).
    """
    statuses = [status] if isinstance(status, str) else list(status)
    memo = _REMEMBERED.get()
    key = (gmina, obszar, grupa, wiek, bezplatne, tuple(statuses), szukaj)
    if memo is not None and key in memo:
        return list(memo[key])
    found = _basket(db, gmina, obszar, grupa, wiek, bezplatne, statuses, szukaj)
    if memo is not None:
        memo[key] = list(found)
    return found


def _basket(
    db: Queryable,
    gmina: Unit | None,
    obszar: str | None,
    grupa: str | None,
    wiek: int | None,
    bezplatne: bool,
    statuses: list[str],
    szukaj: str | None,
) -> list[BasketService]:
    params: dict[str, Any] = {
        "gmina": gmina.kod if gmina else None,
        "powiat": (gmina.powiat_kod or "") if gmina else None,
        "woj": gmina.wojewodztwo_kod if gmina else None,
        "obszar": obszar,
        "grupa": grupa,
        "wiek": wiek,
        "bezplatne": int(bezplatne),
        "statuses": json.dumps(statuses),
        "fts": None if szukaj is None else fts_query(szukaj),
    }
    sql = _BASKET_SELECT.format(
        rank="NULL" if szukaj is None else "f.rank",
        search_join="" if szukaj is None else _SEARCH_JOIN,
        reach="" if gmina is None else _REACH,
    )
    rows = list(db.query(sql, params))
    split = [
        (
            row,
            sort_groups(filter(None, (row.pop("grupy") or "").split("|"))),
            tuple(sorted(filter(None, (row.pop("zasieg") or "").split("|")))),
        )
        for row in rows
    ]
    labels = reach_labels(db, (code for _, _, reach in split for code in reach))
    services = [
        BasketService(
            **_with_address(row),
            grupy=groups,
            grupy_nazwy=tuple(TARGET_GROUPS.label(g) for g in groups),
            zasieg=reach,
            zasieg_nazwy=tuple(labels.get(code, code) for code in reach),
        )
        for row, groups, reach in split
    ]
    if szukaj is not None:
        return sorted(services, key=lambda s: (s.trafnosc or 0.0, polish_key(s.nazwa), s.id))
    order = {code: n for n, code in enumerate(SERVICE_AREAS.codes)}
    return sorted(
        services,
        key=lambda s: (
            order[s.obszar],
            polish_key(s.instytucja_nazwa),
            s.instytucja,  # two providers of the same name stay apart
            polish_key(s.nazwa),
            s.id,
        ),
    )


def search(db: Database, text: str, *, gmina: str | None = None) -> tuple[BasketService, ...]:
    """Active services matching the words, best first; gmina (raw input): only its basket."""
    unit = None if gmina is None else teryt.resolve_gmina(db, gmina)
    return tuple(basket(db, unit, szukaj=text.strip()))
