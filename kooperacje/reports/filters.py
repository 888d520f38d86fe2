"""The filters the report templates use: Markdown and HTML escaping of user text, Polish
dates and noun forms."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

from kooperacje.dates import polish_date

if TYPE_CHECKING:
    from markupsafe import Markup

# Characters Markdown may read as markup inside running text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
# Line starts that would turn a paragraph line into a heading, list or quote.
_MD_BLOCK_START = re.compile(r"^(\s*)(?:([-+])|(\d+)([.)]))(?=\s|$)")
# E-mail and web addresses in running text become autolinks (<…>): a link in every viewer,
# not bare text (markdownlint's no-bare-urls). The e-mail form is CommonMark's autolink
# grammar (ASCII only, `|` left out: it would end a table cell); a web address ends before
# trailing punctuation.
_EMAIL = (
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+"
)
_URL = r"https?://[^\s<>|]*[^\s<>|.,;:!?)\]'\"]"
_MD_ADDRESS = re.compile(rf"(?<![\w.+-])(?:{_URL}|{_EMAIL})(?![\w@-])")


def _text(value: object) -> str:
    return "" if value is None else str(value)


# Anything _escaped may change: a markup character, or the "@" or "://" of an address.
_MD_ANY = re.compile(r"[\\`*_\[\]<>|#~@]|://")


@functools.lru_cache(maxsize=8192)
def _escaped(text: str) -> str:
    """Text with Markdown's markup characters escaped and addresses as autolinks.

    Cached: a site repeats the same names and labels on thousands of pages."""
    if not _MD_ANY.search(text):
        return text
    pieces: list[str] = []
    last = 0
    for match in _MD_ADDRESS.finditer(text):
        pieces.append(_MD_SPECIAL.sub(r"\\\1", text[last : match.start()]))
        pieces.append(f"<{match.group(0)}>")  # inside <…> nothing is markup
        last = match.end()
    pieces.append(_MD_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(pieces)


def md(value: object) -> str:
    """Running Markdown text: markup characters escaped, e-mail and web addresses as
    links, line breaks become spaces."""
    return _md(_text(value))


@functools.lru_cache(maxsize=8192)
def _md(text: str) -> str:
    return _escaped(text.replace("\r", "").replace("\n", " ")).strip()


def mdcell(value: object) -> str:
    """A Markdown table cell: `|`, backslash and markup escaped, addresses as links. A cell
    holds one line: lines are joined by "; " (after a line's own punctuation, by a space),
    not by `<br>`, which a viewer with HTML off shows as it is."""
    return _mdcell(_text(value))


@functools.lru_cache(maxsize=8192)
def _mdcell(text: str) -> str:
    lines = [_escaped(line.strip()) for line in text.splitlines()]
    cell = ""
    for line in (line for line in lines if line):
        if cell:
            cell += " " if cell.endswith((".", ",", ";", ":", "!", "?")) else "; "
        cell += line
    return cell


def _escape_marker(match: re.Match[str]) -> str:
    # "- x" becomes "\- x" and "1. x" becomes "1\. x": CommonMark escapes the punctuation.
    indent, bullet, number, dot = match.groups()
    return f"{indent}\\{bullet}" if bullet else f"{indent}{number}\\{dot}"


def mdblock(value: object) -> str:
    """A multi-line Markdown paragraph block: lines kept (hard breaks), blank lines kept."""
    out: list[str] = []
    for line in _text(value).replace("\r", "").split("\n"):
        stripped = line.strip()
        if not stripped:
            if out and out[-1] != "":
                out.append("")
            continue
        escaped = _MD_BLOCK_START.sub(_escape_marker, _escaped(stripped))
        if out and out[-1] != "":
            out[-1] += "  "  # two trailing spaces: a hard line break
        out.append(escaped)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def paragraphs(value: object) -> Markup:
    """Multi-line text as HTML paragraphs, escaped; single line breaks become <br>."""
    from markupsafe import Markup, escape

    blocks = re.split(r"\n\s*\n", _text(value).replace("\r", "").strip())
    html = [
        Markup("<p>")
        + Markup("<br>\n").join(escape(line.strip()) for line in block.split("\n"))
        + Markup("</p>")
        for block in blocks
        if block.strip()
    ]
    return Markup("\n").join(html)


def br(value: object) -> Markup:
    """Text for an HTML cell, escaped; line breaks become <br>."""
    from markupsafe import Markup, escape

    text = _text(value)
    if "\n" not in text and "\r" not in text:
        # One line (most cells): the same as the join below, without building a list.
        return escape(text.strip())
    lines = [escape(line.strip()) for line in text.replace("\r", "").split("\n")]
    return Markup("<br>\n").join(line for line in lines if line)


def odmiana(count: int, one: str, few: str, many: str) -> str:
    """A number with the Polish noun form it takes: 1 instytucja, 3 instytucje, 5 instytucji."""
    if count == 1:
        word = one
    elif count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        word = few
    else:
        word = many
    return f"{count} {word}"


def capfirst(value: object) -> str:
    """First letter upper-case, the rest as it is ("pomoc społeczna" -> "Pomoc społeczna")."""
    text = _text(value)
    return text[:1].upper() + text[1:]


def slownie(value: str | dt.date | None) -> str:
    """A date as Polish documents write it: "25 września 2019 r."."""
    return "" if value is None else polish_date(value)


def markdown(value: object) -> Markup:
    """Markdown a user wrote (a team's rules) as HTML: CommonMark with raw HTML escaped
    and unsafe links (javascript:…) refused, so the text cannot inject markup."""
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    return Markup(MarkdownIt("commonmark", {"html": False}).render(_text(value)))
