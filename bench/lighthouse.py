"""Lighthouse on a phone: performance and layout shift of the key public pages.

    make lighthouse   (or: .venv/bin/python bench/lighthouse.py [--runs N])

Starts the portal as in production (2 gunicorn sync workers, DEBUG off, collected static
files, its page cache) on a fresh SQLite database with the demo data, and runs
Lighthouse (npm package, installed once into .cache/lighthouse; Debian's Chromium)
with its mobile settings on the home page, an article, a treatment and the
consultation form of both demo brands, three times each. It prints the median
performance score and layout shift of each page and fails (exit status 1) when a
median score is under 98 or a run's layout shift is not 0 (under 0.001): what the
portal holds itself to on a phone. Only loopback addresses are used.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from run import demo_server

ROOT = Path(__file__).resolve().parent.parent
VERSION = "13.5.0"
CLI = ROOT / ".cache/lighthouse/node_modules/lighthouse/cli/index.js"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = {
    "home": "/",
    "article": "/articles/can-ketamine-infusion-therapy-help-treat-ptsd/",
    "treatment": "/treatments/ketamine-infusion-series/",
    "form": "/consultation/",
}
# Ignite's demo has its own treatment and article slugs.
PAGES_OF = {
    "kmd.localhost": PAGES,
    "ignite.localhost": {
        **PAGES,
        "article": "/articles/can-ketamine-therapy-help-you-sleep/",
        "treatment": "/treatments/ketamine-for-depression/",
    },
}
LOWEST_SCORE = 98
HIGHEST_SHIFT = 0.001


def install() -> None:
    if CLI.exists():
        return
    if not shutil.which("npm"):
        sys.exit("npm is missing: Lighthouse is an npm package")
    subprocess.run(
        [
            *("npm", "install", "--silent", "--no-audit", "--no-fund"),
            *("--prefix", str(ROOT / ".cache/lighthouse"), f"lighthouse@{VERSION}"),
        ],
        check=True,
        timeout=600,
    )


def lighthouse(url: str, attempts: int = 3) -> tuple[float, float]:
    """(performance score 0–100, cumulative layout shift) of one run on a phone.

    Lighthouse itself now and then fails to start Chromium or loses it mid-run: such a
    run is tried again; a page that fails every time stops the bench with its reason."""
    for attempt in range(1, attempts + 1):
        try:
            return _one_run(url)
        except subprocess.CalledProcessError as failed:
            reason = (failed.stderr or failed.stdout or "").strip().splitlines()[-3:]
            print(f"  Lighthouse failed on {url} (try {attempt}): {' / '.join(reason)}")
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def _one_run(url: str) -> tuple[float, float]:
    done = subprocess.run(
        [
            *("node", str(CLI), url, "--output=json", "--output-path=stdout", "--quiet"),
            *("--only-categories=performance", "--form-factor=mobile"),
            "--chrome-flags=--headless=new --no-sandbox --disable-background-networking",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(done.stdout)
    score = report["categories"]["performance"]["score"] * 100
    return score, report["audits"]["cumulative-layout-shift"]["numericValue"]


def main() -> int:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium is missing at {CHROMIUM} (apt-get install -y chromium)")
    install()
    failures = []
    with demo_server("portal-lighthouse-") as port:
        print(f"Lighthouse {VERSION}, mobile, median of {runs} runs")
        print(f"{'':28} {'score':>6} {'layout shift':>13}   runs")
        for host, pages in PAGES_OF.items():
            for name, path in pages.items():
                url = f"http://{host}:{port}{path}"
                results = [lighthouse(url) for _ in range(runs)]
                score = statistics.median(score for score, _ in results)
                shift = max(shift for _, shift in results)
                label = f"{host.split('.')[0]} {name}"
                print(
                    f"{label:<28} {score:6.0f} {shift:13.3f}   "
                    + ", ".join(f"{s:.0f}" for s, _ in results),
                    flush=True,
                )
                if score < LOWEST_SCORE or shift >= HIGHEST_SHIFT:
                    failures.append(label)
    if failures:
        print(f"Under {LOWEST_SCORE} or shifting: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
