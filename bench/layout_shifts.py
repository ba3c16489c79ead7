"""What moves while a page loads on a phone, and why: each layout shift with its size
and the elements that moved.

    .venv/bin/python bench/layout_shifts.py [--desktop] [--only "kmd form"]

Lighthouse (bench/lighthouse.py) says how much a page shifts; this says what shifts.
It serves the portal as bench/lighthouse.py does (production settings, gunicorn, the
demo data) and loads the same pages in Debian's Chromium through Playwright at a phone's
size (412 x 823, as Lighthouse's phone), three times each with an empty browser cache
and pictures and fonts answered 400 ms late, recording the browser's own
``layout-shift`` entries (those not caused by input) with their sources. Prints each
page's total and, for every shift, the moved elements, their rectangles before and
after, and the time. Exit status 1 when any page shifts.
"""

import sys

from lighthouse import CHROMIUM, PAGES_OF
from playwright.sync_api import sync_playwright
from run import ROOT, demo_server

sys.path.insert(0, str(ROOT))  # the recorder the browser test uses too
from tests.e2e.layout_shift_recorder import record, shifts

PHONE = {"width": 412, "height": 823}
DESKTOP = {"width": 1366, "height": 900}


def shifts_of(browser, url: str, viewport: dict) -> list[dict]:
    context = browser.new_context(viewport=viewport, device_scale_factor=1.75)
    try:
        page = context.new_page()
        # Pictures and fonts arrive late, as on a phone's network: a shift they cause
        # then shows on every run, not only when the first paint happens to beat them.
        record(page, slow_network=True)
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(500)  # late font swaps and images
        return shifts(page)
    finally:
        context.close()


def main() -> int:
    viewport = DESKTOP if "--desktop" in sys.argv else PHONE
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    moving = []
    with demo_server("portal-shifts-") as port, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        for host, pages in PAGES_OF.items():
            for name, path in pages.items():
                if only and only not in f"{host.split('.')[0]} {name}":
                    continue
                url = f"http://{host}:{port}{path}"
                runs = [shifts_of(browser, url, viewport) for _ in range(3)]
                total = max(sum(s["value"] for s in run) for run in runs)
                print(f"{host.split('.')[0]} {name}: {total:.4f}", flush=True)
                if total:
                    moving.append(f"{host} {name}")
                worst = max(runs, key=lambda run: sum(s["value"] for s in run))
                for shift in worst:
                    print(f"  {shift['value']:.4f} at {shift['at']} ms")
                    for source in shift["sources"]:
                        print(f"    {source['node']}: {source['before']} -> {source['after']}")
        browser.close()
    return 1 if moving else 0


if __name__ == "__main__":
    sys.exit(main())
