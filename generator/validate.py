"""Stage 2, validate: turn raw tables into typed frames, or list every problem.

Each check is vectorised over a whole column, and each failing row is reported with its file,
its line and the column, in the words of the data contract (docs/data-contract.md).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import frontmatter
import numpy as np
import pandas as pd
import yaml

from generator.config import SiteConfig
from generator.contract import BY_NAME, DataFile
from generator.dataset import Commentary, Dataset, Page
from generator.errors import ContentError, Problem
from generator.load import LINE, RawContent, Table

#: At most this many problems are reported per file and column, so a broken export stays readable.
MAX_PER_COLUMN = 20
_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
_TICKER_RE = r"^[0-9A-Z]{6}$"
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


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
        elif n == MAX_PER_COLUMN + 1:
            self.problems.append(Problem(str(path), None, column, "more problems in this column not shown", severity))

    def rows(self, table: Table, mask: pd.Series, column: str | None, message) -> None:
        """Report every row where ``mask`` is true; ``message`` may be a function of the cell."""
        for idx in np.flatnonzero(mask.to_numpy()):
            row = table.rows.iloc[idx]
            text = message(row[column]) if callable(message) else message
            self.add(table.path, int(row[LINE]), column, text)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def validate(raw: RawContent, config: SiteConfig, config_warnings: list[Problem] | None = None) -> Dataset:
    """Check everything; return a Dataset, or raise ContentError with every error found."""
    out = _Collector()
    for warning in config_warnings or []:
        out.problems.append(warning)
    if "index_daily.csv" not in raw.tables:
        out.add(raw.root / "data" / "index_daily.csv", None, None, "is missing: it is the one required data file")
    frames = {name: _typed(raw.tables[name], BY_NAME[name], out) for name in raw.tables}
    empty = {spec.name: _empty(spec) for spec in BY_NAME.values()}
    get = lambda name: frames.get(name, empty[name])  # noqa: E731
    _check_tickers(raw, frames, config, out)
    dataset = Dataset(
        config=config,
        index_daily=get("index_daily.csv"),
        investor_flows=get("investor_flows.csv"),
        margin_loans=get("margin_loans.csv"),
        stock_prices=get("stock_prices.csv"),
        stock_lending=get("stock_lending.csv"),
        stocks=get("stocks.csv"),
        fx=get("fx.csv"),
    )
    if not out.errors and dataset.index_daily.empty is False and not dataset.trading_days:
        out.add(raw.tables["index_daily.csv"].path, None, "index", f"has no rows for the headline index {config.headline_index!r}")
    days = set(dataset.trading_days) if not out.errors else set()
    dataset.commentary = _commentary(raw, days, out, check_days=not out.errors)
    dataset.pages = _pages(raw, out)
    if out.errors:
        raise ContentError(out.problems)
    dataset.warnings = [p for p in out.problems if p.severity == "warning"]
    return dataset


def _empty(spec: DataFile) -> pd.DataFrame:
    frame = pd.DataFrame({c.name: pd.Series(dtype=_dtype(c.kind)) for c in spec.columns})
    frame[LINE] = pd.Series(dtype="int64")
    return frame


def _dtype(kind: str) -> str:
    return {"date": "datetime64[ns]", "number": "float64", "money": "float64"}.get(kind, "object")


def _typed(table: Table, spec: DataFile, out: _Collector) -> pd.DataFrame:
    """Convert one table's columns to their contract types, reporting each bad cell."""
    path, rows = table.path, table.rows
    dupes = sorted({h for h in table.header if table.header.count(h) > 1})
    for name in dupes:
        out.add(path, 1, name, "column appears more than once in the header")
    missing = [c for c in spec.required_columns if c not in table.header]
    for name in missing:
        found = ", ".join(table.header) or "nothing"
        out.add(path, 1, name, f"required column is missing (the header has: {found})")
    if missing:
        return _empty(spec)
    frame = pd.DataFrame({LINE: rows[LINE].astype("int64")})
    ok = pd.Series(True, index=rows.index)
    for col in spec.columns:
        if col.name not in rows:
            frame[col.name] = pd.Series(np.nan if col.kind in ("number", "money") else None, index=rows.index, dtype=_dtype(col.kind))
            continue
        cells = rows[col.name].astype(str)
        empty = cells == ""
        if col.kind == "date":
            shaped = cells.str.match(_DATE_RE)
            values = pd.to_datetime(cells.where(shaped), format="%Y-%m-%d", errors="coerce")
            bad = values.isna()
            out.rows(table, bad & empty, col.name, "is empty, expected a date YYYY-MM-DD")
            out.rows(table, bad & ~empty & ~shaped, col.name, lambda v: f"{v!r} is not a date, expected YYYY-MM-DD")
            out.rows(table, bad & shaped, col.name, lambda v: f"{v!r} is not a real calendar date")
        elif col.kind in ("number", "money"):
            numeric = cells.str.replace(",", "", regex=False).str.match(_NUMBER_RE)
            values = pd.to_numeric(cells.str.replace(",", "", regex=False).where(numeric), errors="coerce").astype("float64")
            values = values.where(np.isfinite(values))
            bad = values.isna() & (col.required | ~empty)
            out.rows(table, bad & empty, col.name, "is empty, expected a number")
            out.rows(table, bad & ~empty, col.name, lambda v: f"{v!r} is not a number")
            if col.positive:
                neg = values.notna() & (values <= 0)
                out.rows(table, neg, col.name, lambda v: f"{v} must be greater than zero")
                bad |= neg
            if col.non_negative:
                neg = values.notna() & (values < 0)
                out.rows(table, neg, col.name, lambda v: f"{v} is negative, expected zero or more")
                bad |= neg
        elif col.kind == "ticker":
            values = cells
            bad = ~cells.str.match(_TICKER_RE)
            out.rows(table, bad, col.name, lambda v: f"{v!r} is not a ticker, expected 6 characters such as 005930 (keep the leading zeros)")
        else:
            values = cells
            bad = empty & col.required
            out.rows(table, bad, col.name, "is empty")
            if col.choices:
                unknown = ~empty & ~cells.isin(col.choices)
                choices = ", ".join(col.choices)
                out.rows(table, unknown, col.name, lambda v, c=choices: f"{v!r} is not a known value, expected one of {c}")
                bad |= unknown
        frame[col.name] = values
        ok &= ~bad
    frame = frame[ok]
    key = list(spec.key)
    dup = frame.duplicated(key, keep="first")
    for idx in np.flatnonzero(dup.to_numpy()):
        row = frame.iloc[idx]
        first = frame[(frame[key] == row[key]).all(axis=1)].iloc[0]
        what = ", ".join(f"{k} {_show(row[k])}" for k in key)
        out.add(table.path, int(row[LINE]), key[0], f"duplicate row for {what} (first on line {int(first[LINE])})")
    frame = frame[~dup]
    if spec.ohlc:
        _check_ohlc(table, frame, out)
    sort = [k for k in key if k != "date"] + (["date"] if "date" in key else [])
    return frame.sort_values(sort, kind="stable").reset_index(drop=True)


