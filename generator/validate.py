"""Stage 2, validate: turn raw tables into typed frames, or list every problem.

Each check is vectorised over a whole column, and each failing row is reported with its file,
its line and the column, in the words of the data contract (docs/data-contract.md). Every
message says what is wrong and what was expected, because the reader is an editor at a text
editor, not a programmer at a traceback. Checks are arranged so that one mistake gives one
message: a row dropped for a bad cell does not also make its ticker "unknown" or its day
"missing".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from generator.config import SiteConfig
from generator.contract import BY_NAME, TICKER_PATTERN, DataFile
from generator.dataset import Commentary, Dataset, Page
from generator.errors import ContentError, Problem
from generator.load import LINE, CsvTable, RawContent

#: At most this many problems are reported per file and column, so a broken export stays readable.
MAX_PER_COLUMN = 20
#: Dates and numbers are read in ASCII digits only: ``\d`` would also match full-width (２０２６)
#: and other scripts' digits (٢٠٢٦), which are refused with a message saying so.
_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_TICKER_RE = TICKER_PATTERN
_NUMBER_RE = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
#: A number whose commas group thousands (1,443.00); any other comma is a decimal comma (1.443,00).
_GROUPED_RE = r"^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$"
#: A digit that is not 0-9 (full-width, Arabic-Indic, Devanagari ...).
_OTHER_DIGIT = r"(?![0-9])\d"
#: The largest magnitude a value can have and still be right: prices, levels and volumes
#: ("number") stay far below a trillion, amounts in won ("money") far below ten quadrillion
#: (the whole market is worth a few quadrillion). Anything larger is a typo or a unit mix-up,
#: and 1e300-sized values would overflow the sums of the analysis.
LARGEST = {"number": 1e12, "money": 1e16}
#: Page slugs (file names of content/pages/ and the optional ``slug`` field): they become URLs.
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
#: Names that may end up in a URL or file name (index and market names): no path tricks.
_UNSAFE_NAME = r"[/\\\x00-\x1f\x7f]|^\.|\.$"
_NAME_COLUMNS = {
    ("index_daily.csv", "index"),
    ("investor_flows.csv", "market"),
    ("stocks.csv", "market"),
}
_FRONT_MATTER_FIELDS = ("title", "summary", "author", "published", "updated")
_EXAMPLE_FRONT_MATTER = "expected a first line '---', then lines like title: ..., then a line '---'"


class _Collector:
    """Gathers problems, capping repeats per (file, column) so one bad column is not 10,000 lines."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._counts: dict[tuple[str, str | None], int] = {}

    def add(self, path: Path | str, line: int | None, column: str | None, message: str, severity: str = "error") -> None:
        key = (str(path), column)
        n = self._counts.get(key, 0) + 1
        self._counts[key] = n
        if n <= MAX_PER_COLUMN:
            self.problems.append(Problem(str(path), line, column, message, severity))

    def rows(self, table: CsvTable, mask: pd.Series, column: str | None, message) -> None:
        """Report every row where ``mask`` is true; ``message`` may be a function of the cell."""
        for idx in np.flatnonzero(mask.to_numpy()):
            row = table.rows.iloc[idx]
            text = message(row[column]) if callable(message) else message
            self.add(table.path, int(row[LINE]), column, text)

    def finish(self) -> list[Problem]:
        """Every problem, plus one line per (file, column) saying how many were not shown."""
        for (path, column), n in self._counts.items():
            if n > MAX_PER_COLUMN:
                hidden = n - MAX_PER_COLUMN
                self.problems.append(
                    Problem(path, None, column, f"{hidden} more problem{'s' if hidden != 1 else ''} in this column not shown")
                )
        return self.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def validate(raw: RawContent, config: SiteConfig, config_warnings: list[Problem] | None = None) -> Dataset:
    """Check everything; return a Dataset, or raise ContentError with every error found."""
    out = _Collector()
    for warning in config_warnings or []:
        out.problems.append(warning)
    if "index_daily.csv" not in raw.tables:
        out.add(
            raw.root / "data" / "index_daily.csv",
            None,
            None,
            "is missing, expected it in the data folder: it is the one required data file",
        )
    frames = {name: _typed(raw.tables[name], BY_NAME[name], out) for name in raw.tables}
    empty = {spec.name: _empty(spec) for spec in BY_NAME.values()}
    get = lambda name: frames.get(name, empty[name])  # noqa: E731
    _check_tickers(raw, config, out)
    dataset = Dataset(
        config=config,
        index_daily=get("index_daily.csv"),
        investor_flows=get("investor_flows.csv"),
        margin_loans=get("margin_loans.csv"),
        stock_prices=get("stock_prices.csv"),
        stock_lending=get("stock_lending.csv"),
        stocks=get("stocks.csv"),
        fx=get("fx.csv"),
        events=get("events.csv"),
    )
    days = _headline_days(raw, config)
    if days is not None and not days:
        out.add(
            raw.tables["index_daily.csv"].path,
            None,
            "index",
            f"has no rows for the headline index {config.headline_index!r}, expected at least one "
            "(or set headline_index in site.toml to an index the file has)",
        )
    dataset.commentary, dataset.commentary_ko = _commentary(raw, days, config, out)
    _check_event_days(raw, dataset, days, config, out)
    dataset.pages = _pages(raw, out)
    problems = out.finish()
    if out.errors:
        raise ContentError(problems)
    dataset.warnings = [p for p in problems if p.severity == "warning"]
    return dataset


