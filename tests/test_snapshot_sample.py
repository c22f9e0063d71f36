"""The bundled sample's report for 7 January 2026: every headline fact, in the JSON and the lede.

These are the figures the report was built to tell (issue 3's acceptance): an intraday record
above Tuesday's, 4,600 crossed for the first time, a fourth straight gain, foreign buying of
978 billion won, record margin loans as of Monday, record highs for the Hyundai Motor group and
a record Samsung lending balance. Every published snapshot must also match the v1 schema.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jsonschema
import pytest

from generator.schemas import snapshot_errors, snapshot_schema, validate_snapshot

DAY = "2026-01-07"


@pytest.fixture(scope="module")
def snap(sample_site: Path) -> dict:
    return json.loads((sample_site / "data" / "snapshots" / f"{DAY}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lede(sample_site: Path) -> str:
    page = (sample_site / "reports" / DAY / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<p class="lede"[^>]*>(.*?)</p>', page, re.S)
    assert found, "the report has no lede paragraph"
    return html.unescape(re.sub(r"\s+", " ", found.group(1)))


def test_kospi_intraday_record_and_milestone(snap: dict) -> None:
    kospi = snap["indices"]["KOSPI"]
    assert kospi["as_of"] == DAY
    assert kospi["record_high"] is True
    assert kospi["high"] == 4611.72
    assert kospi["previous_record_high"] == {"value": 4525.48, "date": "2026-01-06"}
    assert kospi["record_close"] is True
    assert 4600 in kospi["milestones_high"]
    assert kospi["streak"] == 4
    assert (kospi["close"], kospi["change"], kospi["change_pct"]) == (4551.06, 25.58, 0.57)


def test_foreign_buying_in_won_and_dollars(snap: dict) -> None:
    foreigners = snap["flows"]["KOSPI"]["foreigners"]
    assert foreigners["won"] == 978_000_000_000
    assert foreigners["usd"] == round(978e9 / snap["fx"]["usdkrw"])
    assert 677_500_000 <= foreigners["usd"] < 678_500_000  # "$678 million"


def test_margin_loans_record_as_of_monday(snap: dict) -> None:
    total = snap["margin_loans"]["total"]
    assert total["as_of"] == "2026-01-05"
    assert round(total["balance"] / 1e12, 1) == 27.6
    assert total["record"] is True
    assert total["previous_record"] == {"value": 27_528_800_000_000, "date": "2025-12-17"}


def test_record_highs_for_the_hyundai_motor_group(snap: dict) -> None:
    for ticker in ("005380", "000270", "307950"):
        stock = snap["stocks"][ticker]
        assert stock["as_of"] == DAY
        assert stock["record_high"] is True, ticker
        assert stock["high"] > stock["previous_record_high"]["value"]
        assert ticker in snap["leaders"]


def test_samsung_lending_record_as_of_tuesday(snap: dict) -> None:
    samsung = snap["stock_lending"]["005930"]
    assert samsung["as_of"] == "2026-01-06"
    assert samsung["record"] is True
    assert samsung["balance"] > samsung["previous_record"]["value"]


@pytest.mark.parametrize(
    "words",
    [
        "4,611.72",
        "4,525.48",
        "Tuesday",
        "4,600",
        "25.58",
        "0.57 percent",
        "4,551.06",
        "fourth straight gain",
        "978 billion won ($678 million)",
        "27.6 trillion won",
        "27.5288 trillion",
        "Hyundai Motor",
        "Kia",
        "Hyundai AutoEver",
        "Samsung Electronics",
    ],
)
def test_lede_states_the_fact(lede: str, words: str) -> None:
    assert words in lede


def test_lede_reads_in_order(lede: str) -> None:
    """The index first (record, milestone, close, streak), then flows, records, leverage, lending."""
    order = ["intraday record of 4,611.72", "crossed 4,600 for the first time", "at a record 4,551.06",
             "Foreigners bought", "hit record highs", "Margin loans", "Stock-lending balances"]
    positions = [lede.index(words) for words in order]
    assert positions == sorted(positions)
    assert "as of Monday" in lede  # margin loans lag: measured on Jan. 5


def test_every_sample_snapshot_validates(sample_site: Path) -> None:
    files = sorted((sample_site / "data" / "snapshots").glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json"))
    assert len(files) > 600
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["date"] == path.stem
        errors = snapshot_errors(doc)
        assert not errors, f"{path.name}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_schema_is_draft_2020_12_and_described() -> None:
    schema = snapshot_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["const"] == "kospi-report/snapshot/1"
    assert all("description" in spec for spec in schema["properties"].values())


@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d.update(schema="kospi-report/snapshot/2"),
        lambda d: d.update(date="2026-1-7"),
        lambda d: d.update(date="2026-13-07"),
        lambda d: d.pop("fx"),
        lambda d: d.update(surprise=1),
        lambda d: d["indices"]["KOSPI"].pop("streak"),
        lambda d: d["indices"]["KOSPI"].update(streak="4"),
        lambda d: d["indices"]["KOSPI"].update(record_high="yes"),
        lambda d: d["indices"]["KOSPI"].update(previous_record_high=None),  # a record always has a previous one
        lambda d: d["indices"]["KOSPI"].update(milestones_high=[4600, 4600]),
        lambda d: d["indices"]["KOSPI"].update(close=-1),
        lambda d: d["flows"]["KOSPI"]["foreigners"].update(won=978e9 + 0.5),
        lambda d: d["flows"]["KOSPI"].update(aliens={"won": 1, "usd": 1, "as_of": DAY}),
        lambda d: d["margin_loans"]["total"].update(as_of="Jan 5"),
        lambda d: d["margin_loans"].update(KONEX=d["margin_loans"]["total"]),
        lambda d: d["stock_lending"].update({"5930": d["stock_lending"]["005930"]}),
        lambda d: d["stocks"]["005930"].pop("name"),
        lambda d: d["stocks"]["005930"].update(milestones_high=[]),
        lambda d: d["fx"].update(usdkrw=0),
        lambda d: d["leaders"].append(d["leaders"][0]),
    ],
)
def test_schema_catches_mistakes(snap: dict, break_it) -> None:
    doc = json.loads(json.dumps(snap))
    validate_snapshot(doc)
    break_it(doc)
    with pytest.raises(jsonschema.ValidationError):
        validate_snapshot(doc)


def test_documented_example_validates() -> None:
    """The example in docs/snapshot-format.md is a valid snapshot, and the doc names every key."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "snapshot-format.md").read_text(encoding="utf-8")
    example = re.search(r"## Example.*?```json\n(.*?)```", doc, re.S)
    assert example
    validate_snapshot(json.loads(example.group(1)))
    schema = snapshot_schema()
    keys = set(schema["properties"]) | set(schema["$defs"]["price_facts"]["properties"])
    keys |= set(schema["$defs"]["balance"]["properties"]) | set(schema["$defs"]["index"]["properties"])
    for key in keys:
        assert f"`{key}`" in doc, key
