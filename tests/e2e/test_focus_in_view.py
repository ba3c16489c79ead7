"""A keyboard user always sees where the focus is (WCAG 2.2, 2.4.11 Focus Not
Obscured): tabbing through every focusable element of every page type, at a 320-pixel
phone and a 1366-pixel desktop, each focused element is inside the window and not
under the phone's bottom bar (or any other bar fixed to an edge of the screen)."""

import pytest

from tests.e2e.test_accessibility import public_paths

# What covers part of the screen whatever is scrolled: the phone's call-and-book bar.
WHERE_THE_FOCUS_IS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const covered = [];
  for (const bar of document.querySelectorAll('body *')) {
    const style = getComputedStyle(bar);
    if (!['fixed', 'sticky'].includes(style.position) || bar.contains(el)) continue;
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const b = bar.getBoundingClientRect();
    if (b.width === 0 || b.height === 0) continue;
    const across = box.right > b.left && box.left < b.right;
    if (across && box.bottom > b.top + 1 && box.top < b.bottom - 1) {
      covered.push(bar.className || bar.tagName);
    }
  }
  return {
    element: el.outerHTML.slice(0, 90),
    covered: covered,
    // (A pixel's rounding aside: the browser scrolls to the fraction.)
    outside: box.top < -1 || box.bottom > window.innerHeight + 1,
  };
}"""


def hidden_focus(page) -> tuple[int, list[dict]]:
    """Tab through the page once; return how many stops there were and those hidden."""
    stops, hidden, first = 0, [], None
    for _ in range(400):
        page.keyboard.press("Tab")
        where = page.evaluate(WHERE_THE_FOCUS_IS)
        if where is None:
            continue
        if where["element"] == first:
            break  # round the page once
        first = first or where["element"]
        stops += 1
        if where["covered"] or where["outside"]:
            hidden.append(where)
    return stops, hidden


@pytest.mark.parametrize("width", [320, 1366])
@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_the_focused_element_is_never_hidden(site, browser, brand, width):
    # Without motion, as many keyboard users browse: the page jumps to the focus.
    context = browser.new_context(
        viewport={"width": width, "height": 700}, reduced_motion="reduce", locale="en-US"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = {}
    try:
        for name, path in public_paths(brand).items():
            page.goto(site(brand, path))
            stops, hidden = hidden_focus(page)
            assert stops >= 5, name  # the header's links at least
            if hidden:
                problems[name] = hidden[:3]
        # The form answered with its errors (the browser's own checks left out).
        page.goto(site(brand, "/consultation/"))
        page.click("form.consultation-form [type=submit]")
        page.wait_for_load_state()
        assert page.locator(".invalid-feedback, .errorlist").count() > 0
        stops, hidden = hidden_focus(page)
        if hidden:
            problems["consultation with errors"] = hidden[:3]
    finally:
        context.close()
    assert problems == {}