def _empty(spec: DataFile) -> pd.DataFrame:
    frame = pd.DataFrame({c.name: pd.Series(dtype=_dtype(c.kind)) for c in spec.columns})
    frame[LINE] = pd.Series(dtype="int64")
    return frame


def _dtype(kind: str) -> str:
    return {"date": "datetime64[ns]", "number": "float64", "money": "float64"}.get(kind, "object")


def date_problem(text: str) -> str | None:
    """Why ``text`` is not a date YYYY-MM-DD, in an editor's words (None when it is one)."""
    if re.search(_OTHER_DIGIT, text):
        return f"{text!r} has digits other than 0-9 (full-width or another script's), expected a date YYYY-MM-DD in digits 0-9"
    if not re.match(_DATE_RE, text):
        return f"{text!r} is not a date, expected YYYY-MM-DD" if text else "is empty, expected a date YYYY-MM-DD"
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:10])
    if not 1 <= month <= 12:
        return f"{text!r} is not a real date (there is no month {month}), expected a calendar date YYYY-MM-DD"
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last:
        month_name = calendar.month_name[month]
        return f"{text!r} is not a real date ({month_name} {year} has {last} days), expected a calendar date YYYY-MM-DD"
    if not 1900 <= year <= 2200:
        return f"{text!r} is out of range, expected a date between 1900 and 2200"
    return None


