"""What a browser reports as a layout shift, with what moved; and a network that brings
pictures and fonts late. Shared by tests/e2e/test_layout_shift.py (the guard) and
bench/layout_shifts.py (the diagnosis); plain Python, no Django.
"""

import re
import time

# Installed before the page's own scripts: every shift, with what moved.
RECORD = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__shifts.push({
      value: entry.value,
      at: Math.round(entry.startTime),
      sources: (entry.sources || []).map((s) => ({
        node: s.node ? describe(s.node) : "(gone)",
        before: [s.previousRect.x, s.previousRect.y, s.previousRect.width, s.previousRect.height],
        after: [s.currentRect.x, s.currentRect.y, s.currentRect.width, s.currentRect.height],
      })),
    });
  }
}).observe({type: "layout-shift", buffered: true});
function describe(node) {
  if (node.nodeType !== 1) node = node.parentElement || node;
  const parts = [];
  for (let n = node; n && n.nodeType === 1 && parts.length < 4; n = n.parentElement) {
    let part = n.tagName.toLowerCase();
    if (n.id) part += "#" + n.id;
    if (n.classList && n.classList.length) part += "." + [...n.classList].slice(0, 3).join(".");
    parts.unshift(part);
  }
  return parts.join(" > ");
}
"""

# What a phone's network brings after the page's first paint.
LATE = re.compile(r"/(media|static/fonts)/")


LATE_SECONDS = 0.4


def late(route) -> None:
    """A route handler: answer ``LATE_SECONDS`` later (the page paints meanwhile)."""
    time.sleep(LATE_SECONDS)
    route.continue_()


def record(page, *, slow_network: bool) -> None:
    """Make ``page`` record every shift from its next navigation (``shifts``)."""
    page.add_init_script(RECORD)
    if slow_network:
        page.route(LATE, late)


def shifts(page) -> list[dict]:
    """The shifts recorded since the page's navigation: value, time, what moved."""
    return page.evaluate("window.__shifts")
