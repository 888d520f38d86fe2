"""The local basket of services of a gmina (lokalny koszyk usług)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.text import polish_key
from kooperacje.vocab import SERVICE_AREAS

if TYPE_CHECKING:
    from sqlite_utils import Database

    from kooperacje.teryt import Unit


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


def basket(
    db: Database, gmina: Unit, *, obszar: str | None = None, grupa: str | None = None
) -> list[BasketService]:
    """Every active service whose reach covers the gmina directly, through its powiat
    or through its voivodeship; ordered by service area, then provider, then name."""
    params: dict[str, Any] = {
        "gmina": gmina.kod,
        "powiat": gmina.powiat_kod or "",
        "woj": gmina.wojewodztwo_kod,
        "obszar": obszar,
        "grupa": grupa,
    }
    rows = list(
        db.query(
            """
            SELECT u.id, u.nazwa, u.obszar, o.nazwa AS obszar_nazwa, u.instytucja,
                   i.nazwa AS instytucja_nazwa, i.skrot AS instytucja_skrot, i.sektor,
                   u.opis, u.jak_skorzystac, u.kryteria, u.odplatnosc, u.kontakt,
                   trim(coalesce(i.adres, '') || ', ' || coalesce(i.kod_pocztowy, '') || ' '
                        || coalesce(i.miejscowosc, ''), ', ') AS adres,
                   i.telefon, i.email,
                   (SELECT group_concat(ug.grupa, '|') FROM uslugi_grupy ug
                     WHERE ug.usluga = u.id) AS grupy,
                   (SELECT group_concat(uz.teryt, '|') FROM uslugi_zasieg uz
                     WHERE uz.usluga = u.id) AS zasieg
            FROM uslugi u
            JOIN instytucje i ON i.id = u.instytucja
            JOIN obszary_uslug o ON o.kod = u.obszar
            WHERE u.status = 'aktywna'
              AND u.id IN (SELECT usluga FROM uslugi_zasieg
                           WHERE teryt IN (:gmina, :powiat, :woj))
              AND (:obszar IS NULL OR u.obszar = :obszar)
              AND (:grupa IS NULL OR EXISTS (SELECT 1 FROM uslugi_grupy g
                                             WHERE g.usluga = u.id AND g.grupa = :grupa))
            """,
            params,
        )
    )
    from kooperacje.vocab import TARGET_GROUPS

    order = {code: n for n, code in enumerate(SERVICE_AREAS.codes)}
    group_order = {code: n for n, code in enumerate(TARGET_GROUPS.codes)}
    services = []
    for row in rows:
        groups = tuple(
            sorted(
                (row.pop("grupy") or "").split("|") if row["id"] else [],
                key=lambda c: group_order.get(c, 99),
            )
        )
        groups = tuple(g for g in groups if g)
        reach = tuple(sorted(filter(None, (row.pop("zasieg") or "").split("|"))))
        row["adres"] = row["adres"] or None
        services.append(
            BasketService(
                **row,
                grupy=groups,
                grupy_nazwy=tuple(TARGET_GROUPS.label(g) for g in groups),
                zasieg=reach,
            )
        )
    return sorted(
        services,
        key=lambda s: (order[s.obszar], polish_key(s.instytucja_nazwa), polish_key(s.nazwa)),
    )