def _typed(table: CsvTable, spec: DataFile, out: _Collector) -> pd.DataFrame:
    """Convert one table's columns to their contract types, reporting each bad cell."""
    path, rows = table.path, table.rows
    dupes = sorted({h for h in table.header if table.header.count(h) > 1})
    for name in dupes:
        out.add(path, 1, name, "appears more than once in the header, expected each column once")
    missing = [c for c in spec.required_columns if c not in table.header]
    for name in missing:
        found = ", ".join(h for h in table.header if h) or "nothing"
        out.add(path, 1, name, f"required column is missing, expected it in the header (the header has: {found})")
    if missing:
        return _empty(spec)
    frame = pd.DataFrame({LINE: rows[LINE].astype("int64")})
    ok = pd.Series(True, index=rows.index)
    for col in spec.columns:
        if col.name not in rows:
            frame[col.name] = pd.Series(
                np.nan if col.kind in ("number", "money") else None, index=rows.index, dtype=_dtype(col.kind)
            )
            continue
        cells = rows[col.name].astype(str)
        empty = cells == ""
        if col.kind == "date":
            shaped = cells.str.match(_DATE_RE)
            values = pd.to_datetime(cells.where(shaped), format="%Y-%m-%d", errors="coerce")
            bad = values.isna() | (values.dt.year < 1900) | (values.dt.year > 2200)
            out.rows(table, bad, col.name, lambda v: date_problem(v) or f"{v!r} is not a usable date, expected YYYY-MM-DD")
        elif col.kind in ("number", "money"):
            values, bad = _numbers(table, col, cells, empty, out)
        elif col.kind == "ticker":
            values = cells
            bad = ~cells.str.match(_TICKER_RE)
            out.rows(table, bad & empty, col.name, "is empty, expected a ticker of 6 characters such as 005930")
            out.rows(
                table,
                bad & ~empty,
                col.name,
                lambda v: f"{v!r} is not a ticker, expected 6 digits or capital letters such as 005930 (keep the leading zeros)",
            )
        else:
            values = cells
            bad = empty & col.required
            out.rows(table, bad, col.name, "is empty, expected a value")
            if col.choices:
                unknown = ~empty & ~cells.isin(col.choices)
                choices = ", ".join(col.choices)
                out.rows(table, unknown, col.name, lambda v, c=choices: f"{v!r} is not a known value, expected one of {c}")
                bad |= unknown
            elif (spec.name, col.name) in _NAME_COLUMNS:
                unsafe = ~empty & cells.str.contains(_UNSAFE_NAME, regex=True)
                out.rows(
                    table,
                    unsafe,
                    col.name,
                    lambda v: (
                        f"{v!r} cannot be used as a name, expected no slashes, backslashes, control characters or leading/trailing dots"
                    ),
                )
                bad |= unsafe
        frame[col.name] = values
        ok &= ~bad
    frame = frame[ok]
    key = list(spec.key)
    dup = frame.duplicated(key, keep="first")
    if dup.any():
        firsts = frame[~frame.duplicated(key, keep="first")].set_index(key)[LINE]
        what_key = " and ".join(key)
        for idx in np.flatnonzero(dup.to_numpy()):
            row = frame.iloc[idx]
            values = tuple(row[k] for k in key)
            first = int(firsts.loc[values if len(key) > 1 else values[0]])
            what = ", ".join(f"{k} {_show(row[k])}" for k in key)
            out.add(
                table.path,
                int(row[LINE]),
                key[0],
                f"duplicate row for {what} (first on line {first}), expected one row per {what_key}",
            )
        frame = frame[~dup]
    if spec.ohlc:
        frame = _check_ohlc(table, frame, out)
    sort = [k for k in key if k != "date"] + (["date"] if "date" in key else [])
    return frame.sort_values(sort, kind="stable").reset_index(drop=True)


