"""The output formats the commands offer as choices (`--format`).

Apart from `output`, which prints them: an Enum costs a short command's start-up more than
its work, and the basket answered before the command tree loads compares plain strings
(a member equals its value: `Format.json == "json"`).
"""

from __future__ import annotations

from enum import Enum


class Format(str, Enum):
    """How a listing is printed."""

    tabela = "tabela"
    csv = "csv"
    json = "json"


class ReportFormat(str, Enum):
    """How a report is written."""

    md = "md"
    html = "html"


class DocumentFormat(str, Enum):
    """How a printable document is written: as a report, or as a PDF ready to print."""

    md = "md"
    html = "html"
    pdf = "pdf"
