"""Nothing moves while a page loads (Cumulative Layout Shift 0, issue 35): on every
public page type of both brands, on a phone whose network brings the pictures and
fonts late and on a desktop that has them at once. The browser's own layout-shift
entries are counted, with what moved, so a failure says where to look
(bench/layout_shifts.py prints the same against a production server)."""

import re
import time

import pytest

from tests.e2e.test_accessibility import public_paths

RECORD = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__shifts.push({
      value: entry.value,
      moved: (entry.sources || []).map((s) => s.node && s.node.nodeType === 1
        ? s.node.outerHTML.slice(0, 80) : String(s.node && s.node.textContent).slice(0, 40)),
    });
  }
}).observe({type: "layout-shift", buffered: true});
"""

# What a phone's network brings after the page's first paint.
LATE = re.compile(r"/(media|static/fonts)/")


def _late(route) -> None:
    time.sleep(0.4)
    route.continue_()


@pytest.mark.parametrize(
    ("width", "late"), [(412, True), (1366, False)], ids=["phone, slow network", "desktop"]
)
@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_nothing_moves_while_a_page_loads(site, browser, brand, width, late):
    context = browser.new_context(viewport={"width": width, "height": 823}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.add_init_script(RECORD)
    if late:
        page.route(LATE, _late)
    moved = {}
    try:
        for name, path in public_paths(brand).items():
            page.goto(site(brand, path), wait_until="networkidle")
            shifts = page.evaluate("window.__shifts")
            if shifts:
                moved[name] = shifts
    finally:
        context.close()
    assert moved == {}
