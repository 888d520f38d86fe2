"""Adding, editing and removing projects. The name is kept exactly as typed."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.dates import check_period, parse_period_date, polish_date
from kooperacje.errors import Conflict, InvalidInput
from kooperacje.register import institutions, teryt, validate
from kooperacje.store.changes import Change, update
from kooperacje.store.db import now
from kooperacje.teams.projects import Project, ProjectDetails, details_of, get, resolve
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database

MACROREGIONS = ("I", "II", "III")
_ROMAN = {"1": "I", "2": "II", "3": "III"}
# Columns of `projekty` a command sets, in the order changes are reported.
FIELDS = ("nazwa", "skrot", "program", "wspolfinansowanie", "od", "do", "uwagi")


@dataclass(frozen=True)
class ProjectEdit:
    """The result of an edit: the project as it is now and what changed."""

    projekt: ProjectDetails
    zmiany: tuple[Change, ...]


def _text(value: str | None, what: str, limit: int) -> str | None:
    text = validate.clean(value)
    if text is not None and len(text) > limit:
        raise InvalidInput(f"{what} jest za długi ({len(text)} znaków, najwyżej {limit}). Skróć.")
    return text


def _name(value: str) -> str:
    text = validate.clean(value)
    if not text:
        raise InvalidInput("nazwa projektu nie może być pusta. Podaj pełną nazwę projektu.")
    if text.isdigit():
        raise InvalidInput(
            f'nazwa projektu "{text}" składa się z samych cyfr i myliłaby się z numerem. '
            "Podaj nazwę słowami."
        )
    return _text(text, "tekst nazwy projektu", 500) or text


def _short(value: str | None) -> str | None:
    text = _text(value, "skrót projektu", 60)
    if text is not None and text.isdigit():
        raise InvalidInput(f'skrót projektu "{text}" składa się z samych cyfr. Podaj skrót słowny.')
    return text


def _fields(raw: dict[str, str | None]) -> dict[str, Any]:
    """Checked values of the given fields (None: not given; "" clears an optional one)."""
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None:
            continue
        if name == "nazwa":
            values[name] = _name(value)
        elif name == "skrot":
            values[name] = _short(value)
        elif name in ("od", "do"):
            text = validate.clean(value)
            values[name] = (
                None if text is None else parse_period_date(text, end=name == "do").isoformat()
            )
        else:
            values[name] = _text(value, f"tekst w polu {name}", 2000)
    return values


def _check_unique(db: Database, values: dict[str, Any], own: int | None) -> None:
    for column, what in (("nazwa", "nazwę"), ("skrot", "skrót")):
        value = values.get(column)
        if value is None:
            continue
        rows = list(
            db.query(
                f"SELECT id, nazwa FROM projekty WHERE pl_fold({column}) = :v AND id IS NOT :own",
                {"v": fold(value), "own": own},
            )
        )
        if rows:
            raise Conflict(
                f"{what} „{value}” ma już projekt nr {rows[0]['id']} („{rows[0]['nazwa']}”). "
                f"Zmień go poleceniem: kooperacje projekty edytuj {rows[0]['id']}."
            )


def parse_partner(text: str) -> tuple[str, str | None]:
    """'RCPS w Łodzi: partner merytoryczny' -> ('RCPS w Łodzi', 'partner merytoryczny');
    the role in words after ': ' is optional."""
    ref, sep, role = text.partition(": ")
    return ref.strip(), (validate.clean(role) if sep else None)


def macroregion(text: str) -> str:
    """'III', 'iii' or '3' -> 'III'."""
    value = text.strip().upper()
    value = _ROMAN.get(value, value)
    if value not in MACROREGIONS:
        raise InvalidInput(f'nieznany makroregion "{text}". Podaj I, II albo III.')
    return value


def _unit(db: Database, text: str) -> str:
    """A gmina or powiat taking part: TERYT code (7 or 4 digits) or a gmina's name."""
    unit = teryt.resolve_area(db, text)
    if unit.poziom not in ("gmina", "powiat"):
        raise InvalidInput(
            f"{unit.kod} to {unit.rodzaj} {unit.nazwa}. W projekcie uczestniczą gminy "
            "i powiaty: podaj kod gminy (7 cyfr) albo powiatu (4 cyfry)."
        )
    return unit.kod


