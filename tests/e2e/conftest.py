"""Browser tests: Python Playwright driving Debian's Chromium against live_server.

They are skipped, with the reason, when /usr/bin/chromium is absent (``.ci/run``
installs it). Playwright never downloads a browser here.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API keeps an event loop running in the test thread, which makes
# Django think ORM calls in the test body are async code. They are not.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"browser tests need Debian's Chromium at {CHROMIUM}")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server, settings, tmp_path):
    """The demo world, served by live_server; returns a URL maker per brand."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    port = live_server.url.rsplit(":", 1)[1]

    def url(brand: str, path: str = "/") -> str:
        return f"http://{brand}.localhost:{port}{path}"

    return url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A 360-pixel-wide phone screen."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-US",
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, url, username, password="clinic-demo-2026", brand=None):
    """Sign in as staff do: the password, then the second factor where there is one
    (setting up the app, reading its key off the page, at a role's first sign-in)."""
    from django.contrib.auth import get_user_model

    from tests.two_factor import code_for, device_code, key_on

    brand = brand or ("kmd" if username.startswith("kmd") else "ignite")
    page.goto(url(brand, "/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    if "/two-factor/set-up/" in page.url:
        page.fill("#id_code", code_for(key_on(page.content())))
        page.click("input[type=submit].default")
        page.click("#content a.button")  # "I have kept them: continue"
    elif "/two-factor/code/" in page.url:
        page.fill("#id_code", device_code(get_user_model().objects.get(username=username)))
        page.click("input[type=submit].default")
    page.wait_for_url("**/admin/")
