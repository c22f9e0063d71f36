"""The reference point: a plain static-site build (Hugo) of the same trading days.

One Markdown page per trading day with about as much text as a report page (the day's indices,
investor flows, every stock, and the three months of closes that the report's chart table
shows), a home page and a section list, with one simple layout. No charts, no analysis: what it
costs to turn that many pages of text into HTML with a fast, compiled generator.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from pathlib import Path

_CONFIG = """baseURL = "/"
title = "Reference"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""

_BASEOF = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main><footer>Reference build</footer></body></html>
"""

_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "January 2, 2006" }}</time>
{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav></article>{{ end }}
"""

_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>{{ end }}
"""


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def make_site(data: Path, folder: Path, window: int = 63) -> int:
    """Write a Hugo site for the trading days in ``data`` into ``folder``; returns its page count."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "layouts" / "_default").mkdir(parents=True)
    (folder / "content" / "reports").mkdir(parents=True)
    (folder / "config.toml").write_text(_CONFIG, encoding="utf-8")
    (folder / "layouts" / "_default" / "baseof.html").write_text(_BASEOF, encoding="utf-8")
    (folder / "layouts" / "_default" / "single.html").write_text(_SINGLE, encoding="utf-8")
    (folder / "layouts" / "_default" / "list.html").write_text(_LIST, encoding="utf-8")
    (folder / "content" / "_index.md").write_text("---\ntitle: Home\n---\n", encoding="utf-8")

    names = {r["ticker"]: r["name"] for r in _read(data / "stocks.csv")}
    index_rows = _read(data / "index_daily.csv")
    headline = index_rows[0]["index"] if index_rows else "KOSPI"
    by_day: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in index_rows:
        by_day[r["date"]].append(r)
    stocks: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in _read(data / "stock_prices.csv"):
        stocks[r["date"]].append(r)
    flows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in _read(data / "investor_flows.csv"):
        flows[r["date"]].append(r)
    days = sorted(by_day)
    closes = [next((r for r in by_day[d] if r["index"] == headline), by_day[d][0]) for d in days]
    for n, day in enumerate(days):
        parts = [
            f"---\ntitle: \"{headline} report for {day}\"\ndate: {day}\n---\n",
            f"The {headline} closed at {closes[n]['close']} on {day}, from {closes[n - 1]['close'] if n else closes[n]['open']}. "
            "Foreigners, institutions and individuals traded as the table below shows.\n",
            "## Indices\n",
            _table(["Index", "Open", "High", "Low", "Close", "Volume"],
                   [[r["index"], r["open"], r["high"], r["low"], r["close"], r["volume"]] for r in by_day[day]]),
            "\n## Investor flows\n",
            _table(["Market", "Investor", "Net buying (won)"], [[r["market"], r["investor"], r["net_buy"]] for r in flows[day]]),
            "\n## Stocks\n",
            _table(["Ticker", "Name", "Open", "High", "Low", "Close", "Volume"],
                   [[r["ticker"], names.get(r["ticker"], r["ticker"]), r["open"], r["high"], r["low"], r["close"], r["volume"]]
                    for r in stocks[day]]),
            f"\n## {headline}, three months\n",
            _table(["Date", "Open", "High", "Low", "Close"],
                   [[c["date"], c["open"], c["high"], c["low"], c["close"]] for c in closes[max(0, n - window + 1) : n + 1]]),
            "",
        ]
        (folder / "content" / "reports" / f"{day}.md").write_text("\n".join(parts), encoding="utf-8")
    return len(days)


def command(site: Path, out: Path) -> list[str]:
    """The reference build: ``hugo --quiet`` from scratch (no resource cache) into ``out``."""
    hugo = shutil.which("hugo") or "hugo"
    return [hugo, "--quiet", "--source", str(site), "--destination", str(out), "--cacheDir", str(site / ".cache")]
