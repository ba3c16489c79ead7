"""Every public page type of both brands, and the admin pages staff use daily, pass
axe-core's WCAG 2.1 A/AA rules, fit a 360-pixel screen and print cleanly."""

import contextlib

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.models import Article, Topic
from care.models import Clinician, Treatment
from clinic.models import Location
from pages.models import Page
from tests.e2e.conftest import log_in

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# The back office is held to more: WCAG 2.2 AA (target sizes) and axe's best practices.
ADMIN_RULES = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}


def public_paths(slug):
    article = (
        Article.objects.live()
        .filter(brands__slug=slug, language="en")
        .order_by("-publish_at")
        .first()
    )
    topic = Topic.objects.filter(articles=article).first()
    location = Location.objects.filter(brand__slug=slug).first()
    return {
        "home": "/",
        "article list": "/articles/",
        "topic": f"/articles/topic/{topic.slug}/",
        "article": f"/articles/{article.slug}/",
        "search with results": "/articles/search/?q=ketamine",
        "search without results": "/articles/search/?q=zebra",
        "locations": "/locations/",
        "location": f"/locations/{location.slug}/",
        "consultation": "/consultation/",
        "privacy": "/privacy/",
        "faq": "/faq/",
        "plain page": Page.objects.filter(brand__slug=slug, is_published=True)
        .first()
        .get_absolute_url(),
        "treatments": "/treatments/",
        "treatment": Treatment.objects.filter(brand__slug=slug).first().get_absolute_url(),
        "clinicians": "/clinicians/",
        "clinician": Clinician.objects.filter(brands__slug=slug).first().get_absolute_url(),
        "404": "/no-such-page/",
    }


def spanish_paths(slug):
    """Every page type of the brand's Spanish site (K\\MD's), its own articles included."""
    paths = {f"{name} (es)": f"/es{path}" for name, path in public_paths(slug).items()}
    spanish = Article.objects.live().filter(brands__slug=slug, language="es").first()
    paths["article (es)"] = spanish.get_absolute_url()
    paths["topic (es)"] = f"/es/articles/topic/{spanish.main_topic.slug}/"
    paths["search with results (es)"] = "/es/articles/search/?q=infusi%C3%B3n"
    # The patient's own page, and a link that no longer works.
    from appointments import self_service
    from appointments.models import ConsultationRequest

    own = ConsultationRequest.objects.filter(brand__slug=slug, status="new").first()
    own.language = "es"
    own.save(update_fields=["language"])
    paths["own consultation page (es)"] = self_service.link_for(own)
    paths["old link (es)"] = "/es/consultation/manage/no-longer/"
    return paths


