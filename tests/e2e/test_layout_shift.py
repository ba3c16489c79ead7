"""Nothing moves while a page loads (Cumulative Layout Shift 0, issue 35): on every
public page type of both brands, on a phone whose network brings the pictures and
fonts late and on a desktop that has them at once. The browser's own layout-shift
entries are counted, with what moved, so a failure says where to look
(bench/layout_shifts.py prints the same against a production server)."""

import pytest

from tests.e2e.layout_shift_recorder import record, shifts
from tests.e2e.test_accessibility import public_paths


@pytest.mark.parametrize(
    ("width", "late"), [(412, True), (1366, False)], ids=["phone, slow network", "desktop"]
)
@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_nothing_moves_while_a_page_loads(site, browser, brand, width, late):
    context = browser.new_context(viewport={"width": width, "height": 823}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    record(page, slow_network=late)
    moved = {}
    try:
        for name, path in public_paths(brand).items():
            page.goto(site(brand, path), wait_until="networkidle")
            found = shifts(page)
            if found:
                moved[name] = found
    finally:
        context.close()
    assert moved == {}
