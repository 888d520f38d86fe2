"""Adding, editing and removing agreements, and checking that their status and dates agree."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.dates import check_period, parse_date, parse_period_date, polish_date
from kooperacje.errors import InvalidInput
from kooperacje.register import institutions, teryt, validate
from kooperacje.store.changes import Change, update
from kooperacje.store.db import now
from kooperacje.teams import projects
from kooperacje.teams.agreements import (
    PLANNED,
    SIGNED,
    STATUSES,
    Agreement,
    AgreementDetails,
    details_of,
    get,
    resolve,
    unit_name,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

# Columns of `porozumienia` a command sets, in the order changes are reported.
FIELDS = (
    "nazwa",
    "przedmiot",
    "projekt",
    "status",
    "termin_podpisania",
    "data_podpisania",
    "obowiazuje_od",
    "obowiazuje_do",
    "oryginal",
    "uwagi",
)
_DATES = ("termin_podpisania", "data_podpisania", "obowiazuje_od", "obowiazuje_do")


@dataclass(frozen=True)
class AgreementEdit:
    """The result of an edit: the agreement as it is now and what changed."""

    porozumienie: AgreementDetails
    zmiany: tuple[Change, ...]


def _text(value: str, what: str, limit: int) -> str | None:
    text = validate.clean(value)
    if text is not None and len(text) > limit:
        raise InvalidInput(f"{what} jest za długi ({len(text)} znaków, najwyżej {limit}). Skróć.")
    return text


def _date(name: str, value: str, today: dt.date) -> str | None:
    text = validate.clean(value)
    if text is None:
        return None
    if name == "data_podpisania":
        # An agreement is signed on one day: a month ("2020-02") would be stored as a day
        # nobody signed on, so only a day is accepted, as the option's help says.
        parse_date(text)
    # A month means its last day for the deadline and the end of validity.
    day = parse_period_date(text, end=name in ("termin_podpisania", "obowiazuje_do"))
    if name == "data_podpisania" and day > today:
        raise InvalidInput(
            f"data podpisania ({polish_date(day)}) jest późniejsza niż dzisiejsza. Porozumienie, "
            "które dopiero ma być podpisane, zapisz ze statusem planowane i terminem (--termin)."
        )
    return day.isoformat()


def _fields(db: Database, raw: dict[str, str | None], today: dt.date) -> dict[str, Any]:
    """Checked values of the given fields (None: not given; "" clears an optional one)."""
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None:
            continue
        if name == "nazwa":
            text = _text(value, "tytuł porozumienia", 500)
            if not text:
                raise InvalidInput("tytuł porozumienia nie może być pusty. Podaj tytuł.")
            if text.isdigit():
                raise InvalidInput(
                    f'tytuł "{text}" składa się z samych cyfr i myliłby się z numerem. '
                    "Podaj tytuł słowami."
                )
            values[name] = text
        elif name == "status":
            values[name] = STATUSES.parse(value)
        elif name == "projekt":
            ref = validate.clean(value)
            values[name] = None if ref is None else projects.resolve(db, ref).id
        elif name in _DATES:
            values[name] = _date(name, value, today)
        else:
            values[name] = _text(value, f"tekst w polu {name}", 2000)
    return values


def _check(values: dict[str, Any]) -> None:
    """The status agrees with the dates, and the validity period is a period."""
    status = values["status"]
    if status == PLANNED and values["data_podpisania"] is not None:
        raise InvalidInput(
            f"porozumienie ma datę podpisania ({polish_date(values['data_podpisania'])}), więc "
            "nie jest już planowane. Podaj --status podpisane albo usuń datę (--data-podpisania "
            '"").'
        )
    check_period(values["obowiazuje_od"], values["obowiazuje_do"])


@dataclass(frozen=True)
class _Parties:
    """Parties to add and to remove (raw input)."""

    instytucje: Sequence[str] = ()
    bez_instytucji: Sequence[str] = ()
    jst: Sequence[str] = ()
    bez_jst: Sequence[str] = ()


def _unit(db: Database, text: str) -> str:
    return teryt.resolve_area(db, text).kod


def _apply_parties(db: Database, agreement_id: int, given: _Parties) -> list[Change]:
    """Write the party changes inside the caller's transaction; what changed, in words."""
    out: list[Change] = []
    # Institutions named by abbreviation are looked for first in the local governments
    # that are parties ("--jst 0410033 --strona MGOPS" is Nakło's MGOPS).
    codes = [_unit(db, t) for t in given.jst] + [
        str(r["jst"])
        for r in db.query(
            "SELECT jst FROM porozumienia_strony WHERE porozumienie = :a AND jst IS NOT NULL",
            {"a": agreement_id},
        )
    ]
    where = institutions.Context(
        gminy=tuple(c for c in codes if len(c) == 7),
        powiaty=tuple(c for c in codes if len(c) == 4),
        opis="stron porozumienia",
        zawez="",  # the command has no --gmina or --zespol
    )
    for text in given.instytucje:
        party = institutions.resolve(db, text, where)
        db.execute(
            "INSERT OR IGNORE INTO porozumienia_strony (porozumienie, instytucja) VALUES (:a, :i)",
            {"a": agreement_id, "i": party.id},
        )
        out.append(Change("strona", None, party.nazwa))
    for text in given.bez_instytucji:
        party = institutions.resolve(db, text, where)
        cursor = db.execute(
            "DELETE FROM porozumienia_strony WHERE porozumienie = :a AND instytucja = :i",
            {"a": agreement_id, "i": party.id},
        )
        if not cursor.rowcount:
            raise InvalidInput(
                f"{party.label} nie jest stroną porozumienia nr {agreement_id}. Strony pokaże "
                f"polecenie: kooperacje porozumienia pokaz {agreement_id}."
            )
        out.append(Change("strona", party.nazwa, None))
    for text in given.jst:
        code = _unit(db, text)
        db.execute(
            "INSERT OR IGNORE INTO porozumienia_strony (porozumienie, jst) VALUES (:a, :j)",
            {"a": agreement_id, "j": code},
        )
        out.append(Change("strona", None, unit_name(teryt.get_unit(db, code))))
    for text in given.bez_jst:
        code = _unit(db, text)
        cursor = db.execute(
            "DELETE FROM porozumienia_strony WHERE porozumienie = :a AND jst = :j",
            {"a": agreement_id, "j": code},
        )
        if not cursor.rowcount:
            raise InvalidInput(
                f"{unit_name(teryt.get_unit(db, code))} nie jest stroną porozumienia nr "
                f"{agreement_id}."
            )
        out.append(Change("strona", unit_name(teryt.get_unit(db, code)), None))
    return out