def _institution(db: Database, text: str) -> tuple[int, str | None]:
    ref, role = parse_partner(text)
    return institutions.resolve(db, ref, institutions.NUMBER_ONLY).id, role


@dataclass(frozen=True)
class _Links:
    """The lists a command adds to or removes from (all as raw input)."""

    lider: str | None = None
    partnerzy: Sequence[str] = ()
    bez_partnerow: Sequence[str] = ()
    makroregiony: Sequence[str] = ()
    bez_makroregionow: Sequence[str] = ()
    jst: Sequence[str] = ()
    bez_jst: Sequence[str] = ()


def _items(
    db: Database,
    project_id: int,
    table: str,
    column: str,
    label: str,
    added: Sequence[str],
    removed: Sequence[str],
    parse: Callable[[str], str],
) -> list[Change]:
    """Add to and remove from one list of the project (macroregions, local governments)."""
    out: list[Change] = []
    for text in added:
        value = parse(text)
        db.execute(
            f"INSERT OR IGNORE INTO {table} (projekt, {column}) VALUES (:p, :v)",
            {"p": project_id, "v": value},
        )
        out.append(Change(label, None, value))
    for text in removed:
        value = parse(text)
        db.execute(
            f"DELETE FROM {table} WHERE projekt = :p AND {column} = :v",
            {"p": project_id, "v": value},
        )
        out.append(Change(label, value, None))
    return out


def _apply_links(db: Database, project_id: int, links: _Links) -> list[Change]:
    """Write the list changes inside the caller's transaction; what changed, in words."""
    out: list[Change] = []
    if links.lider is not None:
        old = [
            r["instytucja"]
            for r in db.query(
                "SELECT instytucja FROM projekty_instytucje WHERE projekt = :p AND rola = 'lider'",
                {"p": project_id},
            )
        ]
        new: tuple[int, str | None] | None = None
        if validate.clean(links.lider) is not None:
            new = _institution(db, links.lider)
        db.execute(
            "DELETE FROM projekty_instytucje WHERE projekt = :p AND rola = 'lider'",
            {"p": project_id},
        )
        if new is not None:
            db.execute(
                "DELETE FROM projekty_instytucje WHERE projekt = :p AND instytucja = :i",
                {"p": project_id, "i": new[0]},
            )
            db.execute(
                "INSERT INTO projekty_instytucje (projekt, instytucja, rola, opis) "
                "VALUES (:p, :i, 'lider', :o)",
                {"p": project_id, "i": new[0], "o": new[1]},
            )
        before = institutions.get(db, old[0]).nazwa if old else None
        after = institutions.get(db, new[0]).nazwa if new else None
        if before != after:
            out.append(Change("lider", before, after))
    for text in links.partnerzy:
        institution_id, role = _institution(db, text)
        db.execute(
            "INSERT INTO projekty_instytucje (projekt, instytucja, rola, opis) "
            "VALUES (:p, :i, 'partner', :o) ON CONFLICT (projekt, instytucja) "
            "DO UPDATE SET rola = 'partner', opis = coalesce(excluded.opis, opis)",
            {"p": project_id, "i": institution_id, "o": role},
        )
        out.append(Change("partner", None, institutions.get(db, institution_id).nazwa))
    for text in links.bez_partnerow:
        institution = institutions.resolve(db, text, institutions.NUMBER_ONLY)
        cursor = db.execute(
            "DELETE FROM projekty_instytucje WHERE projekt = :p AND instytucja = :i "
            "AND rola = 'partner'",
            {"p": project_id, "i": institution.id},
        )
        if not cursor.rowcount:
            raise InvalidInput(
                f"{institution.label} nie jest partnerem projektu nr {project_id}. "
                f"Partnerów pokaże polecenie: kooperacje projekty pokaz {project_id}."
            )
        out.append(Change("partner", institution.nazwa, None))
    out += _items(db, project_id, "projekty_makroregiony", "makroregion", "makroregion",
                  links.makroregiony, links.bez_makroregionow, macroregion)  # fmt: skip
    out += _items(db, project_id, "projekty_jst", "teryt", "jednostka", links.jst, links.bez_jst,
                  lambda text: _unit(db, text))  # fmt: skip
    return out


