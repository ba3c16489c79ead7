"""Opening hours in words, the way a clinic's patients read them.

Pure functions over clinic.hours values ("Monday – Thursday: 8 A.M. – 4:30 P.M.",
"Closed · opens Monday 8 A.M."). Every phrase goes through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from clinic.hours import MINUTES_PER_DAY, Hours, SpecialDay, Status, minute_of_day

DASH = " – "


def _label(special: SpecialDay) -> str:
    """A special day's label in the page's language (its main one where untranslated)."""
    return special.label_in(get_language() or "")


def clock(minute: int) -> str:
    """Return "8 A.M.", "4:30 P.M.", "noon" or "midnight" for a minute of the day."""
    minute %= MINUTES_PER_DAY
    if minute == 0:
        return _("midnight")
    if minute == 12 * 60:
        return _("noon")
    hour, rest = divmod(minute, 60)
    suffix = _("A.M.") if hour < 12 else _("P.M.")
    hour = hour % 12 or 12
    return f"{hour} {suffix}" if rest == 0 else f"{hour}:{rest:02d} {suffix}"


def clock_of(value: time | datetime) -> str:
    return clock(value.hour * 60 + value.minute)


def span_text(spans: list[tuple[int, int]]) -> str:
    """Return "8 A.M. – noon, 1 P.M. – 5 P.M." for minute spans."""
    return ", ".join(f"{clock(start)}{DASH}{clock(end)}" for start, end in spans)


def long_date(day: date) -> str:
    """Return "Friday, November 27"."""
    return _("%(weekday)s, %(month)s %(day)d") % {
        "weekday": WEEKDAYS[day.weekday()],
        "month": MONTHS[day.month],
        "day": day.day,
    }


def moment_text(instant: datetime, zone) -> str:
    """Return "Tuesday, December 8, 9 A.M. EST": an instant read where it happens."""
    local = instant.astimezone(zone)
    return f"{long_date(local.date())}, {clock_of(local)} {local.tzname()}"


def relative_day(day: date, today: date) -> str:
    """Return "today", "tomorrow", a weekday within the week, or a long date."""
    delta = (day - today).days
    if delta == 0:
        return _("today")
    if delta == 1:
        return _("tomorrow")
    if 1 < delta < 7:
        return str(WEEKDAYS[day.weekday()])
    return long_date(day)


@dataclass(frozen=True)
class WeekRow:
    label: str
    text: str
    weekdays: tuple[int, ...]
    is_today: bool


def _day_text(hours: Hours, weekday: int, today: date, reference: date) -> str:
    rules = [rule for rule in hours.rules_on(reference) if rule.weekday == weekday]
    weekly = sorted(rule.span for rule in rules if not rule.every_other_week)
    alternate = sorted(rule.span for rule in rules if rule.every_other_week)
    parts = []
    if weekly:
        parts.append(span_text(weekly))
    if alternate:
        next_day = hours.next_open_day(weekday, today, every_other_week=True)
        text = _("%(hours)s every other week") % {"hours": span_text(alternate)}
        if next_day is not None:
            text += " — " + _("next open %(date)s") % {"date": long_date(next_day)}
        parts.append(text)
    return "; ".join(parts) if parts else _("closed")


def week_table(hours: Hours, at: datetime, *, reference: date | None = None) -> list[WeekRow]:
    """Return the regular week, Monday first, equal neighbouring days grouped.

    ``reference`` picks the weekly set to describe (default: the one in force today).
    """
    today = hours.local(at).date()
    reference = reference or today
    texts = [_day_text(hours, weekday, max(today, reference), reference) for weekday in range(7)]
    rows: list[WeekRow] = []
    weekday = 0
    while weekday < 7:
        last = weekday
        while last + 1 < 7 and texts[last + 1] == texts[weekday]:
            last += 1
        label = str(WEEKDAYS[weekday])
        if last > weekday:
            label += DASH + str(WEEKDAYS[last])
        days = tuple(range(weekday, last + 1))
        rows.append(WeekRow(label, texts[weekday], days, today.weekday() in days))
        weekday = last + 1
    return rows


def today_text(hours: Hours, at: datetime) -> str:
    """Return today's actual hours, holidays included ("closed (Thanksgiving)")."""
    today = hours.local(at).date()
    spans = hours.spans_on(today)
    special = hours.special_on(today)
    text = span_text(spans) if spans else _("closed")
    if special is not None and special.label:
        text += f" ({_label(special)})"
    return text


