"""Admin, views and forms collect input and call the services; they do not write the
domain's rows themselves (issue 34). The check reads the code: a write found in an
``admin*.py``, ``*views.py`` or ``*forms.py`` that is not listed below fails it, and so
does a listed one that is gone (the list must shrink as the services take them over,
never silently hold writes that no longer exist)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("appointments", "articles", "care", "clinic", "demo", "outbox", "pages", "staff", "portal")
WRITES = {
    "save",
    "create",
    "delete",
    "bulk_create",
    "bulk_update",
    "update",
    "get_or_create",
    "update_or_create",
}
# Receivers whose save/update is no database write (a session, a template context).
NOT_ROWS = ("session", "context", "initial", "attrs")

# Writes not moved into a service yet: each is a place to fix, not a permission.
STILL_WRITING: set[str] = set()


def _commit_false(call: ast.Call) -> bool:
    return any(
        keyword.arg == "commit"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value is False
        for keyword in call.keywords
    )


def _is_input_module(path: Path) -> bool:
    name = path.name
    return name.startswith("admin") or name.endswith(("views.py", "forms.py"))


def writes_found(root: Path = ROOT, apps=APPS) -> set[str]:
    found = set()
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts or not _is_input_module(path):
                continue
            tree = ast.parse(path.read_text())
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                        continue
                    receiver = ast.unparse(node.func.value)
                    if node.func.attr not in WRITES or receiver.endswith(NOT_ROWS):
                        continue
                    if _commit_false(node):
                        continue  # a form's object, built and not saved
                    name = path.relative_to(root).as_posix()
                    found.add(f"{name}:{function.name}:{receiver}.{node.func.attr}")
    return found


def test_input_code_writes_nothing_but_what_is_still_listed():
    found = writes_found()
    assert found - STILL_WRITING == set(), "new writes outside the services"
    assert STILL_WRITING - found == set(), "moved into a service: take it off the list"


def test_the_check_sees_a_write_and_lets_a_service_call_pass(tmp_path):
    app = tmp_path / "shop"
    app.mkdir()
    (app / "admin.py").write_text(
        "def mark_paid(self, request, queryset):\n"
        "    for order in queryset:\n"
        "        order.status = 'paid'\n"
        "        order.save()\n"
        "    Order.objects.filter(pk=1).delete()\n"
        "    request.session.save()\n"
        "    draft = form.save(commit=False)\n"
    )
    (app / "views.py").write_text("def pay(request):\n    services.pay(request.order)\n")
    (app / "models.py").write_text("def anything(row):\n    row.save()\n")
    assert writes_found(tmp_path, ["shop"]) == {
        "shop/admin.py:mark_paid:order.save",
        "shop/admin.py:mark_paid:Order.objects.filter(pk=1).delete",
    }


# An article's status changes in one place: the state machine of articles/services.py.
STATUS_SETTERS_ALLOWED = {
    "articles/services.py:_move",
    # The change form restores the status it opened with before saving the content;
    # save_related then moves it through the services.
    "articles/admin.py:save_model",
}


def status_assignments(root: Path = ROOT, apps=APPS) -> set[str]:
    """Every function that assigns ``<something>.status`` in a module that knows the
    article's ``Status`` (the consultation's own status is the appointments app's)."""
    found = set()
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            source = path.read_text()
            if "migrations" in path.parts or "from articles.models import" not in source:
                continue
            if "Status" not in source:
                continue
            for function in ast.walk(ast.parse(source)):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    targets = node.targets if isinstance(node, ast.Assign) else []
                    for target in targets:
                        if isinstance(target, ast.Attribute) and target.attr == "status":
                            name = path.relative_to(root).as_posix()
                            found.add(f"{name}:{function.name}")
    return found


def test_an_articles_status_is_set_only_by_its_state_machine():
    assert status_assignments() == STATUS_SETTERS_ALLOWED


def test_the_status_check_sees_an_assignment(tmp_path):
    app = tmp_path / "press"
    app.mkdir()
    (app / "review.py").write_text(
        "from articles.models import Status\n\n"
        "def approve(article):\n    article.status = Status.PUBLISHED\n    article.save()\n"
    )
    assert status_assignments(tmp_path, ["press"]) == {"press/review.py:approve"}