def _numbers(table: CsvTable, col, cells: pd.Series, empty: pd.Series, out: _Collector) -> tuple[pd.Series, pd.Series]:
    """A number column's values and its bad rows, each reported once, most specific reason first.

    A comma is read as a thousands separator only where it groups thousands (1,443.00); any
    other comma is a decimal comma (1.443,00 or 1,5) and is refused rather than guessed at,
    because read either way it can make a number a thousand times too large or too small.
    """
    grouped = cells.str.match(_GROUPED_RE)
    plain = cells.where(~grouped, cells.str.replace(",", "", regex=False))
    numeric = plain.str.match(_NUMBER_RE)
    values = pd.to_numeric(plain.where(numeric), errors="coerce").astype("float64")
    values = values.where(np.isfinite(values))
    bad = values.isna() & (col.required | ~empty)
    other_digits = cells.str.contains(_OTHER_DIGIT, regex=True)
    # a decimal comma: the cell reads as a number once "." is taken as grouping and "," as the point
    european = cells.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    decimal_comma = cells.str.contains(",", regex=False) & ~grouped & european.str.match(_NUMBER_RE)
    out.rows(table, bad & empty, col.name, "is empty, expected a number")
    out.rows(table, bad & ~empty & numeric, col.name, lambda v: f"{v!r} is too large, expected an ordinary number")
    out.rows(
        table,
        bad & ~empty & ~numeric & other_digits,
        col.name,
        lambda v: f"{v!r} has digits other than 0-9 (full-width or another script's), expected digits 0-9 such as 1234.5",
    )
    out.rows(
        table,
        bad & ~empty & ~numeric & ~other_digits & decimal_comma,
        col.name,
        lambda v: f"{v!r} has a decimal comma, expected a decimal point such as 1443.00 "
        "(a comma may only group thousands, as in 1,443.00)",
    )
    out.rows(
        table,
        bad & ~empty & ~numeric & ~other_digits & ~decimal_comma,
        col.name,
        lambda v: f"{v!r} is not a number, expected digits such as 1234.5",
    )
    largest = LARGEST[col.kind]
    huge = values.notna() & (values.abs() > largest)
    out.rows(table, huge, col.name, lambda v: f"{v!r} is too large to be right, expected at most {largest:,.0f}")
    bad |= huge
    if col.positive:
        neg = values.notna() & ~huge & (values <= 0)
        out.rows(table, neg, col.name, lambda v: f"{v!r} is not above zero, expected a positive number")
        bad |= neg
    if col.non_negative:
        neg = values.notna() & ~huge & (values < 0)
        out.rows(table, neg, col.name, lambda v: f"{v!r} is negative, expected zero or more")
        minus_zero = values.notna() & (values == 0) & plain.str.startswith("-")  # pandas reads '-0' as 0
        out.rows(table, minus_zero, col.name, lambda v: f"{v!r} is a negative zero, expected zero or more (write 0)")
        bad |= neg | minus_zero
    return values + 0.0, bad  # + 0.0: a -0 of a signed column is published as 0


def _show(value) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def _check_ohlc(table: CsvTable, frame: pd.DataFrame, out: _Collector) -> pd.DataFrame:
    """Prices must be consistent: low <= open, close <= high. One message per bad row,
    quoting the cells as the editor typed them; the bad rows are dropped."""
    raw = table.rows
    inverted = frame["high"] < frame["low"]
    for idx in frame.index[inverted]:
        out.add(
            table.path,
            int(frame.at[idx, LINE]),
            "high",
            f"high {raw.at[idx, 'high']} is below low {raw.at[idx, 'low']}, expected the high to be at least the low",
        )
    bad = inverted.copy()
    for column in ("close", "open"):
        outside = ~inverted & ((frame[column] > frame["high"]) | (frame[column] < frame["low"]))
        for idx in frame.index[outside]:
            out.add(
                table.path,
                int(frame.at[idx, LINE]),
                column,
                f"{column} {raw.at[idx, column]} is outside the day's range {raw.at[idx, 'low']}–{raw.at[idx, 'high']}, "
                f"expected {'an' if column == 'open' else 'a'} {column} between the low and the high",
            )
        bad |= outside
    return frame[~bad]


def _raw_tickers(raw: RawContent) -> set[str] | None:
    """Tickers listed in stocks.csv as typed (rows with other problems included, so a bad
    name does not also make the stock's prices "unknown"); None without a usable stocks.csv."""
    table = raw.tables.get("stocks.csv")
    if table is None or "ticker" not in table.rows:
        return None
    return set(table.rows["ticker"].astype(str))


