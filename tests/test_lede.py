"""The English realiser on made-up days: each fact worded as the house style says.

The snapshots here are built by hand with the facts a day would have (and checked against the
schema), so each test shows one situation a reporter meets: a quiet day, a day that rounds to
zero, the first day of data, a record, a plunge that beat everything in the data, an event, a
term explained once a week, a headline that says what its lede says.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.schemas import validate_snapshot
from generator.story.english import English, write_stories
from generator.story.facts import Fact

DAY = "2026-01-07"  # a Wednesday


def index(**over) -> dict:
    facts = {
        "as_of": DAY, "open": 2500.0, "high": 2520.0, "low": 2490.0, "close": 2512.4, "prev_close": 2515.5,
        "change": -3.1, "change_pct": -0.12, "record_close": False,
        "previous_record_close": {"value": 3316.08, "date": "2021-06-25"}, "record_high": False,
        "previous_record_high": {"value": 3305.21, "date": "2021-06-25"}, "streak": -1,
        "milestones_high": [], "milestones_close": [],
    }
    facts.update(over)
    return facts


def move(kospi: dict, score: float = 10.0, **since) -> Fact:
    pct = kospi["change_pct"]
    direction = "first" if pct is None else "flat" if abs(pct) < 0.05 else "up" if pct > 0 else "down"
    values = {"close": kospi["close"], "direction": direction}
    if pct is not None:
        values |= {"prev_close": kospi["prev_close"], "change": kospi["change"], "change_pct": pct}
    return Fact("index_move", "KOSPI", score, values, **since)


def snapshot(facts: list[Fact], kospi: dict | None = None, date: str = DAY, **over) -> dict:
    kospi = kospi or index()
    snap = {
        "schema": "kospi-report/snapshot/1", "date": date, "indices": {"KOSPI": kospi}, "flows": {},
        "margin_loans": {}, "stock_lending": {}, "stocks": {}, "fx": None, "leaders": [],
        "facts": [f.to_json() for f in sorted(facts, key=lambda f: -f.score)],
    }
    snap.update(over)
    validate_snapshot(snap)  # the realiser only ever reads valid snapshots
    return snap


def stock(name: str, **over) -> dict:
    facts = index(close=100_000, high=101_000, low=99_000, open=99_500, prev_close=98_000, change=2000, change_pct=2.04)
    for key in ("milestones_high", "milestones_close"):
        facts.pop(key)
    facts.update(name=name, name_ko=None, sector=None)
    facts.update(over)
    return facts


def story(snap: dict):
    return English().story(snap)


def test_a_quiet_down_day() -> None:
    kospi = index()
    s = story(snapshot([move(kospi)], kospi))
    assert s.lede == ["The KOSPI closed down 3.10 points, or 0.12 percent, at 2,512.40 on Wednesday."]
    assert s.headline == "KOSPI edges down 0.1%"


def test_a_move_that_rounds_to_zero_is_little_changed() -> None:
    kospi = index(close=2515.6, change=0.1, change_pct=0.0, streak=1)
    s = story(snapshot([move(kospi)], kospi))
    assert s.lede == ["The KOSPI closed little changed at 2,515.60 on Wednesday, up 0.10 points."]
    assert s.headline == "KOSPI ends little changed at 2,515.60"
    assert "0.0" not in s.headline and "0.00 percent" not in " ".join(s.lede)


def test_an_unchanged_close() -> None:
    kospi = index(close=2515.5, change=0, change_pct=0, streak=0)
    assert story(snapshot([move(kospi)], kospi)).lede == ["The KOSPI closed unchanged at 2,515.50 on Wednesday."]


def test_the_first_day_of_data() -> None:
    kospi = index(prev_close=None, change=None, change_pct=None, streak=0, previous_record_close=None, previous_record_high=None)
    s = story(snapshot([move(kospi)], kospi))
    assert s.lede == ["The KOSPI closed at 2,512.40 on Wednesday."]
    assert s.headline == "KOSPI closes at 2,512.40"


def test_a_plunge_beyond_the_data_says_since_when_the_data_begins() -> None:
    kospi = index(close=2441.55, prev_close=2590.1, change=-148.55, change_pct=-5.74, streak=-1)
    plunge = move(kospi, 73.5, since=None, since_value=None, data_begins="2023-06-01", lookback=289)
    s = story(snapshot([plunge], kospi))
    assert s.lede[0] == (
        "The KOSPI plunged 148.55 points, or 5.74 percent, to close at 2,441.55 on Wednesday, "
        "its steepest one-day fall since at least June 2023."
    )
    assert s.headline == "KOSPI plunges 5.7%, steepest fall since at least June 2023"


def test_a_big_gain_since_a_day_names_that_day() -> None:
    kospi = index(close=2600.0, prev_close=2500.0, change=100.0, change_pct=4.0, streak=1)
    gain = move(kospi, 70.0, since="2020-03-24", since_value=8.6, data_begins="2000-01-04", lookback=1450)
    s = story(snapshot([gain], kospi))
    assert "its biggest one-day gain since March 24, 2020" in s.lede[0]
    assert s.headline == "KOSPI soars 4.0%, biggest gain since March 2020"


def test_a_short_since_is_not_news() -> None:
    """Three weeks back is no "since": the move is told plainly."""
    kospi = index(close=2500.0, prev_close=2512.5, change=-12.5, change_pct=-0.5, streak=-1)
    s = story(snapshot([move(kospi, 20.0, since="2025-12-10", since_value=-0.6, data_begins="2023-06-01", lookback=19)], kospi))
    assert "since" not in " ".join(s.lede) and "since" not in s.headline


def test_record_close_without_record_high() -> None:
    kospi = index(close=3320.0, change=10.0, change_pct=0.3, streak=2, record_close=True, high=3322.0,
                  previous_record_high={"value": 3330.0, "date": "2026-01-05"})
    record = Fact("index_record_close", "KOSPI", 80, {"close": 3320.0, "previous": {"value": 3316.08, "date": "2021-06-25"}})
    streak = Fact("index_streak", "KOSPI", 10, {"days": 2, "direction": "up"}, since=None, since_value=None, data_begins="2020-01-02", lookback=5)
    s = story(snapshot([move(kospi), record, streak], kospi))
    assert s.lede == [
        "The KOSPI closed up 10.00 points, or 0.30 percent, at a record 3,320.00 on Wednesday, its second straight gain.",
        "The close topped the previous record of 3,316.08 set on June 25, 2021.",
    ]
    assert s.headline == "KOSPI closes at record 3,320.00"


def test_the_seed_story_sentence() -> None:
    kospi = index(high=4611.72, close=4551.06, prev_close=4525.48, change=25.58, change_pct=0.57, streak=4,
                  record_high=True, record_close=True, milestones_high=[4600],
                  previous_record_high={"value": 4525.48, "date": "2026-01-06"},
                  previous_record_close={"value": 4525.48, "date": "2026-01-06"})
    facts = [
        move(kospi, 20),
        Fact("index_milestone", "KOSPI", 90, {"levels_high": [4600], "levels_close": [], "high": 4611.72, "close": 4551.06}),
        Fact("index_record_close", "KOSPI", 80, {"close": 4551.06, "previous": {"value": 4525.48, "date": "2026-01-06"}}),
        Fact("index_record_high", "KOSPI", 60, {"high": 4611.72, "previous": {"value": 4525.48, "date": "2026-01-06"}}),
        Fact("index_streak", "KOSPI", 20, {"days": 4, "direction": "up"}, since="2025-12-01", since_value=5, data_begins="2023-06-01", lookback=24),
    ]
    s = story(snapshot(facts, kospi))
    assert s.lede[0] == (
        "The KOSPI touched an intraday record of 4,611.72 on Wednesday, above the previous record of 4,525.48 set on "
        "Tuesday, and crossed 4,600 for the first time before it closed up 25.58 points, or 0.57 percent, at a record "
        "4,551.06, its fourth straight gain."
    )
    assert s.headline == "KOSPI tops 4,600 for first time, ends at record 4,551.06"


@pytest.mark.parametrize(
    ("levels", "words"),
    [([4600], "crossed 4,600 for the first time"), ([4500, 4600], "crossed both 4,500 and 4,600 for the first time"),
     ([4400, 4500, 4600], "crossed 4,600 for the first time")],
)
def test_milestones(levels: list[int], words: str) -> None:
    kospi = index(high=4611.72, close=4551.06, change=90.0, change_pct=2.0, record_high=True, milestones_high=levels)
    facts = [move(kospi), Fact("index_milestone", "KOSPI", 90, {"levels_high": levels, "levels_close": [], "high": 4611.72, "close": 4551.06}),
             Fact("index_record_high", "KOSPI", 70, {"high": 4611.72, "previous": {"value": 4500.0, "date": "2026-01-06"}})]
    assert words in " ".join(story(snapshot(facts, kospi)).lede)


def test_an_event_is_told_first_and_leads_the_headline() -> None:
    kospi = index(close=2441.55, prev_close=2590.1, change=-148.55, change_pct=-5.74)
    event = Fact("event", "sidecar", 100, {"kind": "sidecar", "text": "The exchange suspended program selling for five minutes"})
    s = story(snapshot([event, move(kospi, 60)], kospi))
    assert s.lede[0] == "The exchange suspended program selling for five minutes."
    assert s.lede[1].startswith("The KOSPI plunged 148.55 points")
    assert s.headline == "Sidecar curbs program trading as KOSPI plunges 5.7%"
    own = Fact("event", "ban", 100, {"kind": "ban", "text": "A ban on short selling took effect.", "headline": "Short-selling ban takes effect"})
    assert story(snapshot([own, move(kospi, 60)], kospi)).headline == "Short-selling ban takes effect as KOSPI plunges 5.7%"


def test_flows_put_foreigners_first_with_dollars() -> None:
    flows = {"KOSPI": {
        "foreigners": {"won": -978_000_000_000, "usd": -677_754_678, "as_of": DAY},
        "institutions": {"won": 744_200_000_000, "usd": 515_731_116, "as_of": DAY},
        "individuals": {"won": 209_200_000_000, "usd": 144_976_438, "as_of": DAY},
    }}
    won = {k: v["won"] for k, v in flows["KOSPI"].items()}
    facts = [move(index()), Fact("flows", "KOSPI", 30, won),
             Fact("flow_extreme", "foreigners", 66, {"market": "KOSPI", "won": won["foreigners"], "direction": "sell"},
                  since="2025-01-02", since_value=-1.1e12, data_begins="2023-06-01", lookback=245)]
    s = story(snapshot(facts, flows=flows, fx={"usdkrw": 1443, "as_of": DAY}))
    assert s.lede[1] == (
        "Foreigners sold a net 978 billion won ($678 million) of shares, while institutions and individuals bought "
        "a net 744.2 billion won ($516 million) and 209.2 billion won ($145 million), respectively."
    )
    assert s.lede[2] == "Foreigners' net selling was the biggest since Jan. 2, 2025."
    assert s.headline == "KOSPI edges down 0.1% as foreigners sell most since January 2025"


def test_breadth_is_among_the_stocks_tracked() -> None:
    stocks = {f"{i:06d}": stock(f"Stock {i}", change_pct=-1.0, change=-1000) for i in range(1, 13)}
    facts = [move(index(change_pct=-5.0, change=-130, close=2470, prev_close=2600), 75, since=None, since_value=None,
                  data_begins="2023-06-01", lookback=300),
             Fact("breadth", "stocks", 45, {"advancers": 0, "decliners": 12, "unchanged": 0, "traded": 12, "tracked": 12})]
    s = story(snapshot(facts, index(change_pct=-5.0, change=-130, close=2470, prev_close=2600), stocks=stocks))
    assert "Every one of the 12 stocks tracked fell." in s.lede
    mixed = Fact("breadth", "stocks", 45, {"advancers": 9, "decliners": 3, "unchanged": 1, "traded": 13, "tracked": 13})
    s = story(snapshot([facts[0], mixed], index(change_pct=-5.0, change=-130, close=2470, prev_close=2600), stocks=stocks))
    assert "Gainers outnumbered decliners 9 to 3 among the 13 stocks tracked, with 1 unchanged." in s.lede


def test_stock_records_are_named_then_counted() -> None:
    stocks = {"005380": stock("Hyundai Motor", record_high=True, change_pct=7.64),
              "307950": stock("Hyundai AutoEver", record_high=True, change_pct=13.84)}
    facts = [move(index(), 10), Fact("stock_records", "stocks", 48, {"tickers": ["307950", "005380"]})]
    s = story(snapshot(facts, stocks=stocks))
    assert "Hyundai AutoEver and Hyundai Motor hit record highs." in s.lede
    assert s.headline == "KOSPI edges down 0.1% as Hyundai AutoEver and Hyundai Motor hit records"
    many = {f"{i:06d}": stock(f"Stock {i}", record_high=True, change_pct=float(i)) for i in range(1, 8)}
    facts = [move(index(), 10), Fact("stock_records", "stocks", 68, {"tickers": [f"{i:06d}" for i in range(7, 0, -1)]})]
    assert "Seven stocks hit record highs, led by Stock 7, Stock 6 and Stock 5." in story(snapshot(facts, stocks=many)).lede


def test_lending_during_a_ban_says_so() -> None:
    lending = {"105560": {"balance": 612_851_000_000, "as_of": DAY, "change": 1, "record": True, "previous_record": {"value": 1, "date": "2025-01-02"}}}
    stocks = {"105560": stock("KB Financial Group")}
    fact = Fact("lending_records", "stock_lending", 45, {"as_of": DAY, "tickers": ["105560"], "balances": [612_851_000_000],
                                                          "ban": {"start": "2023-11-06", "end": "2025-03-30"}})
    s = story(snapshot([move(index()), fact], stock_lending=lending, stocks=stocks))
    assert s.lede[-1] == ("Stock-lending balances hit a record for KB Financial Group (612.9 billion won) as of Wednesday, "
                          "during the short-selling ban in force since Nov. 6, 2023.")


def margin_day(day: str) -> dict:
    weekday = dt.date.fromisoformat(day)
    kospi = index(as_of=day)
    fact = Fact("margin_record", "total", 60, {"market": "total", "balance": 27_622_356_000_000, "as_of": day,
                                                 "previous": {"value": 27_528_800_000_000, "date": "2025-12-17"}})
    margin = {"total": {"balance": 27_622_356_000_000, "as_of": day, "change": 1, "record": True,
                        "previous_record": {"value": 27_528_800_000_000, "date": "2025-12-17"}}}
    assert weekday.weekday() < 5
    return snapshot([move(kospi), fact], kospi, date=day, margin_loans=margin)


def test_a_term_is_explained_once_a_week_and_linked_otherwise() -> None:
    days = ["2026-01-05", "2026-01-06", "2026-01-09", "2026-01-12", "2026-01-13"]
    written = write_stories({dt.date.fromisoformat(d): margin_day(d) for d in days})
    explained = {d: "money investors borrow to buy shares" in " ".join(written[dt.date.fromisoformat(d)].lede) for d in days}
    assert explained == {"2026-01-05": True, "2026-01-06": False, "2026-01-09": False, "2026-01-12": True, "2026-01-13": False}
    linked = written[dt.date(2026, 1, 6)]
    assert linked.links == {"Margin loans": "margin-loans"}
    assert "Margin loans reached a record 27.6 trillion won" in " ".join(linked.lede)
    assert written[dt.date(2026, 1, 5)].links == {}


def test_the_headline_says_only_what_the_lede_says() -> None:
    """A fact that did not make a quiet day's lede is not the headline's "as ..." either."""
    kospi = index()
    lending = {"105560": {"balance": 2, "as_of": DAY, "change": 1, "record": True, "previous_record": {"value": 1, "date": "2025-01-02"}}}
    low = Fact("lending_records", "stock_lending", 19, {"as_of": DAY, "tickers": ["105560"], "balances": [1], "ban": None})
    s = story(snapshot([move(kospi), low], kospi, stock_lending=lending, stocks={"105560": stock("KB Financial Group")}))
    assert len(s.lede) == 1 and s.headline == "KOSPI edges down 0.1%"


def test_title_style_names_the_index_kospi() -> None:
    kospi = index()
    s = English("KOSPI", "title").story(snapshot([move(kospi)], kospi))
    assert s.lede[0].startswith("The Kospi closed down") and s.headline.startswith("Kospi edges down")


def test_the_headline_names_a_stock_only_as_the_lede_does() -> None:
    """A stock told as a record is not headlined by its move, and a stock that fell is not the
    "as" of an index that rose."""
    kospi = index(close=2520.0, prev_close=2510.0, change=10.0, change_pct=0.4)
    stocks = {"000270": stock("Kia", change_pct=-5.02, change=-5000), "012450": stock("Hanwha Aerospace", record_high=True, change_pct=6.6),
              "000660": stock("SK hynix", record_high=True, change_pct=9.1)}
    facts = [
        move(kospi),
        Fact("stock_move", "000660", 60, {"change_pct": 9.1, "close": 100_000}, since=None, since_value=None, data_begins="2023-06-01", lookback=100),
        Fact("stock_move", "000270", 58, {"change_pct": -5.02, "close": 100_000}, since=None, since_value=None, data_begins="2023-06-01", lookback=100),
        Fact("stock_records", "stocks", 48, {"tickers": ["000660", "012450"]}),
    ]
    s = story(snapshot(facts, kospi, stocks=stocks))
    assert "SK hynix and Hanwha Aerospace hit record highs." in s.lede and "Kia plunged 5.02 percent" in " ".join(s.lede)
    assert s.headline == "KOSPI rises 0.4% as SK hynix and Hanwha Aerospace hit records"
