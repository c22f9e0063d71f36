"""Stage 1, load: read the content folder into raw, untyped tables and texts.

Nothing is interpreted here beyond decoding: every CSV cell stays a string and every row
keeps the line on which it starts (as a text editor counts lines, header = line 1), so
the validate stage can point an editor at the exact place of a problem.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.contract import DATA_FILES
from generator.errors import ContentError, Problem

#: Column holding each row's line number in the raw frames.
LINE = "_line"


@dataclass
class Table:
    """A CSV file as read: the header, and rows as strings with their line numbers."""

    path: Path
    header: list[str]
    rows: pd.DataFrame  # all str columns + LINE (int)


@dataclass
class TextFile:
    """A Markdown file (commentary or page) as read."""

    path: Path
    text: str


@dataclass
class RawContent:
    """Everything in the content folder, read but not yet checked."""

    root: Path
    tables: dict[str, Table] = field(default_factory=dict)
    commentary: list[TextFile] = field(default_factory=list)
    pages: list[TextFile] = field(default_factory=list)


def load_content(root: Path) -> RawContent:
    """Read every data file, commentary and page under ``root``.

    Collects every unreadable file (binary, not UTF-8, no header) and raises them together.
    """
    if not root.is_dir():
        raise ContentError.single(root, None, None, "content folder not found")
    raw = RawContent(root)
    problems: list[Problem] = []
    data_dir = root / "data"
    for spec in DATA_FILES:
        path = data_dir / spec.name
        if not path.exists():
            continue
        try:
            raw.tables[spec.name] = read_table(path)
        except ContentError as exc:
            problems.extend(exc.problems)
    for folder, target in (("commentary", raw.commentary), ("pages", raw.pages)):
        for path in sorted((root / folder).glob("*.md")):
            try:
                target.append(TextFile(path, decode_text(path.read_bytes(), path)))
            except ContentError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return raw


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (a BOM is accepted); refuse binary files and other encodings clearly."""
    if b"\x00" in data:
        raise ContentError.single(path, None, None, "is a binary file, expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("cp949")
            hint = " (it looks like CP949/EUC-KR: re-save it as UTF-8, or use `kospi-report import`)"
        except UnicodeDecodeError:
            pass
        raise ContentError.single(path, line, None, f"is not UTF-8 text{hint}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_table(path: Path) -> Table:
    """Parse one CSV file into strings, keeping each row's starting line."""
    text = decode_text(path.read_bytes(), path)
    if not text.strip():
        raise ContentError.single(path, 1, None, "is empty, expected a header line")
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
        records: list[list[str]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        for row in reader:
            if row and any(cell.strip() for cell in row):
                records.append(row)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ContentError.single(path, reader.line_num, None, f"is not valid CSV: {exc}") from None
    width = len(header)
    problems = [
        Problem(str(path), line, None, f"has {len(row)} fields, the header has {width}")
        for row, line in zip(records, lines, strict=True)
        if len(row) != width
    ]
    if problems:
        raise ContentError(problems[:50])
    frame = pd.DataFrame(records, columns=_unique(header), dtype=object)
    frame = frame.apply(lambda col: col.str.strip()) if len(frame) else frame
    frame[LINE] = lines
    return Table(path, header, frame)


def _unique(header: list[str]) -> list[str]:
    """Make duplicate header names distinct so pandas keeps both (the validator reports them)."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(name if n == 0 else f"{name}.{n}")
    return out