def status_line(status: Status, at: datetime, hours: Hours) -> str:
    """Return "Open now · closes 4:30 P.M." or "Closed · opens Monday 8 A.M."."""
    change = status.next_change
    if change is None:
        return _("Open now") if status.is_open else _("Closed until further notice")
    when = hours.local(change.at)
    today = hours.local(at).date()
    # Spanish says "a las 8 a. m." where English says "8 A.M.": the phrase is translated.
    moment = pgettext("a time of day", "%(time)s") % {"time": clock_of(when)}
    if when.date() != today:
        moment = pgettext("a day and a time", "%(day)s %(time)s") % {
            "day": relative_day(when.date(), today),
            "time": clock_of(when),
        }
    if status.is_open:
        return _("Open now · closes %(when)s") % {"when": moment}
    return _("Closed · opens %(when)s") % {"when": moment}


def callback_line(status: Status, at: datetime, hours: Hours) -> str:
    """Say honestly when a closed clinic will call back."""
    change = status.next_change
    if status.is_open:
        return _("We’re open now and will call you back today.")
    if change is None:
        return _("We’ll call you back as soon as we reopen.")
    when = hours.local(change.at)
    day = relative_day(when.date(), hours.local(at).date())
    sentence = _("We’ll call you back %(day)s after %(time)s") % {
        "day": day,
        "time": clock_of(when),
    }
    # "8 A.M." already ends the sentence with its own full stop.
    return sentence if sentence.endswith(".") else sentence + "."


def reply_line(status: Status, at: datetime, hours: Hours, method: str) -> str:
    """Say when and how the care team will answer: by phone, e-mail or text message."""
    if method == "phone":
        return callback_line(status, at, hours)
    change = status.next_change
    if status.is_open:
        sentences = {
            "email": _("We’re open now and will e-mail you today."),
            "text": _("We’re open now and will send you a text message today."),
        }
        return sentences[method]
    if change is None:
        sentences = {
            "email": _("We’ll e-mail you as soon as we reopen."),
            "text": _("We’ll send you a text message as soon as we reopen."),
        }
        return sentences[method]
    when = hours.local(change.at)
    values = {"day": relative_day(when.date(), hours.local(at).date()), "time": clock_of(when)}
    sentences = {
        "email": _("We’ll e-mail you %(day)s after %(time)s"),
        "text": _("We’ll send you a text message %(day)s after %(time)s"),
    }
    sentence = sentences[method] % values
    return sentence if sentence.endswith(".") else sentence + "."


@dataclass(frozen=True)
class SpecialRow:
    dates: str
    text: str
    label: str


def special_rows(hours: Hours, at: datetime, days: int = 60) -> list[SpecialRow]:
    """Return the special days that end today or later and begin within ``days``."""
    today = hours.local(at).date()
    horizon = today + timedelta(days=days)
    rows = []
    for special in hours.specials:
        if special.last < today or special.first > horizon:
            continue
        rows.append(SpecialRow(_special_dates(special), _special_text(special), _label(special)))
    return rows


def upcoming_exceptions(hours: Hours, at: datetime) -> list[str]:
    """Return this week's and next week's special days as sentences.

    "Thursday, November 26: closed (Thanksgiving)", "Thursday, December 24: 8 A.M. –
    noon (Christmas Eve)": what a patient reading the regular week must not miss.
    """
    today = hours.local(at).date()
    horizon = today + timedelta(days=13 - today.weekday())  # Sunday of next week
    lines = []
    for special in hours.specials:
        if special.last < today or special.first > horizon:
            continue
        first = max(special.first, today)
        dates = long_date(first) if first == special.last else _special_dates(special)
        line = f"{dates}: {_special_text(special)}"
        if special.label:
            line += f" ({_label(special)})"
        lines.append(line)
    return lines


def _special_dates(special: SpecialDay) -> str:
    if special.first == special.last:
        return long_date(special.first)
    return long_date(special.first) + DASH + long_date(special.last)


def _special_text(special: SpecialDay) -> str:
    if special.closed:
        return _("closed")
    return span_text(
        sorted((minute_of_day(o), minute_of_day(c, closing=True)) for o, c in special.spans)
    )
