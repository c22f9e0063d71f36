"""Strings the page families pass to templates from Python (page titles, descriptions, the
bundled sample's notice), listed here so that message extraction puts them in the catalogue;
the renderer translates ``title`` and ``description`` on the way in (generator/render.py).

``N_`` marks a string where it is defined (the data contract's file descriptions, a stock's
reason for leading a report) without translating it there: extraction reads every module of
generator/ for ``N_("…")``, and the template translates the value (``| translate``)."""

from __future__ import annotations


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue; it is translated where it is shown."""
    return text


_ = N_


PAGE_STRINGS = (
    _("KOSPI Report"),
    _("Archive"),
    _("Search"),
    _("Glossary"),
    _("Stocks"),
    _("Indicators"),
    _("Page not found"),
    _("Search every daily report and editor's note."),
    _("The market terms the daily reports use, explained."),
    _("A daily report on the Korean stock market, written from the data."),
    _("A daily report on the Korean stock market: the KOSPI, its leading stocks, who bought and sold, leverage and "
      "short-selling positions, written from the data."),
    _("Sample data: apart from the figures reported on 7 January 2026, the prices, flows and balances on this site are "
      "synthetic and must not be used for investment decisions."),
)
