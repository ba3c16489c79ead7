"""One definition of each concept: the code is read for a second way of saying it."""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("appointments", "articles", "care", "clinic", "demo", "outbox", "pages", "portal", "staff")


@cache
def modules() -> tuple[tuple[str, ast.Module], ...]:
    """Every module of the apps, parsed once for all the checks."""
    return tuple(
        (path.relative_to(ROOT).as_posix(), ast.parse(path.read_text()))
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    )


def found(predicate, allowed) -> list[str]:
    return [
        f"{name}:{node.lineno}"
        for name, tree in modules()
        if name not in allowed
        for node in ast.walk(tree)
        if predicate(node)
    ]


def test_absolute_addresses_are_built_only_by_clinic_links():
    def builds_an_address(node):
        return isinstance(node, ast.Attribute) and node.attr == "build_absolute_uri"

    def reads_the_back_office_url(node):
        return isinstance(node, ast.Attribute) and node.attr == "BACK_OFFICE_URL"

    assert found(builds_an_address, {"clinic/links.py"}) == []
    # The setting is defined, checked at deploy and read to build addresses: nowhere else.
    assert (
        found(
            reads_the_back_office_url, {"clinic/links.py", "portal/settings.py", "staff/checks.py"}
        )
        == []
    )


def lookups(node) -> list[str]:
    return [kw.arg for kw in node.keywords if kw.arg] if isinstance(node, ast.Call) else []


def test_live_scheduled_and_overdue_articles_are_defined_once():
    """An article's publication moment and review date are only compared in the
    article queryset's live(), scheduled() and review_overdue()."""

    def compares_the_moment(node):
        return any(
            name.startswith(("publish_at__gt", "publish_at__lt", "review_due__lt"))
            for name in lookups(node)
        )

    # The article list's "due within 30 days" filter is another question (not overdue).
    assert found(compares_the_moment, {"articles/models.py", "articles/admin.py"}) == []


def test_what_patients_may_see_is_filtered_by_published_only():
    def filters_the_tick(node):
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"filter", "exclude", "get"}
            and any(name.endswith("is_published") for name in lookups(node))
        )

    assert found(filters_the_tick, {"clinic/publishable.py"}) == []
