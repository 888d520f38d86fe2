"""The basket's query: the services of a gmina's basket as rows (plain dicts), in order.

Apart from `basket`, which makes objects of the rows for reports and exports:
`kooperacje koszyk` prints the rows themselves, and answers before the command tree loads
without importing dataclasses, typing, json or re (each takes a noticeable part of the
time the answer takes).
"""

from __future__ import annotations

from kooperacje.basket.terms import parse_status, reach_labels, sort_groups
from kooperacje.errors import InvalidInput
from kooperacje.jsontext import strings
from kooperacje.register import teryt
from kooperacje.register.vocab import SERVICE_AREAS, TARGET_GROUPS
from kooperacje.text import fold, polish_key

# Not `from typing import TYPE_CHECKING`: see output.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from kooperacje.register.teryt import Unit
    from kooperacje.store.db import Queryable


class Request:
    """A basket asked for: the gmina, and the filters as codes (None: not narrowed)."""

    __slots__ = ("bezplatne", "gmina", "grupa", "obszar", "status", "szukaj", "wiek")

    def __init__(
        self,
        gmina: Unit,
        obszar: str | None = None,
        grupa: str | None = None,
        *,
        wiek: int | None = None,
        bezplatne: bool = False,
        status: str = "aktywna",
        szukaj: str | None = None,
    ) -> None:
        self.gmina = gmina
        self.obszar = obszar
        self.grupa = grupa
        self.wiek = wiek
        self.bezplatne = bezplatne
        self.status = status
        self.szukaj = szukaj

    @property
    def filtrowany(self) -> bool:
        """Whether any filter narrows the basket."""
        return (
            bool(self.obszar or self.grupa or self.wiek is not None or self.bezplatne)
            or bool(self.szukaj)
            or self.status != "aktywna"
        )


def request(
    db: Queryable,
    gmina: str,
    obszar: str | None = None,
    grupa: str | None = None,
    *,
    wiek: int | None = None,
    bezplatne: bool = False,
    status: str | None = None,
    szukaj: str | None = None,
) -> Request:
    """The basket asked for by raw user input (gmina as code or name; area, group and
    status as codes or labels), checked."""
    unit = teryt.resolve_gmina(db, gmina)
    area = None if obszar is None else SERVICE_AREAS.parse(obszar)
    group = None if grupa is None else TARGET_GROUPS.parse(grupa)
    state = "aktywna" if status is None else parse_basket_status(status)
    if wiek is not None and not 0 <= wiek <= 150:
        raise InvalidInput(f"wiek {wiek} jest poza zakresem. Podaj liczbę lat od 0 do 150.")
    text = None if szukaj is None else szukaj.strip()
    return Request(unit, area, group, wiek=wiek, bezplatne=bezplatne, status=state, szukaj=text)


def request_rows(db: Queryable, asked: Request) -> list[dict[str, Any]]:
    """The rows of the basket asked for (see rows)."""
    return rows(
        db,
        asked.gmina,
        asked.obszar,
        asked.grupa,
        wiek=asked.wiek,
        bezplatne=asked.bezplatne,
        statuses=(asked.status,),
        szukaj=asked.szukaj,
    )


def search_rows(db: Queryable, text: str, *, gmina: str | None = None) -> list[dict[str, Any]]:
    """Active services matching the words, best first; gmina (raw input): only its basket."""
    unit = None if gmina is None else teryt.resolve_gmina(db, gmina)
    return rows(db, unit, szukaj=text.strip())


def fts_query(text: str) -> str:
    """An FTS5 query from user words: each word folded (ł included) and a prefix,
    all required: "Ośrodek psycholog" -> '"osrodek"* "psycholog"*'."""
    import re  # only a search needs it

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


def rows(
    db: Queryable,
    gmina: Unit | None,
    obszar: str | None = None,
    grupa: str | None = None,
    *,
    wiek: int | None = None,
    bezplatne: bool = False,
    statuses: Sequence[str] = ("aktywna",),
    szukaj: str | None = None,
) -> list[dict[str, Any]]:
    """Every service of the statuses whose reach covers the gmina directly, through its
    powiat or through its voivodeship (gmina None: anywhere); ordered by service area,
    then provider, then name, or, with szukaj, best match first.

    obszar and grupa are vocabulary codes; wiek keeps services whose age range holds
    it; bezplatne keeps free ones; szukaj is a full-text search (see fts_query). A row
    has the fields of basket.BasketService: the target groups and the reach as tuples of
    codes and of labels, and one address line of the provider.
    """
    params: dict[str, Any] = {
        "gmina": gmina.kod if gmina else None,
        "powiat": (gmina.powiat_kod or "") if gmina else None,
        "woj": gmina.wojewodztwo_kod if gmina else None,
        "obszar": obszar,
        "grupa": grupa,
        "wiek": wiek,
        "bezplatne": int(bezplatne),
        "statuses": strings(statuses),
        "fts": None if szukaj is None else fts_query(szukaj),
    }
    sql = _BASKET_SELECT.format(
        rank="NULL" if szukaj is None else "f.rank",
        search_join="" if szukaj is None else _SEARCH_JOIN,
        reach="" if gmina is None else _REACH,
    )
    found = []
    for row in db.query(sql, params):
        groups = sort_groups(filter(None, (row.pop("grupy") or "").split("|")))
        row["grupy"] = groups
        row["grupy_nazwy"] = tuple(TARGET_GROUPS.label(g) for g in groups)
        row["zasieg"] = tuple(sorted(filter(None, (row.pop("zasieg") or "").split("|"))))
        found.append(_with_address(row))
    labels = reach_labels(db, (code for row in found for code in row["zasieg"]))
    for row in found:
        row["zasieg_nazwy"] = tuple(labels.get(code, code) for code in row["zasieg"])
    if szukaj is not None:
        return sorted(found, key=lambda r: (r["trafnosc"] or 0.0, polish_key(r["nazwa"]), r["id"]))
    order = {code: n for n, code in enumerate(SERVICE_AREAS.codes)}
    return sorted(
        found,
        key=lambda r: (
            order[r["obszar"]],
            polish_key(r["instytucja_nazwa"]),
            r["instytucja"],  # two providers of the same name stay apart
            polish_key(r["nazwa"]),
            r["id"],
        ),
    )
