"""The meeting documents' templates: printable, self-contained, escaping what users typed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kooperacje import __version__
from kooperacje.reports import meeting_documents
from kooperacje.reports import render as reports
from kooperacje.store.db import open_db
from tests import factories
from tests.test_reports import check_html

HOSTILE = "<script>alert(1)</script> | *x*"


@pytest.fixture
def contexts(db_path: Path) -> dict[str, Callable[[], Any]]:
    """Every meeting document built from a database where users typed markup everywhere."""
    conn = factories.connect(db_path)
    institution = factories.institution(conn, f"Fundacja {HOSTILE}", adres=HOSTILE, sektor="ngo")
    factories.person(conn, institution, f"Anna {HOSTILE}", stanowisko=HOSTILE)
    factories.service(conn, institution, f"Usługa {HOSTILE}", "kultura")
    team = factories.team(conn, "1012011", f"PZK {HOSTILE}")
    meeting = factories.meeting(
        conn, team, "2019-09-25", f"Sala {HOSTILE}", opis=HOSTILE, ustalenia=HOSTILE,
        nastepne=HOSTILE, tytul=HOSTILE,
    )  # fmt: skip
    factories.attendance(conn, meeting, institution)
    factories.declaration(
        conn, team, institution, "2019-09-25", spotkanie=meeting, podpisal=HOSTILE
    )
    conn.close()
    db = open_db(db_path)
    return {
        "lista-obecnosci": lambda: meeting_documents.attendance_sheet(db, meeting),
        "deklaracja": lambda: meeting_documents.declarations(
            db, instytucja=str(institution), spotkanie=meeting
        ),
        "protokol": lambda: meeting_documents.minutes(db, meeting),
    }


NAMES = ["lista-obecnosci", "deklaracja", "protokol"]


@pytest.mark.parametrize("name", NAMES)
def test_html_is_a_self_contained_printable_page(
    name: str, contexts: dict[str, Callable[[], Any]]
) -> None:
    html = reports.render(name, "html", contexts[name]())
    assert html.startswith('<!DOCTYPE html>\n<html lang="pl">')
    assert "@page { size: A4;" in html
    assert f"Wygenerowano programem kooperacje {__version__}." in html
    checker = check_html(html)
    assert not checker.tags & {"script", "link", "img", "iframe"}
    assert not checker.links
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("name", NAMES)
def test_markdown_escapes_user_text(name: str, contexts: dict[str, Callable[[], Any]]) -> None:
    text = reports.render(name, "md", contexts[name]())
    assert text.startswith("# ")
    assert text.endswith(f"_Wygenerowano programem kooperacje {__version__}._\n")
    assert "\\<script\\>alert(1)\\</script\\>" in text
    assert "<script>" not in text


def test_templates_are_packaged_beside_the_others() -> None:
    names = {p.name for p in reports.templates_dir().iterdir()}
    for name in NAMES:
        assert {f"{name}.md", f"{name}.html"} <= names
