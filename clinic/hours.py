"""Opening hours, computed from plain values: no database, no clock.

Callers pass the weekly rules, the special days (holidays), the location's IANA time
zone and the instant to answer for. Model methods only turn rows into these values
(clinic.models.locations), so everything here is tested with plain pytest.

Conventions:
- weekdays are 0 = Monday ... 6 = Sunday, as ``date.weekday()``;
- an interval is opens <= t < closes in local wall-clock time; ``closes`` of 00:00 means
  midnight at the end of the day, so an overnight opening is entered as two intervals
  (22:00-00:00 and 00:00-02:00) that touch and are read as one;
- a rule "every other week" applies in the weeks (Monday to Sunday) an even number of
  weeks away from the week of its anchor date;
- a set of weekly rules may carry ``valid_from``: the rules of the latest set that has
  begun replace the whole week; rules without it are the set in force until then.
Instants returned are timezone-aware UTC: Python compares and subtracts two datetimes
that share a tzinfo by wall clock, which is wrong across a DST change, so local time is
only for reading (``Hours.local``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
# How far ahead to look for the next opening: a year of closures plus a fortnight.
SEARCH_DAYS = 380
_CHUNK_DAYS = 14


def minute_of_day(value: time, *, closing: bool = False) -> int:
    """Return minutes since midnight; a closing time of 00:00 means the day's end."""
    minutes = value.hour * 60 + value.minute
    return MINUTES_PER_DAY if closing and minutes == 0 else minutes


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_parity(day: date, anchor: date) -> int:
    """Return 0 in the anchor's week and every second week from it, else 1."""
    return ((monday_of(day) - monday_of(anchor)).days // 7) % 2


@dataclass(frozen=True)
class WeeklyRule:
    """One opening interval on one weekday, every week or every other week."""

    weekday: int
    opens: time
    closes: time
    every_other_week: bool = False
    anchor: date | None = None
    valid_from: date | None = None

    @property
    def span(self) -> tuple[int, int]:
        return minute_of_day(self.opens), minute_of_day(self.closes, closing=True)

    def applies_on(self, day: date) -> bool:
        if day.weekday() != self.weekday:
            return False
        if not self.every_other_week or self.anchor is None:  # no anchor: refused on save
            return True
        return week_parity(day, self.anchor) == 0


@dataclass(frozen=True)
class SpecialDay:
    """Dates (first to last, inclusive) with their own intervals; none means closed."""

    first: date
    last: date
    spans: tuple[tuple[time, time], ...] = ()
    label: str = ""  # in the site's main language
    # The label in other languages: (code, text) pairs ("es", "Navidad").
    translations: tuple[tuple[str, str], ...] = ()

    def label_in(self, language: str) -> str:
        """The label in ``language``, else in the main language."""
        return dict(self.translations).get(language) or self.label

    @property
    def closed(self) -> bool:
        return not self.spans

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Change:
    """The next time the location opens (``opens`` True) or closes."""

    at: datetime
    opens: bool


@dataclass(frozen=True)
class Status:
    is_open: bool
    next_change: Change | None  # None: no change within SEARCH_DAYS


# --- validation -----------------------------------------------------------------


def rule_problems(rule: WeeklyRule) -> list[str]:
    """Return the codes of what is wrong with one rule on its own."""
    problems = []
    if not 0 <= rule.weekday <= 6:
        problems.append("weekday")
    start, end = rule.span
    if start == end:
        problems.append("zero_length")
    elif start > end:
        problems.append("inverted")
    if rule.every_other_week and rule.anchor is None:
        problems.append("anchor_missing")
    return problems


def span_problems(opens: time, closes: time) -> list[str]:
    """Return the codes of what is wrong with one special-hours interval."""
    start, end = minute_of_day(opens), minute_of_day(closes, closing=True)
    if start == end:
        return ["zero_length"]
    return ["inverted"] if start > end else []


def _may_share_a_day(first: WeeklyRule, second: WeeklyRule) -> bool:
    if first.weekday != second.weekday or first.valid_from != second.valid_from:
        return False
    if first.every_other_week and second.every_other_week and first.anchor and second.anchor:
        return week_parity(first.anchor, second.anchor) == 0
    return True


def _overlap(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def rule_conflicts(rules: Sequence[WeeklyRule]) -> list[tuple[int, int]]:
    """Return index pairs of rules whose intervals overlap on some day."""
    return [
        (i, j)
        for i in range(len(rules))
        for j in range(i + 1, len(rules))
        if _may_share_a_day(rules[i], rules[j]) and _overlap(rules[i].span, rules[j].span)
    ]


def span_conflicts(spans: Sequence[tuple[time, time]]) -> list[tuple[int, int]]:
    """Return index pairs of overlapping special-hours intervals (same dates)."""
    minutes = [(minute_of_day(o), minute_of_day(c, closing=True)) for o, c in spans]
    return [
        (i, j)
        for i in range(len(minutes))
        for j in range(i + 1, len(minutes))
        if _overlap(minutes[i], minutes[j])
    ]


# --- the calendar -----------------------------------------------------------------


class Hours:
    """A location's opening hours in its time zone."""

    def __init__(
        self,
        rules: Iterable[WeeklyRule],
        specials: Iterable[SpecialDay],
        tz: str | ZoneInfo,
    ):
        self.tz = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        self.rules = tuple(rules)
        self.specials = tuple(sorted(specials, key=lambda s: s.first))
        self._sets: dict[date | None, tuple[WeeklyRule, ...]] = {}
        for rule in self.rules:
            self._sets.setdefault(rule.valid_from, ())
            self._sets[rule.valid_from] += (rule,)
        self._set_starts = sorted(start for start in self._sets if start is not None)

    # Equal rules, exceptions and zone make equal calendars (so answers can be cached).

    def _identity(self):
        return (self.rules, self.specials, self.tz.key)

    def __eq__(self, other):
        return isinstance(other, Hours) and self._identity() == other._identity()

    def __hash__(self):
        return hash(self._identity())

    # Which rules and special days apply on a date.

    def set_start_on(self, day: date) -> date | None:
        """Return the ``valid_from`` of the weekly set in force on ``day``."""
        started = [start for start in self._set_starts if start <= day]
        return started[-1] if started else None

    def rules_on(self, day: date) -> tuple[WeeklyRule, ...]:
        """Return the weekly rules of the set in force on ``day`` (all weekdays)."""
        return self._sets.get(self.set_start_on(day), ())

    def upcoming_set_start(self, day: date) -> date | None:
        """Return the first date after ``day`` on which a new weekly set begins."""
        return next((start for start in self._set_starts if start > day), None)

    def special_on(self, day: date) -> SpecialDay | None:
        return next((special for special in self.specials if special.covers(day)), None)

    def spans_on(self, day: date) -> list[tuple[int, int]]:
        """Return the day's opening intervals as sorted (start, end) minutes."""
        special = self.special_on(day)
        if special is not None:
            return sorted(
                (minute_of_day(o), minute_of_day(c, closing=True)) for o, c in special.spans
            )
        return sorted(rule.span for rule in self.rules_on(day) if rule.applies_on(day))

    # From local wall-clock time to instants.

    def local(self, at: datetime) -> datetime:
        if at.tzinfo is None:
            raise ValueError("instants must be timezone-aware")
        return at.astimezone(self.tz)

    def instant(self, day: date, minute: int) -> datetime:
        """Return the instant of a local date and minute (1440 = next midnight).

        A wall-clock time that does not exist (inside the hour skipped when clocks go
        forward) is read as the moment the clocks jump: an opening or closing "at 2:30"
        on that night happens at 3:00, never at an invented instant past it. A time that
        exists twice (clocks going back) is its first occurrence.
        """
        day = day + timedelta(days=minute // MINUTES_PER_DAY)
        minute %= MINUTES_PER_DAY
        wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.tz)
        first = wall.astimezone(UTC)
        if first.astimezone(self.tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
            return first
        # In a gap: fold=1 reads the time with the offset after the jump, which lands
        # before the gap; walk forward to the jump (gaps are at most a few hours).
        moment = wall.replace(fold=1).astimezone(UTC).replace(second=0)
        target = wall.replace(tzinfo=None)
        while moment.astimezone(self.tz).replace(tzinfo=None) < target:
            moment += timedelta(minutes=1)
        return moment

    def intervals(self, first: date, last: date) -> list[tuple[datetime, datetime]]:
        """Return the opening intervals from ``first`` to ``last`` (inclusive), merged
        where one ends as the next begins (across midnight)."""
        merged: list[tuple[datetime, datetime]] = []
        day = first
        while day <= last:
            for start, end in self.spans_on(day):
                begin, finish = self.instant(day, start), self.instant(day, end)
                if finish <= begin:
                    continue  # wholly inside a skipped DST hour: never open
                if merged and begin <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(finish, merged[-1][1]))
                else:
                    merged.append((begin, finish))
            day += timedelta(days=1)
        return merged

    # Answers.

    def open_minutes_between(self, start: datetime, end: datetime) -> int:
        """Minutes the location was open between two instants (a reply promise is
        counted in opening hours: a night or a weekend does not use it up)."""
        return self.open_minutes_from_each([start], end)[0]

    def open_minutes_from_each(self, starts: list[datetime], end: datetime) -> list[int]:
        """``open_minutes_between(start, end)`` for many starts at once. The hours are
        laid out once, from the earliest start, and each start is found among them by
        bisection: a dashboard looking at 500 requests of a two-year backlog lays out
        two years once instead of 500 times."""
        if not starts:
            return []
        earliest = min(starts)
        if end <= earliest:
            return [0] * len(starts)
        first = self.local(earliest).date() - timedelta(days=1)
        spans = [
            (begin, min(finish, end))
            for begin, finish in self.intervals(first, self.local(end).date())
            if begin < end
        ]
        # after[i]: the open time of spans i, i+1, ... up to ``end``.
        after = [timedelta()] * (len(spans) + 1)
        for index in range(len(spans) - 1, -1, -1):
            begin, finish = spans[index]
            after[index] = after[index + 1] + (finish - begin)
        finishes = [finish for _begin, finish in spans]
        minutes = []
        for start in starts:
            index = bisect_right(finishes, start)  # the first span still open after start
            total = after[index]
            if index < len(spans) and spans[index][0] < start:
                total -= start - spans[index][0]  # that span counts from ``start`` only
            minutes.append(max(0, int(total.total_seconds() // 60)) if start < end else 0)
        return minutes

    def is_open(self, at: datetime) -> bool:
        today = self.local(at).date()
        at = at.astimezone(UTC)
        return any(
            begin <= at < end
            for begin, end in self.intervals(today - timedelta(days=1), today + timedelta(days=1))
        )

    def next_change(self, at: datetime) -> Change | None:
        """Return when the location next opens or closes after ``at``."""
        today = self.local(at).date()
        at = at.astimezone(UTC)
        first = today - timedelta(days=1)
        last = today + timedelta(days=_CHUNK_DAYS)
        while (last - today).days <= SEARCH_DAYS + _CHUNK_DAYS:
            intervals = self.intervals(first, last)
            for begin, end in intervals:
                if begin <= at < end:
                    # Still open at the window's end: widen it to find the real close.
                    if end == intervals[-1][1] and end >= self.instant(last, MINUTES_PER_DAY):
                        break
                    return Change(end, opens=False)
                if begin > at:
                    return Change(begin, opens=True)
            else:
                if (last - today).days >= SEARCH_DAYS:
                    return None
            last += timedelta(days=_CHUNK_DAYS)
        return None

    def status(self, at: datetime) -> Status:
        return Status(is_open=self.is_open(at), next_change=self.next_change(at))

    def next_open_day(self, weekday: int, today: date, *, every_other_week: bool) -> date | None:
        """Return the next date from ``today`` on which the regular rules for ``weekday``
        of that kind open and no special day closes it."""
        day = today + timedelta(days=(weekday - today.weekday()) % 7)
        for _ in range(SEARCH_DAYS // 7 + 1):
            rules = [
                rule
                for rule in self.rules_on(day)
                if rule.every_other_week == every_other_week and rule.applies_on(day)
            ]
            special = self.special_on(day)
            if rules and (special is None or not special.closed):
                return day
            day += timedelta(days=7)
        return None

    def slots(
        self,
        at: datetime,
        length: timedelta,
        days: int,
        *,
        step: timedelta | None = None,
        lead: timedelta = timedelta(0),
        taken: Container[datetime] = (),
    ) -> list[datetime]:
        """Return the starts of slots of ``length`` that fit wholly in the opening
        intervals of the next ``days`` local dates (today first), starting no earlier
        than ``at + lead``, every ``step`` (default: ``length``) from each opening,
        leaving out those in ``taken``."""
        if length <= timedelta(0) or (step is not None and step <= timedelta(0)):
            raise ValueError("slot length and step must be positive")
        step = step or length
        earliest = at.astimezone(UTC) + lead
        today = self.local(at).date()
        found = []
        for begin, end in self.intervals(today, today + timedelta(days=days - 1)):
            start = begin
            while start + length <= end:
                if start >= earliest and start not in taken:
                    found.append(start)
                # Step in absolute time; each opening is its own local wall-clock start.
                start += step
        return found
