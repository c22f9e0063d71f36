"""Stage 1, load: read the content folder into raw, untyped tables and texts.

Nothing is interpreted here beyond decoding: every CSV cell stays a string and every row
keeps the line on which it starts (as a text editor counts lines, header = line 1), so
the validate stage can point an editor at the exact place of a problem.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from generator.contract import DATA_FILES
from generator.errors import ContentError, Problem

#: Column holding each row's line number in the raw frames.
LINE = "_line"


@dataclass
class CsvTable:
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
    tables: dict[str, CsvTable] = field(default_factory=dict)
    commentary: list[TextFile] = field(default_factory=list)
    pages: list[TextFile] = field(default_factory=list)


def load_content(root: Path) -> RawContent:
    """Read every data file, commentary and page under ``root``.

    Collects every unreadable file (binary, not UTF-8, not CSV, ragged rows) and raises
    them together, so one run lists every file an editor has to fix.
    """
    if not root.is_dir():
        raise ContentError.single(
            root, None, None, "content folder not found, expected a folder holding data/, commentary/ and pages/"
        )
    raw = RawContent(root)
    problems: list[Problem] = []
    data_dir = root / "data"
    for spec in DATA_FILES:
        path = data_dir / spec.name
        if not os.path.lexists(path):
            continue  # a broken link is not "no file": read_bytes names it
        try:
            raw.tables[spec.name] = read_table(path, expected_header=[c.name for c in spec.columns])
        except ContentError as exc:
            problems.extend(exc.problems)
    for folder, target in (("commentary", raw.commentary), ("pages", raw.pages)):
        for path in sorted((root / folder).glob("*.md")):
            try:
                target.append(TextFile(path, decode_text(read_bytes(path), path)))
            except ContentError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return raw


#: Kinds of file that are not documents, by ``stat`` test; reading one may block forever (a FIFO)
#: or never end (``/dev/zero``), so they are refused before they are opened.
_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_regular(path: Path) -> None:
    """Refuse anything but a regular file (through symlinks) without opening it."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if os.path.islink(path):
            if exc.errno == errno.ELOOP:
                raise ContentError.single(path, None, None, "is a symbolic link that loops, expected a file") from None
            target = os.readlink(path)
            raise ContentError.single(
                path, None, None, f"is a symbolic link to {target}, which does not exist, expected a file"
            ) from None
        reason = (exc.strerror or str(exc)).lower()
        raise ContentError.single(path, None, None, f"cannot be read ({reason}), expected a readable file") from None
    if stat.S_ISDIR(info.st_mode):
        raise ContentError.single(path, None, None, "is a folder, expected a file")
    for test, kind in _SPECIAL:
        if test(info.st_mode):
            raise ContentError.single(path, None, None, f"is {kind}, not a file: refused without reading it, expected a regular file")


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or a ContentError an editor can act on (a folder, a FIFO, a broken link,
    no permission ...)."""
    check_regular(path)
    try:
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as handle:
            return handle.read()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise ContentError.single(path, None, None, f"cannot be read ({reason}), expected a readable file") from None


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (a BOM is accepted); refuse binary files and other encodings clearly.

    Line endings are normalised to "\n" so that line numbers match what an editor shows.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError.single(path, 1, None, 'is UTF-16 text, expected UTF-8: re-save it as UTF-8 (in Excel: "CSV UTF-8")')
    if b"\x00" in data:
        raise ContentError.single(path, None, None, "is a binary file, expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("cp949")
        except UnicodeDecodeError:
            message = "is not UTF-8 text, expected UTF-8: re-save the file as UTF-8"
        else:
            message = "is CP949/EUC-KR text, expected UTF-8: re-save it as UTF-8"
            if path.suffix.lower() == ".csv":
                message += ", or bring it in with `kospi-report import`"
        raise ContentError.single(path, line, None, message) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: At most this many ragged rows are reported per file.
MAX_RAGGED = 20


def read_table(path: Path, expected_header: list[str] | None = None) -> CsvTable:
    """Parse one CSV file into strings, keeping the line on which each row starts.

    Quoted fields may span lines; the line numbers of later rows stay those an editor sees.
    """
    text = decode_text(read_bytes(path), path)
    if not text.strip():
        want = f": {','.join(expected_header)}" if expected_header else ""
        raise ContentError.single(path, 1, None, f"is empty, expected a header line{want}")
    reader = csv.reader(io.StringIO(text), strict=True)
    start = 1
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
        raise ContentError.single(path, *_csv_problem(str(exc), start, reader.line_num)) from None
    if not any(header):
        want = f": {','.join(expected_header)}" if expected_header else ""
        raise ContentError.single(path, 1, None, f"has no header on line 1, expected the header line{want}")
    width = len(header)
    shown = ", ".join(header)
    ragged = [
        Problem(str(path), line, None, f"has {len(row)} fields, expected {width} like the header ({shown})")
        for row, line in zip(records, lines, strict=True)
        if len(row) != width
    ]
    if ragged:
        extra = len(ragged) - MAX_RAGGED
        if extra > 0:
            ragged = ragged[:MAX_RAGGED] + [
                Problem(str(path), None, None, f"{extra} more rows with the wrong number of fields are not shown")
            ]
        raise ContentError(ragged)
    frame = pd.DataFrame(records, columns=_unique(header), dtype=object)
    frame = frame.apply(lambda col: col.str.strip()) if len(frame) else frame
    frame[LINE] = lines
    return CsvTable(path, header, frame)


def _csv_problem(error: str, row_start: int, line: int) -> tuple[int, None, str]:
    """Turn the csv module's terse errors into (line, column, message) an editor can act on."""
    if "unexpected end of data" in error:
        return row_start, None, 'has a quote (") that is never closed, expected a closing quote before the end of the file'
    if "expected after" in error:
        return line, None, 'has text right after a closing quote, expected a comma (a quote inside a field is written "")'
    if "field larger than field limit" in error:
        return row_start, None, "has a field of more than 131,072 characters, expected short values (is a quote left open?)"
    return line, None, f"is not valid CSV ({error}), expected comma-separated values"


def _unique(header: list[str]) -> list[str]:
    """Make header names distinct (and distinct from LINE) so pandas keeps every column;
    the validator reports the duplicates."""
    taken: set[str] = set()
    out = []
    for name in header:
        candidate, n = name, 0
        while candidate in taken or candidate == LINE:
            n += 1
            candidate = f"{name}.{n}"
        taken.add(candidate)
        out.append(candidate)
    return out
