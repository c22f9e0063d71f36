"""The lede on made-up days: each fact told when it is there, no sentence when it is not.

The snapshots here are built by hand (and checked against the schema) so each test shows
one situation a reporter meets: a down day, an unchanged close, the first day of data, a
quiet day with no flows or leverage figures, a record close without a record high, several
round levels at once, stale margin figures, and how amounts and dates are written.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from generator import formatting as fmt
from generator.analysis.lede import write_lede
from generator.schemas import validate_snapshot

DAY = "2026-01-07"  # a Wednesday


def index(**over) -> dict:
    facts = {
        "as_of": DAY,
        "open": 2500.0,
        "high": 2520.0,
        "low": 2490.0,
        "close": 2512.4,
        "prev_close": 2515.5,
        "change": -3.1,
        "change_pct": -0.12,
        "record_close": False,
        "previous_record_close": {"value": 3316.08, "date": "2021-06-25"},
        "record_high": False,
        "previous_record_high": {"value": 3305.21, "date": "2021-06-25"},
        "streak": -1,
        "milestones_high": [],
        "milestones_close": [],
    }
    facts.update(over)
    return facts


def snapshot(kospi: dict | None = None, **over) -> dict:
    snap = {
        "schema": "kospi-report/snapshot/1",
        "date": DAY,
        "indices": {"KOSPI": kospi or index()},
        "flows": {},
        "margin_loans": {},
        "stock_lending": {},
        "stocks": {},
        "fx": None,
        "leaders": [],
    }
    snap.update(over)
    validate_snapshot(snap)  # the lede is only ever written from valid snapshots
    return snap


def stock(name: str, **over) -> dict:
    facts = index(close=100_000, high=101_000, low=99_000, open=99_500, prev_close=98_000, change=2000, change_pct=2.04)
    for key in ("milestones_high", "milestones_close"):
        facts.pop(key)
    facts.update(name=name, name_ko=None, sector=None)
    facts.update(over)
    return facts


def balance(value: int, as_of: str, record: bool, prev: tuple[int, str] | None = (1, "2025-01-02")) -> dict:
    return {
        "balance": value,
        "as_of": as_of,
        "change": 1,
        "record": record,
        "previous_record": {"value": prev[0], "date": prev[1]} if prev else None,
    }


def text(snap: dict) -> str:
    return " ".join(write_lede(snap))


def test_down_day() -> None:
    assert write_lede(snapshot()) == ["The KOSPI closed down 3.10 points, or 0.12 percent, at 2,512.40 on Wednesday."]


def test_losing_streak() -> None:
    assert text(snapshot(index(streak=-3))).endswith("at 2,512.40 on Wednesday, its third straight loss.")


def test_unchanged_day_has_no_streak() -> None:
    snap = snapshot(index(close=2515.5, change=0, change_pct=0, streak=0))
    assert write_lede(snap) == ["The KOSPI closed unchanged at 2,515.50 on Wednesday."]


def test_tiny_move_is_not_zero_percent() -> None:
    snap = snapshot(index(close=2515.6, change=0.1, change_pct=0, streak=1))
    assert "closed up 0.10 points, or less than 0.01 percent, at 2,515.60" in text(snap)


def test_first_day_of_data() -> None:
    first = index(prev_close=None, change=None, change_pct=None, streak=0, previous_record_close=None, previous_record_high=None)
    assert write_lede(snapshot(first)) == ["The KOSPI closed at 2,512.40 on Wednesday."]


def test_no_sentence_for_absent_facts() -> None:
    """No flows, margin, lending or stocks in the snapshot: the index sentence alone."""
    assert len(write_lede(snapshot())) == 1


def test_no_index_sentence_when_the_index_did_not_trade() -> None:
    snap = snapshot(index(as_of="2026-01-06"))
    assert write_lede(snap) == []


def test_record_close_without_record_high() -> None:
    kospi = index(
        close=3320.0, change=10.0, change_pct=0.3, streak=2, record_close=True,
        previous_record_close={"value": 3316.08, "date": "2021-06-25"},
        high=3322.0, previous_record_high={"value": 3330.0, "date": "2026-01-05"},
    )
    sentences = write_lede(snapshot(kospi))
    assert sentences == [
        "The KOSPI closed up 10.00 points, or 0.30 percent, at a record 3,320.00 on Wednesday, its second straight gain.",
        "The close topped the previous record of 3,316.08 set on June 25, 2021.",
    ]
    assert "intraday record" not in " ".join(sentences)


def test_record_high_on_a_down_day() -> None:
    kospi = index(record_high=True, high=3400.0, previous_record_high={"value": 3305.21, "date": "2026-01-05"})
    assert text(snapshot(kospi)) == (
        "The KOSPI touched an intraday record of 3,400.00 on Wednesday, above the previous record of 3,305.21 "
        "set on Monday, but closed down 3.10 points, or 0.12 percent, at 2,512.40."
    )


def test_issue_example_sentence() -> None:
    kospi = index(
        high=4611.72, close=4551.06, prev_close=4525.48, change=25.58, change_pct=0.57, streak=4,
        record_high=True, previous_record_high={"value": 4525.48, "date": "2026-01-06"},
        record_close=True, previous_record_close={"value": 4525.48, "date": "2026-01-06"},
        milestones_high=[4600],
    )
    assert write_lede(snapshot(kospi))[0] == (
        "The KOSPI touched an intraday record of 4,611.72 on Wednesday, above the previous record of 4,525.48 set on "
        "Tuesday, and crossed 4,600 for the first time before it closed up 25.58 points, or 0.57 percent, at a record "
        "4,551.06, its fourth straight gain."
    )


@pytest.mark.parametrize(
    ("levels", "words"),
    [([4600], "crossed 4,600 for the first time"), ([4500, 4600], "crossed both 4,500 and 4,600 for the first time"),
     ([4400, 4500, 4600], "crossed 4,600 for the first time")],
)
def test_milestones(levels: list[int], words: str) -> None:
    kospi = index(high=4611.72, close=4551.06, change=90.0, change_pct=2.0, record_high=True, milestones_high=levels)
    assert words in text(snapshot(kospi))


def test_first_close_above_a_level_reached_earlier_intraday() -> None:
    kospi = index(close=4610.0, change=60.0, change_pct=1.3, streak=1, record_close=True, milestones_close=[4600])
    assert "ending above 4,600 for the first time" in text(snapshot(kospi))


def test_flows_in_won_and_dollars() -> None:
    flows = {"KOSPI": {
        "foreigners": {"won": 978_000_000_000, "usd": 677_754_678, "as_of": DAY},
        "institutions": {"won": -744_200_000_000, "usd": -515_731_116, "as_of": DAY},
        "individuals": {"won": -1_209_200_000_000, "usd": -837_976_438, "as_of": DAY},
        "other": {"won": 5_000_000_000, "usd": 3_465_003, "as_of": DAY},
    }}
    sentence = write_lede(snapshot(flows=flows, fx={"usdkrw": 1443, "as_of": DAY}))[1]
    assert sentence == (
        "Foreigners bought a net 978 billion won ($678 million) of shares, while individuals and institutions sold "
        "a net 1.2 trillion won ($838 million) and 744.2 billion won ($516 million), respectively."
    )


def test_stale_flows_are_not_news() -> None:
    flows = {"KOSPI": {"foreigners": {"won": 978_000_000_000, "usd": None, "as_of": "2026-01-06"}}}
    assert len(write_lede(snapshot(flows=flows))) == 1


def test_stock_records() -> None:
    stocks = {"005380": stock("Hyundai Motor", record_high=True, change_pct=7.64),
              "307950": stock("Hyundai AutoEver", record_high=True, change_pct=13.84),
              "005930": stock("Samsung Electronics")}
    assert write_lede(snapshot(stocks=stocks))[1] == "Hyundai AutoEver and Hyundai Motor hit record highs."
    one = {"005380": stock("Hyundai Motor", record_high=True)}
    assert write_lede(snapshot(stocks=one))[1] == "Hyundai Motor hit a record high."


def test_many_stock_records_are_counted() -> None:
    stocks = {f"{i:06d}": stock(f"Stock {i}", record_high=True, change_pct=float(i)) for i in range(1, 8)}
    assert write_lede(snapshot(stocks=stocks))[1] == "Seven stocks hit record highs, led by Stock 7, Stock 6 and Stock 5."


def test_margin_record_with_as_of_day() -> None:
    margin = {"total": balance(27_622_356_000_000, "2026-01-05", True, (27_528_800_000_000, "2025-12-17"))}
    assert write_lede(snapshot(margin_loans=margin))[1] == (
        "Margin loans, money investors borrow to buy shares, reached a record 27.6 trillion won as of Monday, "
        "above the previous record of 27.5288 trillion won set on Dec. 17, 2025."
    )


def test_margin_of_the_index_market_when_there_is_no_total() -> None:
    margin = {"KOSPI": balance(16_900_000_000_000, "2026-01-05", True, (16_870_106_000_000, "2025-12-17")),
              "KOSDAQ": balance(2, "2026-01-05", True)}
    assert write_lede(snapshot(margin_loans=margin))[1] == (
        "Margin loans on the KOSPI, money investors borrow to buy shares, reached a record 16.9 trillion won as of Monday, "
        "above the previous record of 16.8701 trillion won set on Dec. 17, 2025."
    )


def test_margin_without_record_is_not_news() -> None:
    margin = {"total": balance(27_000_000_000_000, "2026-01-05", False)}
    assert len(write_lede(snapshot(margin_loans=margin))) == 1


@pytest.mark.parametrize(("as_of", "told"), [("2026-01-01", True), ("2025-12-31", False), ("2025-11-03", False)])
def test_stale_margin_record_is_not_repeated(as_of: str, told: bool) -> None:
    """A record measured more than a week before the report is old news."""
    margin = {"total": balance(27_622_356_000_000, as_of, True)}
    assert ("Margin loans" in text(snapshot(margin_loans=margin))) is told


def test_lending_records_of_the_newest_publication() -> None:
    lending = {
        "005930": balance(13_300_000_000_000, "2026-01-06", True),
        "000660": balance(13_050_000_000_000, "2026-01-06", True),
        "035420": balance(1_120_000_000_000, "2026-01-06", False),
        "005490": balance(2_000_000_000_000, "2026-01-05", True),  # a record of an older publication
    }
    stocks = {"005930": stock("Samsung Electronics"), "000660": stock("SK hynix"), "005490": stock("POSCO Holdings")}
    sentence = write_lede(snapshot(stock_lending=lending, stocks=stocks))[1]
    assert sentence == (
        "Stock-lending balances, shares borrowed often ahead of short selling, hit records for "
        "Samsung Electronics (13.3 trillion won) and SK hynix (13.1 trillion won) as of Tuesday."
    )


def test_stale_lending_is_not_repeated() -> None:
    lending = {"005930": balance(13_300_000_000_000, "2025-12-26", True)}
    assert len(write_lede(snapshot(stock_lending=lending))) == 1


def test_full_order_of_sentences() -> None:
    snap = snapshot(
        index(change=25.58, change_pct=0.57, close=2541.0, streak=1),
        flows={"KOSPI": {"foreigners": {"won": 1_000_000_000, "usd": 700_000, "as_of": DAY}}},
        stocks={"005380": stock("Hyundai Motor", record_high=True)},
        margin_loans={"total": balance(2_000_000_000_000, "2026-01-05", True)},
        stock_lending={"005380": balance(900_000_000, "2026-01-06", True)},
    )
    starts = [s.split(" ")[0] for s in write_lede(snap)]
    assert starts == ["The", "Foreigners", "Hyundai", "Margin", "Stock-lending"]
    assert "Hyundai Motor (900 million won)" in write_lede(snap)[-1]


def test_lede_does_not_change_the_snapshot() -> None:
    snap = snapshot(index(streak=-3))
    before = copy.deepcopy(snap)
    write_lede(snap)
    assert snap == before


# -- formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "words"),
    [
        (978_000_000_000, 1, "978 billion won"),
        (209_200_000_000, 1, "209.2 billion won"),
        (27_622_356_000_000, 1, "27.6 trillion won"),
        (27_528_800_000_000, 4, "27.5288 trillion won"),
        (999_960_000_000, 1, "1 trillion won"),  # not "1,000 billion won"
        (999_900_000_000, 1, "999.9 billion won"),
        (960_000_000_000, 1, "960 billion won"),  # not "1 trillion won"
        (512_000_000, 1, "512 million won"),
        (999_999.6, 1, "1 million won"),
        (540_000, 1, "540,000 won"),
        (-744_200_000_000, 1, "−744.2 billion won"),
    ],
)
def test_won_in_words(value: float, digits: int, words: str) -> None:
    assert fmt.won(value, digits) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [(677_754_678, "$678 million"), (1_234_000_000, "$1.2 billion"), (999_600_000, "$1 billion"),
     (999_400_000, "$999 million"), (540_000, "$540,000"), (-515_731_116, "−$516 million")],
)
def test_dollars_in_words(value: float, words: str) -> None:
    assert fmt.usd(value) == words


@pytest.mark.parametrize(
    ("day", "words"),
    [("2026-01-07", "Wednesday"), ("2026-01-06", "Tuesday"), ("2026-01-01", "Thursday"),
     ("2025-12-31", "Dec. 31, 2025"), ("2025-12-17", "Dec. 17, 2025")],
)
def test_relative_days(day: str, words: str) -> None:
    assert fmt.relative_day(dt.date.fromisoformat(day), dt.date(2026, 1, 7)) == words


def test_month_day_within_the_year() -> None:
    assert fmt.relative_day(dt.date(2026, 3, 2), dt.date(2026, 9, 15)) == "March 2"
    assert fmt.relative_day(dt.date(2026, 9, 1), dt.date(2026, 9, 15)) == "Sept. 1"
