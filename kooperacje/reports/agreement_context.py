"""The context of the printed agreement (`porozumienie.md` / `porozumienie.html`).

Other renderers (a PDF writer, for instance) receive the same dataclass; templates never
see the database. Dates stay ISO strings (templates print them with `slownie`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje import __version__
from kooperacje.reports.context import ProjectCard, project_card_of
from kooperacje.teams import agreements

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class PartyBlock:
    """One party as the document names it, with a place for its signature."""

    nazwa: str  # institution name, or "Gmina Kcynia (gmina miejsko-wiejska)"
    skrot: str | None
    adres: str | None  # the institution's address when known; None for a local government
    rodzaj: str  # "instytucja" or "jednostka samorządu terytorialnego"


@dataclass(frozen=True)
class AgreementDocument:
    """Context of `porozumienie.{md,html}`: one agreement, ready to print and sign.

    `po_terminie` is true when the agreement is still planned after the day it was to be
    signed by (as of `stan_na`); the document then says so above the text.
    """

    numer: int
    nazwa: str  # the title
    przedmiot: str | None  # what the parties agree to do
    status: str  # code: planowane | podpisane | wygasle | rozwiazane
    status_nazwa: str  # "planowane", "wygasłe"…
    termin_podpisania: str | None  # ISO date
    data_podpisania: str | None  # ISO date
    obowiazuje_od: str | None  # ISO date
    obowiazuje_do: str | None  # ISO date
    oryginal: str | None  # where the signed original is kept
    uwagi: str | None
    projekt: ProjectCard | None  # the project it is made under, with its programme line
    projekt_numer: int | None  # that project's number
    strony: tuple[PartyBlock, ...]  # institutions A–Z, then local governments
    stan_na: str  # ISO date the status is described on
    po_terminie: bool
    wersja: str

    @property
    def podpisane(self) -> bool:
        return self.data_podpisania is not None


def agreement_document(
    db: Database, ref: str, *, stan_na: dt.date | None = None
) -> AgreementDocument:
    """The agreement named by ref (number or title), as a document."""
    day = stan_na or dt.date.today()
    found = agreements.details(db, ref)
    a = found.porozumienie
    card = project_card_of(db, a.projekt) if a.projekt is not None else None
    return AgreementDocument(
        numer=a.id,
        nazwa=a.nazwa,
        przedmiot=a.przedmiot,
        status=a.status,
        status_nazwa=a.status_nazwa,
        termin_podpisania=a.termin_podpisania,
        data_podpisania=a.data_podpisania,
        obowiazuje_od=a.obowiazuje_od,
        obowiazuje_do=a.obowiazuje_do,
        oryginal=a.oryginal,
        uwagi=a.uwagi,
        projekt=card,
        projekt_numer=a.projekt,
        strony=tuple(
            PartyBlock(
                nazwa=p.nazwa,
                skrot=p.skrot,
                adres=p.adres,
                rodzaj="instytucja" if p.instytucja else "jednostka samorządu terytorialnego",
            )
            for p in found.strony
        ),
        stan_na=day.isoformat(),
        po_terminie=a.po_terminie(day),
        wersja=__version__,
    )