def settled(page) -> None:
    """Wait until no transition runs: a button under the pointer fades to its hover
    colours, and axe measuring midway reports a contrast no one ever reads (a slow
    machine is still mid-fade when a fast one has finished)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # an endless animation: judge it as is
        page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')",
            timeout=3000,
        )


def violations(page, options=WCAG):
    settled(page)
    results = Axe().run(page, options=options)
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]} "
        f"{[n['html'][:160] for n in v['nodes']][:2]}"
        for v in results.response["violations"]
    ]


def report(found: dict) -> str:
    return "\n".join(
        f"{page}: {problem}" for page, problems in found.items() for problem in problems
    )


@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_public_pages_have_no_accessibility_violations(site, page, brand):
    found = {}
    for name, path in public_paths(brand).items():
        page.goto(site(brand, path))
        found[name] = violations(page)
        assert page.locator("h1").count() == 1, name
        assert page.locator("main#main").count() == 1, name
    # The consultation form with its errors, and the thank-you page.
    page.goto(site(brand, "/consultation/"))
    page.get_by_role("button", name="Request a consultation").click()
    page.wait_for_selector(".alert-danger")
    found["consultation with errors"] = violations(page)
    page.fill("#id_name", "Robin Example")
    page.fill("#id_email", "robin@example.org")
    page.fill("#id_phone", "305 555 0123")
    page.check("#id_consent")
    page.get_by_role("button", name="Request a consultation").click()
    page.wait_for_url("**/consultation/thanks/")
    found["thanks"] = violations(page)
    assert not any(found.values()), report(found)


def test_the_spanish_pages_have_no_accessibility_violations(site, page, phone):
    found = {}
    for name, path in spanish_paths("kmd").items():
        for view, width in ((page, "1366"), (phone, "360")):
            view.goto(site("kmd", path))
            assert view.locator("html").get_attribute("lang") == "es", path
            found[f"{name} at {width}px"] = violations(view)
        scrolled = phone.evaluate("document.documentElement.scrollWidth")
        assert scrolled <= 360, f"{name} scrolls sideways ({scrolled}px)"
    page.goto(site("kmd", "/es/consultation/"))
    page.get_by_role("button", name="Solicitar una consulta").click()
    page.wait_for_selector(".alert-danger")
    found["consultation with errors (es)"] = violations(page)
    assert not any(found.values()), report(found)


@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_public_pages_fit_a_360_pixel_screen(site, phone, brand):
    for name, path in public_paths(brand).items():
        phone.goto(site(brand, path))
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} scrolls sideways ({width}px)"


@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_the_phone_bar_covers_nothing(site, phone, brand):
    for path in ("/", "/treatments/", "/faq/"):
        phone.goto(site(brand, path))
        phone.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        bar = phone.locator("nav.mobile-actions")
        assert bar.is_visible(), path
        bar_top = bar.evaluate("el => el.getBoundingClientRect().top")
        footer_end = phone.evaluate(
            "document.querySelector('.site-footer').getBoundingClientRect().bottom"
        )
        assert footer_end <= bar_top + 1, f"{path}: the bar covers the footer"
        assert bar.get_by_role("link", name="Request a consultation").is_visible()


def test_the_skip_link_and_focus_are_visible(site, page):
    page.goto(site("ignite", "/"))
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_articles_print_without_navigation(site, page):
    page.goto(site("ignite", "/articles/can-ketamine-therapy-help-you-sleep/"))
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator(".article-sidebar").is_visible()
    assert not page.locator(".share").is_visible()
    assert page.locator("h1").is_visible() and page.locator(".article-body").is_visible()


ADMIN_PAGES = {
    "ignite-editor": [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/care/treatment/add/",
        "/admin/pages/homesection/",
        "/admin/articles/bodyimage/",
        "/admin/articles/bodyimage/pick/",
    ],
    "kmd-frontdesk": [
        "/admin/",
        "/admin/appointments/consultationrequest/",
        "/admin/clinic/specialhours/",
    ],
    "kmd-admin": [
        "/admin/clinic/location/",
        "/admin/clinic/brand/",
        "/admin/care/clinician/add/",
        "/admin/pages/testimonial/",
    ],
    # Works both brands from one login: brand columns and filters appear.
    "group-admin": [
        "/admin/",
        "/admin/appointments/consultationrequest/",
        "/admin/appointments/consultationrequest/report/",
        "/admin/appointments/accessrecord/",
        "/admin/staff/invitation/",
        "/admin/time-zone/",
        "/admin/articles/bodyimage/pick/",
    ],
}


def picture_in_library():
    """One image in Ignite's library, so the picker lists something to choose."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from articles.models import BodyImage
    from clinic.models import Brand

    buffer = io.BytesIO()
    Image.new("RGB", (900, 500), (120, 150, 90)).save(buffer, "PNG")
    BodyImage.objects.create(
        brand=Brand.objects.get(slug="ignite"),
        image=SimpleUploadedFile("garden.png", buffer.getvalue(), "image/png"),
        alt_text="A garden path in the morning",
    )


@pytest.mark.parametrize("width", [1366, 320])
@pytest.mark.parametrize("username", list(ADMIN_PAGES))
def test_admin_pages_staff_use_daily_are_accessible(site, browser, username, width):
    from appointments.models import ConsultationRequest

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, site, username)
    brand = "kmd" if username.startswith("kmd") else "ignite"  # where log_in signs in
    paths = list(ADMIN_PAGES[username])
    if username == "kmd-frontdesk":
        request = ConsultationRequest.objects.filter(brand__slug="kmd").first()
        paths.append(f"/admin/appointments/consultationrequest/{request.pk}/change/")
        paths.append(f"/admin/appointments/consultationrequest/{request.pk}/contact/")
    if username in ("ignite-editor", "group-admin"):
        picture_in_library()
    if username == "ignite-editor":
        article = Article.objects.filter(canonical_brand__slug="ignite").first()
        paths.append(f"/admin/articles/article/{article.pk}/change/")
        paths.append(f"/admin/articles/article/{article.pk}/medical-review/")
        paths.append(f"/admin/articles/article/{article.pk}/compare/")
    if username == "kmd-admin":
        location = Location.objects.filter(brand__slug="kmd").first()
        paths.append(f"/admin/clinic/location/{location.pk}/change/")
    found = {}
    for path in paths:
        page.goto(site(brand, path))
        found[path] = violations(page, ADMIN_RULES)
    context.close()
    assert not any(found.values()), report(found)


