"""Newer/older paging that never counts the whole list.

Counting every live article of a brand costs more as the archive grows; a reader only
needs to know whether there is a next page, which one extra row answers.
"""

from dataclasses import dataclass


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 10_000)


def get_page(queryset, raw_number, per_page: int) -> Page:
    number = page_number(raw_number)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:  # past the end: show the first page instead
        return get_page(queryset, 1, per_page)
    return Page(rows[:per_page], number, len(rows) > per_page)
