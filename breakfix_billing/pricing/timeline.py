"""When did the work happen: split a stretch of time by a business calendar."""

import enum
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


class TimeCategory(enum.Enum):
    """Where a piece of work falls; each has its factor on the rate card."""

    BUSINESS = "business"
    AFTER_HOURS = "after_hours"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"


@dataclass(frozen=True)
class BusinessCalendar:
    """Business hours in the calendar's own time zone.

    ``attendances`` maps a weekday (0 = Monday) to its working intervals in
    decimal hours, e.g. ``{0: ((8.0, 12.0), (13.0, 17.0))}``; a weekday absent
    from it has no working hours.  ``holidays`` are public holidays as
    ``(start, end)`` intervals in UTC (naive datetimes are taken as UTC, as
    Odoo stores them).  Without a calendar every hour is business time.
    """

    tz: str = "UTC"
    attendances: dict = field(default_factory=dict)
    holidays: tuple = ()

    @property
    def zone(self):
        return ZoneInfo(self.tz or "UTC")


@dataclass(frozen=True)
class Piece:
    """A stretch of the work, in UTC, with one time category."""

    start: datetime
    end: datetime
    category: TimeCategory
    local_date: date

    @property
    def seconds(self):
        return int((self.end - self.start).total_seconds())


def _as_utc(moment):
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _local_to_utc(day, hours, zone):
    """The UTC moment of ``hours`` (decimal, 24 = next midnight) on a local day."""
    whole_minutes = round(hours * 60)
    local = datetime.combine(day, time(0), zone) + timedelta(minutes=whole_minutes)
    # Adding a timedelta to an aware datetime is wall-clock arithmetic:
    # re-attach the zone so that a DST change on that day gets its real offset.
    local = local.replace(tzinfo=None).replace(tzinfo=zone)
    return local.astimezone(timezone.utc)


def _boundaries(calendar, start, end):
    zone = calendar.zone
    points = set()
    day = start.astimezone(zone).date()
    last_day = end.astimezone(zone).date()
    while day <= last_day:
        points.add(_local_to_utc(day, 0, zone))
        for hour_from, hour_to in calendar.attendances.get(day.weekday(), ()):
            points.add(_local_to_utc(day, hour_from, zone))
            points.add(_local_to_utc(day, hour_to, zone))
        day += timedelta(days=1)
    for holiday_start, holiday_end in calendar.holidays:
        points.add(_as_utc(holiday_start))
        points.add(_as_utc(holiday_end))
    return sorted(p for p in points if start < p < end)


def _category(calendar, moment):
    """The category of the instant ``moment`` (UTC, aware)."""
    for holiday_start, holiday_end in calendar.holidays:
        if _as_utc(holiday_start) <= moment < _as_utc(holiday_end):
            return TimeCategory.HOLIDAY
    local = moment.astimezone(calendar.zone)
    intervals = calendar.attendances.get(local.weekday(), ())
    if not intervals:
        return TimeCategory.WEEKEND
    for hour_from, hour_to in intervals:
        if (
            _local_to_utc(local.date(), hour_from, calendar.zone)
            <= moment
            < _local_to_utc(local.date(), hour_to, calendar.zone)
        ):
            return TimeCategory.BUSINESS
    return TimeCategory.AFTER_HOURS


def split_by_calendar(calendar, start, seconds):
    """Split ``seconds`` of work from ``start`` into pieces of one category.

    Pieces follow each other in time; neighbours of the same category on the
    same local day are merged.  Durations are elapsed time, so an hour of
    work across a daylight-saving change stays an hour.
    """
    start = _as_utc(start)
    end = start + timedelta(seconds=seconds)
    if seconds <= 0:
        return []
    if calendar is None:
        calendar = BusinessCalendar(attendances={d: ((0.0, 24.0),) for d in range(7)})
    points = [start, *_boundaries(calendar, start, end), end]
    pieces = []
    for piece_start, piece_end in itertools.pairwise(points):
        category = _category(calendar, piece_start)
        local_date = piece_start.astimezone(calendar.zone).date()
        previous = pieces[-1] if pieces else None
        if (
            previous
            and previous.category == category
            and previous.local_date == local_date
        ):
            pieces[-1] = Piece(previous.start, piece_end, category, local_date)
        else:
            pieces.append(Piece(piece_start, piece_end, category, local_date))
    return pieces