def _check_tickers(raw: RawContent, config: SiteConfig, out: _Collector) -> None:
    """Tickers in prices and lending, and tracked tickers, must be listed in stocks.csv (when it exists)."""
    known = _raw_tickers(raw)
    if known is None:
        return
    for name in ("stock_prices.csv", "stock_lending.csv"):
        table = raw.tables.get(name)
        if table is None or "ticker" not in table.rows or table.rows.empty:
            continue
        tickers = table.rows["ticker"].astype(str)
        unknown = table.rows[tickers.str.match(_TICKER_RE) & ~tickers.isin(known)]
        for ticker, rows in unknown.groupby("ticker", sort=True):
            n = len(rows)
            out.add(
                table.path,
                int(rows[LINE].min()),
                "ticker",
                f"{ticker!r} is not in stocks.csv ({n} row{'s use' if n != 1 else ' uses'} it), expected a ticker listed there",
            )
    path = raw.root / "site.toml"
    for ticker in config.tracked_tickers:
        if ticker not in known:
            out.add(
                path,
                _toml_line(path, "tracked_tickers"),
                "tracked_tickers",
                f"{ticker!r} is not in stocks.csv, expected a ticker listed there",
            )


def _toml_line(path: Path, key: str) -> int | None:
    from generator.config import line_of

    return line_of(path, key)


def _headline_days(raw: RawContent, config: SiteConfig) -> set[dt.date] | None:
    """The days index_daily.csv has a row for the headline index, read from the raw cells so
    that a row with a bad price still counts as "a day with data"; None when unknowable."""
    table = raw.tables.get("index_daily.csv")
    if table is None or "date" not in table.rows or "index" not in table.rows:
        return None
    rows = table.rows[table.rows["index"] == config.headline_index]
    days: set[dt.date] = set()
    for text in rows["date"].astype(str):
        if date_problem(text) is None:
            days.add(dt.date.fromisoformat(text))
    return days


def _check_event_days(raw: RawContent, dataset: Dataset, days: set[dt.date] | None, config: SiteConfig, out: _Collector) -> None:
    """An event is told in its day's report, so it must be dated on a day the report has."""
    table = raw.tables.get("events.csv")
    if table is None or days is None or dataset.events.empty:
        return
    for day, line in zip(dataset.events["date"], dataset.events[LINE], strict=True):
        if day.date() not in days:
            out.add(
                table.path,
                int(line),
                "date",
                f"is {day.date().isoformat()}, which has no {config.headline_index} row in index_daily.csv, "
                "expected an event on a day of the report",
            )


