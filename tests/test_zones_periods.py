"""Weekly zones and the workspace calendar (ISO weeks in the workspace's zone, DST included)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core import periods
from bot.core.numbers import format_number, round_sig
from bot.core.zones import GREEN, ORANGE, RED, Thresholds, zone_for

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize("n, zone", [(0, GREEN), (19, GREEN), (20, ORANGE), (100, ORANGE), (101, RED), (5000, RED)])
def test_default_zone_thresholds(n: int, zone: str) -> None:
    assert zone_for(n) == zone


def test_thresholds_are_configurable() -> None:
    t = Thresholds(green_max=5, orange_max=10)
    assert [zone_for(n, t) for n in (4, 5, 10, 11)] == [GREEN, ORANGE, ORANGE, RED]


def test_monday_midnight_paris_is_a_new_week_while_utc_is_still_sunday() -> None:
    monday = datetime(2026, 11, 30, 0, 30, tzinfo=PARIS)
    assert monday.astimezone(timezone.utc).weekday() == 6  # Sunday in UTC
    day, week, month = periods.keys_for(monday.timestamp(), PARIS)
    assert (day, week, month) == ("d:2026-11-30", "w:2026-W49", "m:2026-11")
    sunday_late = datetime(2026, 11, 29, 23, 59, tzinfo=PARIS)
    assert periods.keys_for(sunday_late.timestamp(), PARIS)[1] == "w:2026-W48"


def test_week_spanning_the_spring_dst_change_lasts_167_hours() -> None:
    week = periods.week_of(date(2026, 3, 29), PARIS)  # clocks go forward on Sunday 29 March 2026
    assert week.key == "w:2026-W13"
    assert week.first_day == date(2026, 3, 23) and week.last_day == date(2026, 3, 29)
    assert week.end_ts - week.start_ts == 167 * 3600
    just_before = datetime(2026, 3, 30, 0, 0, tzinfo=PARIS).timestamp() - 1
    assert periods.keys_for(just_before, PARIS)[1] == "w:2026-W13"
    assert periods.keys_for(just_before + 1, PARIS)[1] == "w:2026-W14"


def test_week_spanning_the_autumn_dst_change_lasts_169_hours() -> None:
    week = periods.week_of(date(2026, 10, 25), PARIS)  # clocks go back on Sunday 25 October 2026
    assert week.end_ts - week.start_ts == 169 * 3600
    late_sunday = datetime(2026, 10, 25, 23, 30, tzinfo=PARIS)
    assert periods.keys_for(late_sunday.timestamp(), PARIS)[1] == week.key


def test_iso_week_across_new_year_and_month_boundaries() -> None:
    assert periods.week_key(date(2026, 12, 31)) == "w:2026-W53"
    assert periods.week_key(date(2027, 1, 3)) == "w:2026-W53"
    assert periods.week_key(date(2027, 1, 4)) == "w:2027-W01"
    month = periods.month_of(date(2026, 2, 14), PARIS)
    assert (month.key, month.first_day, month.last_day) == ("m:2026-02", date(2026, 2, 1), date(2026, 2, 28))
    assert periods.previous(month, PARIS).key == "m:2026-01"
    assert periods.previous(periods.week_of(date(2027, 1, 4), PARIS), PARIS).key == "w:2026-W53"


def test_utc_days_cover_a_local_period() -> None:
    week = periods.week_of(date(2026, 11, 23), PARIS)
    days = periods.utc_days(week)
    assert days[0] == date(2026, 11, 22)  # Monday 00:00 Paris is Sunday 23:00 UTC
    assert days[-1] == date(2026, 11, 29)


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError):
        periods.zone("Mars/Olympus_Mons")


def test_numbers_in_french_and_english() -> None:
    assert format_number(1234.5, "fr") == "1\u202f234,5"  # French groups with a narrow no-break space
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(1_234_567, "fr") == "1\u202f234\u202f567"
    assert format_number(0.2034, "fr", sig=2) == "0,2"
    assert format_number(0.0346, "en", sig=2) == "0.035"
    assert format_number(12_345, "en", sig=2) == "12,000"
    assert format_number(-3.5, "fr") == "-3,5"
    assert format_number(7, "fr", decimals=1) == "7,0"
    assert round_sig(0.0) == 0.0 and round_sig(987, 1) == 1000