def add(
    db: Database,
    *,
    nazwa: str,
    skrot: str | None = None,
    program: str | None = None,
    wspolfinansowanie: str | None = None,
    od: str | None = None,
    do: str | None = None,
    uwagi: str | None = None,
    lider: str | None = None,
    partnerzy: Sequence[str] = (),
    makroregiony: Sequence[str] = (),
    jst: Sequence[str] = (),
) -> ProjectDetails:
    """Record a project (raw user input); nothing is written when anything is wrong."""
    raw = {name: value for name, value in locals().items() if name in FIELDS}
    values = {name: None for name in FIELDS} | _fields(raw)
    check_period(values["od"], values["do"])
    _check_unique(db, values, None)
    stamp = now()
    with db.atomic():
        project_id = (
            db.table("projekty")
            .insert({"uuid": str(uuid.uuid4()), **values, "utworzono": stamp, "zmieniono": stamp})
            .last_rowid
        )
        assert project_id is not None
        links = _Links(lider=lider, partnerzy=partnerzy, makroregiony=makroregiony, jst=jst)
        _apply_links(db, project_id, links)
    return details_of(db, get(db, project_id))


def _shown(name: str, value: Any) -> str | None:
    if value is None:
        return None
    return polish_date(value) if name in ("od", "do") else str(value)


def apply_edit(
    db: Database,
    ref: str,
    *,
    fields: dict[str, str | None],
    lider: str | None = None,
    partnerzy: Sequence[str] = (),
    bez_partnerow: Sequence[str] = (),
    makroregiony: Sequence[str] = (),
    bez_makroregionow: Sequence[str] = (),
    jst: Sequence[str] = (),
    bez_jst: Sequence[str] = (),
) -> ProjectEdit:
    """Change the given fields (None: keep; "" clears an optional one) and add to or remove
    from its lists; every change of the project's row is kept in the history."""
    project = resolve(db, ref)
    values = _fields(fields)
    current = {name: getattr(project, name) for name in FIELDS}
    merged = current | values
    check_period(merged["od"], merged["do"])
    _check_unique(db, values, project.id)
    links = _Links(lider, partnerzy, bez_partnerow, makroregiony, bez_makroregionow, jst, bez_jst)
    with db.atomic():
        changed = update(db, "projekty", project.id, values) if values else {}
        listed = _apply_links(db, project.id, links)
    return ProjectEdit(
        projekt=details_of(db, get(db, project.id)),
        zmiany=tuple(
            Change(name, _shown(name, current[name]), _shown(name, changed[name]))
            for name in FIELDS
            if name in changed
        )
        + tuple(listed),
    )


def remove(db: Database, ref: str) -> Project:
    """Delete a project nothing refers to (teams, agreements), with its lists."""
    project = resolve(db, ref)
    teams = [
        f"{r['nazwa']} (nr {r['id']})"
        for r in db.query("SELECT id, nazwa FROM zespoly WHERE projekt = :p", {"p": project.id})
    ]
    if teams:
        raise Conflict(
            f"projektu {project.label} nie można usunąć: należą do niego zespoły "
            f"{'; '.join(teams)}. Najpierw zmień ich projekt (kooperacje zespoly edytuj Z "
            '--projekt "").'
        )
    agreements = [
        f"nr {r['id']}"
        for r in db.query("SELECT id FROM porozumienia WHERE projekt = :p", {"p": project.id})
    ]
    if agreements:
        raise Conflict(
            f"projektu {project.label} nie można usunąć: dotyczą go porozumienia "
            f"{', '.join(agreements)}. Najpierw zmień ich projekt (kooperacje porozumienia "
            'edytuj P --projekt "").'
        )
    with db.atomic():
        db.execute("DELETE FROM projekty WHERE id = :id", {"id": project.id})
    return project
