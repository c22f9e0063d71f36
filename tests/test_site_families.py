"""The page families are listed in one place, and what one hands the next is typed.

A family module that is written but not listed would leave its pages out of the site without a
word; a family that reads another's result before it ran would publish pages without it.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import generator.site as site
from generator.site.context import FamilyOrderError, ReportPages, ResearchPages, Written


def test_every_family_module_is_listed_once() -> None:
    with_write = set()
    for info in pkgutil.iter_modules(site.__path__):
        module = importlib.import_module(f"generator.site.{info.name}")
        if callable(getattr(module, "write", None)):
            with_write.add(module.write)
    listed = [f.write for f in site.FAMILIES]
    assert len(listed) == len(set(listed))
    assert set(listed) == with_write


def test_reading_a_result_before_its_family_ran_is_an_error() -> None:
    with pytest.raises(FamilyOrderError, match="reports"):
        _ = Written().reports
    with pytest.raises(FamilyOrderError, match="research"):
        _ = Written().research


def test_results_reach_the_families_after() -> None:
    reports = ReportPages(revisions=[], revisions_by_day={}, images=None)  # type: ignore[arg-type]
    research = ResearchPages(reserved_slugs=frozenset({"leverage-risk"}))
    written = Written().adding(reports).adding(None).adding(research)
    assert written.reports is reports and written.research.reserved_slugs == {"leverage-risk"}
    with pytest.raises(TypeError):
        written.adding({"revisions": []})


def test_families_that_read_others_run_after_them() -> None:
    order = [f.name for f in site.FAMILIES]
    assert order.index("reports") < order.index("feeds")
    assert order.index("research") < order.index("static_pages")
    # families that list the whole site run after every family that writes pages
    last = [f.name for f in site.FAMILIES if f.lists_site]
    assert order[-len(last):] == last
    # a family in a worker hands nothing on, so it must not be one that others read
    assert not {f.name for f in site.FAMILIES if f.in_worker} & {"reports", "research"}