def add(
    db: Database,
    *,
    nazwa: str,
    przedmiot: str | None = None,
    projekt: str | None = None,
    status: str | None = None,
    termin_podpisania: str | None = None,
    data_podpisania: str | None = None,
    obowiazuje_od: str | None = None,
    obowiazuje_do: str | None = None,
    oryginal: str | None = None,
    uwagi: str | None = None,
    strony: Sequence[str] = (),
    jst: Sequence[str] = (),
    today: dt.date | None = None,
) -> AgreementDetails:
    """Record an agreement (raw user input). Without a status it is planned, or signed when
    a signing date is given. Nothing is written when anything is wrong."""
    raw = {name: value for name, value in locals().items() if name in FIELDS}
    values = {name: None for name in FIELDS} | _fields(db, raw, today or dt.date.today())
    if values["status"] is None:
        values["status"] = SIGNED if values["data_podpisania"] else PLANNED
    _check(values)
    stamp = now()
    with db.atomic():
        row = {"uuid": str(uuid.uuid4()), **values, "utworzono": stamp, "zmieniono": stamp}
        agreement_id = db.table("porozumienia").insert(row).last_rowid
        assert agreement_id is not None
        _apply_parties(db, agreement_id, _Parties(instytucje=strony, jst=jst))
    return details_of(db, get(db, agreement_id))


def _shown(db: Database, name: str, value: Any) -> str | None:
    if value is None:
        return None
    if name == "status":
        return STATUSES.label(value)
    if name == "projekt":
        return projects.get(db, int(value)).label
    return polish_date(value) if name in _DATES else str(value)


def apply_edit(
    db: Database,
    ref: str,
    *,
    fields: dict[str, str | None],
    strony: Sequence[str] = (),
    bez_stron: Sequence[str] = (),
    jst: Sequence[str] = (),
    bez_jst: Sequence[str] = (),
    today: dt.date | None = None,
) -> AgreementEdit:
    """Change the given fields (None: keep; "" clears an optional one), add or remove
    parties. Giving a signing date to a planned agreement marks it signed."""
    agreement = resolve(db, ref)
    values = _fields(db, fields, today or dt.date.today())
    current = {name: getattr(agreement, name) for name in FIELDS}
    if values.get("data_podpisania") and "status" not in values and agreement.status == PLANNED:
        values["status"] = SIGNED
    _check(current | values)
    given = _Parties(strony, bez_stron, jst, bez_jst)
    with db.atomic():
        changed = update(db, "porozumienia", agreement.id, values) if values else {}
        listed = _apply_parties(db, agreement.id, given)
    return AgreementEdit(
        porozumienie=details_of(db, get(db, agreement.id)),
        zmiany=tuple(
            Change(name, _shown(db, name, current[name]), _shown(db, name, changed[name]))
            for name in FIELDS
            if name in changed
        )
        + tuple(listed),
    )


def remove(db: Database, ref: str) -> Agreement:
    """Delete an agreement with its list of parties (the history keeps the record)."""
    agreement = resolve(db, ref)
    with db.atomic():
        db.execute("DELETE FROM porozumienia WHERE id = :id", {"id": agreement.id})
    return agreement