def _show(value) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def _check_ohlc(table: Table, frame: pd.DataFrame, out: _Collector) -> None:
    """Prices must be consistent: low <= open, close <= high."""
    for mask, column, text in (
        (frame["high"] < frame["low"], "high", "high {high:g} is below low {low:g}"),
        ((frame["close"] > frame["high"]) | (frame["close"] < frame["low"]), "close", "close {close:g} is outside the day's range {low:g}–{high:g}"),
        ((frame["open"] > frame["high"]) | (frame["open"] < frame["low"]), "open", "open {open:g} is outside the day's range {low:g}–{high:g}"),
    ):
        for _, row in frame[mask].iterrows():
            out.add(table.path, int(row[LINE]), column, text.format(**row))


def _check_tickers(raw: RawContent, frames: dict[str, pd.DataFrame], config: SiteConfig, out: _Collector) -> None:
    """Tickers in prices and lending must be listed in stocks.csv (when it exists)."""
    if "stocks.csv" not in frames:
        return
    known = set(frames["stocks.csv"]["ticker"])
    for name in ("stock_prices.csv", "stock_lending.csv"):
        frame = frames.get(name)
        if frame is None or frame.empty:
            continue
        unknown = frame[~frame["ticker"].isin(known)]
        for ticker, rows in unknown.groupby("ticker", sort=True):
            out.add(raw.tables[name].path, int(rows[LINE].iloc[0]), "ticker", f"{ticker!r} is not in stocks.csv ({len(rows)} rows)")
    path = raw.root / "site.toml"
    for ticker in config.tracked_tickers:
        if ticker not in known:
            out.add(path, None, "tracked_tickers", f"{ticker!r} is not in stocks.csv")