def split_front_matter(path: Path, text: str, out: _Collector) -> tuple[dict, str] | None:
    """Split YAML front matter from Markdown; report a broken block at its line in the file.

    Written here rather than delegated so that a YAML error points at the editor's line (the
    block starts on line 2) and an unclosed block is named as such.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        out.add(path, 1, None, f"has no front matter, {_EXAMPLE_FRONT_MATTER}")
        return None
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        out.add(path, 1, None, "front matter is not closed, expected a line '---' after the title, summary and author")
        return None
    block = "\n".join(lines[1:end])
    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = min(mark.line + 2, end) if mark is not None else 2
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        reason = re.sub(r"'<(stream|document) end>'", "the end of the front matter", reason)
        out.add(
            path,
            line,
            None,
            f"front matter is not valid YAML ({reason}), expected lines like title: Markets rally (quote text that contains ': ')",
        )
        return None
    except (ValueError, RecursionError, OverflowError) as exc:  # e.g. published: 2025-02-30
        out.add(path, 2, None, f"front matter has a value YAML cannot read ({exc}), expected real dates and plain text")
        return None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        out.add(path, 2, None, "front matter is not 'key: value' lines, expected lines like title: Markets rally")
        return None
    return meta, "\n".join(lines[end + 1 :])


def _meta_line(text: str, key: str) -> int:
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith(f"{key}:"):
            return n
    return 1


def _text_fields(path: Path, text: str, meta: dict, out: _Collector, required: tuple[str, ...]) -> dict[str, str]:
    """The front-matter fields that are text (dates become ISO text); others are reported."""
    fields: dict[str, str] = {}
    for key in _FRONT_MATTER_FIELDS:
        value = meta.get(key)
        if value is None or value == "":
            if key in required:
                out.add(path, 1, key, f"is missing from the front matter, expected a line {key}: ...")
            continue
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            kind = "a list" if isinstance(value, list) else "a nested block" if isinstance(value, dict) else "not text"
            out.add(path, _meta_line(text, key), key, f"is {kind}, expected text (put it in quotes)")
            continue
        fields[key] = str(value)
    return fields


def _commentary(
    raw: RawContent, days: set[dt.date] | None, config: SiteConfig, out: _Collector
) -> tuple[dict[dt.date, Commentary], dict[dt.date, Commentary]]:
    """The editors' notes by day: English (``YYYY-MM-DD.md``) and Korean (``YYYY-MM-DD.ko.md``)."""
    notes: dict[dt.date, Commentary] = {}
    notes_ko: dict[dt.date, Commentary] = {}
    for file in raw.commentary:
        path = file.path
        stem = path.stem
        korean = stem.endswith(".ko")  # YYYY-MM-DD.ko.md: the Korean edition's note of that day
        stem = stem.removesuffix(".ko")
        if re.search(_OTHER_DIGIT, stem):
            out.add(
                path,
                None,
                None,
                f"{path.name!r} has digits other than 0-9 in its name (full-width or another script's), "
                "expected YYYY-MM-DD.md in digits 0-9",
            )
            continue
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", stem):
            out.add(
                path,
                None,
                None,
                f"{path.name!r} is not a commentary file name, expected YYYY-MM-DD.md named after the day it discusses",
            )
            continue
        if (why := date_problem(stem)) is not None:
            out.add(path, None, None, f"file name {why.removeprefix(repr(stem) + ' ')}")
            continue
        day = dt.date.fromisoformat(stem)
        parsed = split_front_matter(path, file.text, out)
        if parsed is None:
            continue
        meta, body = parsed
        fields = _text_fields(path, file.text, meta, out, required=("title",))
        if days is not None and day not in days:
            out.add(
                path,
                None,
                None,
                f"is for {day.isoformat()}, which has no {config.headline_index} row in index_daily.csv, "
                "expected commentary only for days in the data",
            )
            continue
        if "title" in fields:
            (notes_ko if korean else notes)[day] = Commentary(
                date=day,
                title=fields["title"],
                summary=fields.get("summary", ""),
                author=fields.get("author", ""),
                body=body,
                path=path,
                published=fields.get("published"),
                updated=fields.get("updated"),
            )
    return notes, notes_ko


def _pages(raw: RawContent, out: _Collector) -> dict[str, Page]:
    """Standalone pages; the URL is the file name, or the optional front-matter ``slug``."""
    pages: dict[str, Page] = {}
    for file in raw.pages:
        slug = file.path.stem
        if not SLUG_RE.fullmatch(slug):
            out.add(
                file.path,
                None,
                None,
                f"{file.path.name!r} is not a page file name, expected lowercase letters, digits and hyphens such as about.md",
            )
            continue
        parsed = split_front_matter(file.path, file.text, out)
        if parsed is None:
            continue
        meta, body = parsed
        fields = _text_fields(file.path, file.text, meta, out, required=("title",))
        if "slug" in meta:
            given = meta["slug"]
            if not isinstance(given, str) or not SLUG_RE.fullmatch(given):
                out.add(
                    file.path,
                    _meta_line(file.text, "slug"),
                    "slug",
                    f"{given!r} is not a page address, expected lowercase letters, digits and hyphens such as about",
                )
                continue
            slug = given
        if "title" not in fields:
            continue
        if slug in pages:
            out.add(
                file.path,
                None,
                None,
                f"has the same address /{slug}/ as {pages[slug].path.name}, expected each page to have its own",
            )
            continue
        pages[slug] = Page(slug=slug, title=fields["title"], body=body, path=file.path, meta=dict(meta))
    return pages
