"""schema.org openingHoursSpecification for a location's hours (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from clinic.hours import Hours

DAY_URLS = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
]


def _hhmm(minute: int) -> str:
    if minute >= 24 * 60:
        return "23:59"  # schema.org's way of saying "until midnight"
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _weekly_entries(rules, valid_from: date | None, valid_through: date | None) -> list[dict]:
    by_span: dict[tuple[int, int], list[int]] = {}
    for rule in rules:
        if not rule.every_other_week:
            by_span.setdefault(rule.span, []).append(rule.weekday)
    entries = []
    for (start, end), weekdays in sorted(by_span.items()):
        entry = {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [DAY_URLS[day] for day in sorted(set(weekdays))],
            "opens": _hhmm(start),
            "closes": _hhmm(end),
        }
        if valid_from:
            entry["validFrom"] = valid_from.isoformat()
        if valid_through:
            entry["validThrough"] = valid_through.isoformat()
        entries.append(entry)
    return entries


def _dated(day: date, start: int, end: int) -> dict:
    return {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": DAY_URLS[day.weekday()],
        "opens": _hhmm(start),
        "closes": _hhmm(end),
        "validFrom": day.isoformat(),
        "validThrough": day.isoformat(),
    }


def opening_hours_specification(hours: Hours, at: datetime, weeks: int = 8) -> list[dict]:
    """Return the regular week plus dated entries for the next ``weeks`` weeks.

    Every-other-week openings and special days cannot be said with ``dayOfWeek``
    alone, so they are listed date by date; a closed day is opens = closes = 00:00,
    the convention search engines read as "closed".
    """
    today = hours.local(at).date()
    horizon = today + timedelta(weeks=weeks)
    entries: list[dict] = []

    next_start = hours.upcoming_set_start(today)
    entries += _weekly_entries(
        hours.rules_on(today), None, next_start - timedelta(days=1) if next_start else None
    )
    if next_start is not None and next_start <= horizon:
        after = hours.upcoming_set_start(next_start)
        entries += _weekly_entries(
            hours.rules_on(next_start), next_start, after - timedelta(days=1) if after else None
        )

    day = today
    while day <= horizon:
        if hours.special_on(day) is not None:
            spans = hours.spans_on(day)
            entries += [_dated(day, *span) for span in spans] if spans else [_dated(day, 0, 0)]
        else:
            entries += [
                _dated(day, *rule.span)
                for rule in sorted(hours.rules_on(day), key=lambda r: r.span)
                if rule.every_other_week and rule.applies_on(day)
            ]
        day += timedelta(days=1)
    return entries