def _front_matter(path: Path, text: str, out: _Collector) -> tuple[dict, str] | None:
    """Split YAML front matter from Markdown; report a broken block with its line."""
    if not text.startswith("---"):
        out.add(path, 1, None, "has no front matter: expected a first line '---', then title, summary, author, then '---'")
        return None
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        out.add(path, line, None, f"front matter is not valid YAML: {reason}")
        return None
    except Exception as exc:  # python-frontmatter raises plain errors for odd shapes
        out.add(path, 1, None, f"front matter could not be read: {exc}")
        return None
    if not isinstance(post.metadata, dict):
        out.add(path, 2, None, "front matter must be 'key: value' lines")
        return None
    return post.metadata, post.content


def _meta_line(text: str, key: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return n
    return 1


def _commentary(raw: RawContent, days: set[dt.date], out: _Collector, check_days: bool) -> dict[dt.date, Commentary]:
    notes: dict[dt.date, Commentary] = {}
    for file in raw.commentary:
        path = file.path
        try:
            day = dt.date.fromisoformat(path.stem)
        except ValueError:
            out.add(path, None, None, "commentary files are named YYYY-MM-DD.md after the day they discuss")
            continue
        parsed = _front_matter(path, file.text, out)
        if parsed is None:
            continue
        meta, body = parsed
        fields: dict[str, str] = {}
        for key, required in (("title", True), ("summary", False), ("author", False), ("published", False), ("updated", False)):
            value = meta.get(key)
            if value is None or value == "":
                if required:
                    out.add(path, 1, key, "is missing from the front matter")
                continue
            if isinstance(value, (dt.date, dt.datetime)):
                value = value.isoformat()
            if not isinstance(value, (str, int, float)):
                out.add(path, _meta_line(file.text, key), key, "expected text")
                continue
            fields[key] = str(value)
        if check_days and day not in days:
            out.add(path, None, None, f"is for {day}, which has no data in index_daily.csv (not a trading day in the data)")
            continue
        if "title" in fields:
            notes[day] = Commentary(
                date=day,
                title=fields["title"],
                summary=fields.get("summary", ""),
                author=fields.get("author", ""),
                body=body,
                path=path,
                published=fields.get("published"),
                updated=fields.get("updated"),
            )
    return notes


def _pages(raw: RawContent, out: _Collector) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for file in raw.pages:
        slug = file.path.stem
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
            out.add(file.path, None, None, "page file names are lowercase letters, digits and hyphens, e.g. about.md")
            continue
        parsed = _front_matter(file.path, file.text, out)
        if parsed is None:
            continue
        meta, body = parsed
        title = meta.get("title")
        if not isinstance(title, str) or not title:
            out.add(file.path, 1, "title", "is missing from the front matter")
            continue
        pages[slug] = Page(slug=slug, title=title, body=body, path=file.path, meta=dict(meta))
    return pages
