"""Chinese wording of dates, periods and figures, the same on every page, feed and search result."""

from __future__ import annotations

from datetime import date, datetime


def cn_date(day: date | None) -> str:
    """``2023-10-25`` → ``2023年10月25日``; empty for no date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def cn_datetime(moment: datetime) -> str:
    """Publication time as readers see it; midnight means only a date was given, so no time is shown."""
    if (moment.hour, moment.minute) == (0, 0):
        return cn_date(moment.date())
    return f"{cn_date(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def cn_period(start: date | None, end: date | None) -> str:
    """``2023年3月13日至5月19日``: the end's year is left out when it is the start's."""
    if not start or not end:
        return cn_date(start or end)
    tail = f"{end.month}月{end.day}日" if start.year == end.year else cn_date(end)
    return f"{cn_date(start)}至{tail}"


def cn_number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text}{unit}"
