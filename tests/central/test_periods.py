"""Rule 4: anniversary periods, clamped at month end, in the facility's time zone."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from central.kernel.clock import UnknownTimeZone
from central.plans.periods import (
    Period,
    boundary,
    canonical_utc,
    period_containing,
    period_end,
    periods_from,
    renewal_idempotency_key,
)

CHICAGO = "America/Chicago"
PHOENIX = "America/Phoenix"


def local(tz: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))


def local_dates(periods: list[Period], tz: str) -> list[str]:
    return [p.end.astimezone(ZoneInfo(tz)).date().isoformat() for p in periods]


# --- month ends and leap years -------------------------------------------------------------


@pytest.mark.parametrize("tz", ["UTC", CHICAGO, PHOENIX])
def test_jan_31_clamps_to_february_and_comes_back_to_the_31st(tz: str) -> None:
    anchor = local(tz, 2027, 1, 31, 9, 15)
    ends = local_dates(periods_from(anchor, 6, tz), tz)
    assert ends == [
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
        "2027-06-30",
        "2027-07-31",
    ]


def test_jan_31_in_a_leap_year_ends_on_feb_29() -> None:
    anchor = local(CHICAGO, 2028, 1, 31, 12, 0)
    assert local_dates(periods_from(anchor, 2, CHICAGO), CHICAGO) == ["2028-02-29", "2028-03-31"]


def test_a_start_on_feb_29_keeps_the_29th_and_clamps_only_in_february_of_a_common_year() -> None:
    anchor = local(CHICAGO, 2028, 2, 29, 8, 0)
    ends = local_dates(periods_from(anchor, 13, CHICAGO), CHICAGO)
    assert ends[:3] == ["2028-03-29", "2028-04-29", "2028-05-29"]
    assert ends[11] == "2029-02-28"  # 2029 is not a leap year
    assert ends[12] == "2029-03-29"  # and the anchor day comes back


def test_chaining_period_end_without_the_anchor_would_lose_the_anchor_day() -> None:
    """Why ``period_end`` takes ``anchor=``: the renewal code must pass it."""
    anchor = local("UTC", 2027, 1, 31, 10, 0)
    feb = period_end(anchor, "UTC")
    assert feb == datetime(2027, 2, 28, 10, 0, tzinfo=UTC)
    assert period_end(feb, "UTC") == datetime(2027, 3, 28, 10, 0, tzinfo=UTC)
    assert period_end(feb, "UTC", anchor=anchor) == datetime(2027, 3, 31, 10, 0, tzinfo=UTC)


# --- time zones and daylight saving -------------------------------------------------------


def test_chicago_keeps_local_time_across_spring_forward_and_fall_back() -> None:
    spring = periods_from(local(CHICAGO, 2026, 2, 15, 10, 0), 1, CHICAGO)[0]
    assert spring.end == datetime(2026, 3, 15, 15, 0, tzinfo=UTC)  # 10:00 CDT
    assert spring.end - spring.start == timedelta(days=28, hours=-1)

    autumn = periods_from(local(CHICAGO, 2026, 10, 15, 10, 0), 1, CHICAGO)[0]
    assert autumn.end == datetime(2026, 11, 15, 16, 0, tzinfo=UTC)  # 10:00 CST
    assert autumn.end - autumn.start == timedelta(days=31, hours=1)
    for period in (spring, autumn):
        assert period.end.astimezone(ZoneInfo(CHICAGO)).hour == 10


def test_phoenix_has_no_daylight_saving_so_periods_are_whole_days() -> None:
    spring = periods_from(local(PHOENIX, 2026, 2, 15, 10, 0), 1, PHOENIX)[0]
    assert spring.end == datetime(2026, 3, 15, 17, 0, tzinfo=UTC)
    assert spring.end - spring.start == timedelta(days=28)
    autumn = periods_from(local(PHOENIX, 2026, 10, 15, 10, 0), 1, PHOENIX)[0]
    assert autumn.end - autumn.start == timedelta(days=31)


def test_a_time_skipped_by_spring_forward_resolves_to_the_moment_of_the_change() -> None:
    anchor = local(CHICAGO, 2026, 2, 8, 2, 30)  # 2026-03-08 02:30 does not exist in Chicago
    first, second = periods_from(anchor, 2, CHICAGO)
    assert first.end == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)  # 03:00 CDT, the change
    assert first.end.astimezone(ZoneInfo(CHICAGO)).strftime("%H:%M %Z") == "03:00 CDT"
    # The next boundary goes back to the anchor's 02:30.
    assert second.end.astimezone(ZoneInfo(CHICAGO)).strftime("%m-%d %H:%M") == "04-08 02:30"


def test_a_skipped_midnight_and_a_skipped_day_resolve_to_the_change() -> None:
    # Sao Paulo sprang forward at midnight on 2018-11-04; Samoa skipped 2011-12-30 entirely.
    sao_paulo = periods_from(
        local("America/Sao_Paulo", 2018, 10, 4, 0, 30), 1, "America/Sao_Paulo"
    )[0]
    assert sao_paulo.end == datetime(2018, 11, 4, 3, 0, tzinfo=UTC)  # 01:00 -02
    apia = periods_from(local("Pacific/Apia", 2011, 11, 30, 10, 0), 1, "Pacific/Apia")[0]
    assert apia.end.astimezone(ZoneInfo("Pacific/Apia")).isoformat() == (
        "2011-12-31T00:00:00+14:00"
    )
    assert apia.end == datetime(2011, 12, 30, 10, 0, tzinfo=UTC)


def test_a_time_repeated_by_fall_back_resolves_to_its_first_occurrence() -> None:
    anchor = local(CHICAGO, 2026, 10, 1, 1, 30)
    end = periods_from(anchor, 1, CHICAGO)[0].end
    assert end == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 CDT, not 01:30 CST


def test_an_anchor_in_the_second_occurrence_of_a_repeated_hour_is_kept_as_is() -> None:
    second_0130 = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)  # 01:30 CST
    assert boundary(second_0130, 0, CHICAGO) == second_0130
    assert periods_from(second_0130, 1, CHICAGO)[0].end == datetime(2026, 12, 1, 7, 30, tzinfo=UTC)


def test_late_evening_start_uses_the_local_date_not_the_utc_date() -> None:
    # 23:30 on Jan 30 in Chicago is already 05:30 on Jan 31 in UTC.
    anchor = local(CHICAGO, 2027, 1, 30, 23, 30)
    assert anchor.astimezone(UTC).day == 31
    first, second = periods_from(anchor, 2, CHICAGO)
    # Local: Feb 28 (clamped from the 30th), then back to Mar 30; not Feb 28 / Mar 31 UTC.
    assert first.end == datetime(2027, 3, 1, 5, 30, tzinfo=UTC)
    assert first.end.astimezone(ZoneInfo(CHICAGO)).date().isoformat() == "2027-02-28"
    assert second.end == datetime(2027, 3, 31, 4, 30, tzinfo=UTC)  # 23:30 CDT on Mar 30


def test_morning_start_east_of_utc_uses_the_local_date() -> None:
    anchor = local("Asia/Tokyo", 2027, 3, 1, 8, 30)  # 23:30 UTC on Feb 28
    assert periods_from(anchor, 1, "Asia/Tokyo")[0].end == datetime(2027, 3, 31, 23, 30, tzinfo=UTC)


def test_results_are_utc_whatever_zone_the_anchor_was_given_in() -> None:
    anchor = local(CHICAGO, 2027, 5, 5, 12, 0)
    end = period_end(anchor, CHICAGO)
    assert end.tzinfo is UTC
    assert period_end(anchor.astimezone(ZoneInfo("Asia/Tokyo")), CHICAGO) == end


# --- period lookup ----------------------------------------------------------------------


def test_period_containing_puts_a_boundary_in_the_next_period() -> None:
    anchor = local(CHICAGO, 2027, 1, 31, 9, 0)
    periods = periods_from(anchor, 4, CHICAGO)
    assert period_containing(anchor, periods[2].start, CHICAGO) == periods[2]
    just_before = periods[2].start - timedelta(microseconds=1)
    assert period_containing(anchor, just_before, CHICAGO) == periods[1]
    assert period_containing(anchor, anchor, CHICAGO) == periods[0]


def test_period_containing_refuses_an_instant_before_the_anchor() -> None:
    anchor = local(CHICAGO, 2027, 1, 31, 9, 0)
    with pytest.raises(ValueError, match="before the first period"):
        period_containing(anchor, anchor - timedelta(seconds=1), CHICAGO)


def test_bad_inputs_raise_specific_errors() -> None:
    with pytest.raises(UnknownTimeZone):
        period_end(datetime(2027, 1, 1, tzinfo=UTC), "America/Atlantis")
    with pytest.raises(ValueError, match="aware"):
        period_end(datetime(2027, 1, 1), CHICAGO)
    with pytest.raises(ValueError):
        boundary(datetime(2027, 1, 1, tzinfo=UTC), -1, CHICAGO)


# --- renewal idempotency key --------------------------------------------------------------


def test_renewal_key_is_the_documented_shape_with_canonical_utc() -> None:
    start = local(CHICAGO, 2027, 1, 31, 23, 30)
    assert renewal_idempotency_key("sub42", start) == "renewal:sub42:2027-02-01T05:30:00Z"
    same_instant = start.astimezone(ZoneInfo("Asia/Tokyo"))
    assert renewal_idempotency_key("sub42", same_instant) == "renewal:sub42:2027-02-01T05:30:00Z"


def test_renewal_key_keeps_microseconds_with_six_digits() -> None:
    start = datetime(2027, 2, 1, 5, 30, 0, 120, tzinfo=UTC)
    assert canonical_utc(start) == "2027-02-01T05:30:00.000120Z"
    assert renewal_idempotency_key("s", start) == "renewal:s:2027-02-01T05:30:00.000120Z"


def test_renewal_key_differs_per_period_and_refuses_bad_input() -> None:
    anchor = local(CHICAGO, 2027, 1, 31, 9, 0)
    keys = {renewal_idempotency_key("s", p.start) for p in periods_from(anchor, 24, CHICAGO)}
    assert len(keys) == 24
    with pytest.raises(ValueError):
        renewal_idempotency_key("s", datetime(2027, 1, 1))
    with pytest.raises(ValueError):
        renewal_idempotency_key("a:b", anchor)
    with pytest.raises(ValueError):
        renewal_idempotency_key("", anchor)


# --- properties ---------------------------------------------------------------------------

ZONES = [
    "UTC",
    CHICAGO,
    PHOENIX,
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # a 30-minute daylight-saving shift
    "America/Sao_Paulo",  # historical changes at midnight
    "Asia/Kolkata",
]


@st.composite
def anchors(draw: st.DrawFn) -> tuple[datetime, str]:
    tz = draw(st.sampled_from(ZONES))
    when = draw(
        st.datetimes(
            min_value=datetime(1995, 1, 1),
            max_value=datetime(2060, 12, 31),
            timezones=st.just(ZoneInfo(tz)),
            allow_imaginary=False,
        )
    )
    return when, tz


def nominal_boundary(anchor_wall: datetime, n: int) -> datetime:
    """Anchor + n months with the day clamped, written independently of the module."""
    year = anchor_wall.year + (anchor_wall.month - 1 + n) // 12
    month = (anchor_wall.month - 1 + n) % 12 + 1
    day = min(anchor_wall.day, calendar.monthrange(year, month)[1])
    return anchor_wall.replace(year=year, month=month, day=day)


def wall(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


@settings(max_examples=150, deadline=None)
@given(anchors(), st.integers(min_value=1, max_value=30))
def test_periods_tile_and_each_lasts_one_month(anchor_tz: tuple[datetime, str], n: int) -> None:
    anchor, tz = anchor_tz
    periods = periods_from(anchor, n, tz)
    anchor_wall = wall(anchor, tz)
    # Compared in UTC: Python never finds an aware time in a repeated hour equal to one in
    # another zone (PEP 495), even when they are the same instant.
    assert periods[0].start == anchor.astimezone(UTC)
    for i, period in enumerate(periods):
        assert period.index == i
        assert period.start.tzinfo is UTC and period.end.tzinfo is UTC
        if i + 1 < n:
            assert period.end == periods[i + 1].start  # no gap, no overlap
        start_date = wall(period.start, tz).date()
        end_date = wall(period.end, tz).date()
        # Between 27 and 31 days (an hour either way only through a clock change).
        assert timedelta(days=27) < period.end - period.start <= timedelta(days=31, hours=1)
        assert 28 <= (end_date - start_date).days <= 31
        # Never longer than a calendar month: it ends in the next month, and lasts no longer
        # than the longer of the two months it touches.
        assert (end_date.year * 12 + end_date.month) - (
            start_date.year * 12 + start_date.month
        ) == 1
        longest = max(
            calendar.monthrange(start_date.year, start_date.month)[1],
            calendar.monthrange(end_date.year, end_date.month)[1],
        )
        assert (end_date - start_date).days <= longest
        # The anchor day comes back whenever the month has it.
        month_length = calendar.monthrange(end_date.year, end_date.month)[1]
        assert end_date.day == min(anchor_wall.day, month_length)
        # The end is the earliest instant at which the local clock reads anchor + (i+1)
        # months or later: the wall time itself, or the end of a spring-forward gap.
        nominal = nominal_boundary(anchor_wall, i + 1)
        assert wall(period.end, tz) >= nominal
        assert wall(period.end - timedelta(seconds=1), tz) < nominal
        assert wall(period.end - timedelta(hours=1), tz) < nominal  # first of a repeated hour
        if wall(period.end, tz) != nominal:
            assert (
                nominal.replace(tzinfo=ZoneInfo(tz))
                .astimezone(UTC)
                .astimezone(ZoneInfo(tz))
                .replace(tzinfo=None)
                != nominal
            ), "only a skipped time may move"


@settings(max_examples=150, deadline=None)
@given(anchors(), st.integers(min_value=0, max_value=60 * 24 * 3600 * 10))
def test_period_containing_agrees_with_the_listed_periods(
    anchor_tz: tuple[datetime, str], offset_seconds: int
) -> None:
    anchor, tz = anchor_tz
    # Aware arithmetic in a ZoneInfo zone is wall-clock arithmetic: add in UTC instead.
    at = anchor.astimezone(UTC) + timedelta(seconds=offset_seconds)
    found = period_containing(anchor, at, tz)
    listed = periods_from(anchor, found.index + 2, tz)
    assert found == listed[found.index]
    assert found.contains(at)
    assert not listed[found.index + 1].contains(at)
    # Renewal code knows the anchor and the current start: it gets the same end back.
    assert period_end(found.start, tz, anchor=anchor) == found.end