@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_the_header_keeps_one_row_at_320_pixels(site, browser, brand):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(site(brand, "/"))
    name = page.locator(".site-header .navbar-brand").bounding_box()
    toggler = page.locator(".site-header .navbar-toggler").bounding_box()
    context.close()
    # The menu button sits beside the name, not below it.
    assert toggler["y"] < name["y"] + name["height"]
    assert toggler["x"] >= name["x"] + name["width"] - 1


def test_sign_in_help_pages_are_accessible(site, page, settings):
    from datetime import timedelta

    from django.utils import timezone

    from clinic.models import Brand
    from staff import invitations
    from staff.models import Invitation

    settings.BACK_OFFICE_URL = "http://back-office.example"
    invitation = Invitation.objects.create(
        brand=Brand.objects.get(slug="ignite"),
        email="new.colleague@ignite.example",
        role="editor",
        expires_at=timezone.now() + timedelta(days=7),
    )
    accept = invitations.link_for(invitation).removeprefix(settings.BACK_OFFICE_URL)
    found = {}
    for name, path in {
        "sign in": "/admin/login/",
        "password reset": "/admin/password-reset/",
        "reset sent": "/admin/password-reset/sent/",
        "invitation": accept,
        "used invitation": "/admin/invitation/forged/",
    }.items():
        page.goto(site("ignite", path))
        found[name] = violations(page)
    assert not any(found.values()), report(found)


@pytest.mark.parametrize("width", [1366, 320])
def test_two_factor_pages_are_accessible(site, browser, width):
    from tests.two_factor import code_for, key_on

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(site("kmd", "/admin/login/"))
    page.fill("#id_username", "kmd-admin")
    page.fill("#id_password", "clinic-demo-2026")
    page.click("input[type=submit]")
    page.wait_for_url("**/two-factor/set-up/**")
    found = {"set up": violations(page, ADMIN_RULES)}
    page.fill("#id_code", "000000")
    page.click("input[type=submit].default")
    found["wrong code"] = violations(page, ADMIN_RULES)
    page.wait_for_timeout(1500)  # django-otp waits a second after a wrong code
    page.fill("#id_code", code_for(key_on(page.content())))
    page.click("input[type=submit].default")
    assert page.locator(".recovery-codes code").count() == 10
    found["recovery codes"] = violations(page, ADMIN_RULES)
    page.goto(site("kmd", "/admin/two-factor/"))
    found["manage"] = violations(page, ADMIN_RULES)
    page.context.clear_cookies()
    page.goto(site("kmd", "/admin/login/"))
    page.fill("#id_username", "kmd-admin")
    page.fill("#id_password", "clinic-demo-2026")
    page.click("input[type=submit]")
    page.wait_for_url("**/two-factor/code/**")
    found["enter code"] = violations(page, ADMIN_RULES)
    context.close()
    assert not any(found.values()), report(found)


@pytest.mark.parametrize("width", [1366, 320])
def test_the_outside_reviewers_page_is_accessible(site, browser, width):
    from articles import review
    from articles.models import OutsideReviewer

    draft = Article.objects.filter(canonical_brand__slug="kmd").first()
    listed = OutsideReviewer.objects.across_brands().filter(brand__slug="kmd").first()
    sent = review.send(draft, user=None, outside=listed)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(site("kmd", f"/articles/medical-review/{review.token_for(sent)}/"))
    found = {"decision": violations(page)}
    page.click("input[type=submit].default")  # nothing chosen: the errors are shown
    found["errors"] = violations(page)
    context.close()
    assert not any(found.values()), report(found)
