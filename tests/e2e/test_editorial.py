"""The editorial workflow in a browser: an editor changes a live article, a reviewer
comments and asks for changes, the editor resolves them, the reviewer approves, the
editor puts the change live and publishes from the dashboard; a crash loses nothing.
Every new admin view is checked with axe at 1366 and 320 pixels."""

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model

from articles import review
from articles.models import Article, Status
from care.models import Clinician
from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility import ADMIN_RULES, WCAG, report, violations

LIVE_SLUG = "ketamine-side-effects-and-safety"


def new_context(browser, width=1366):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def editor_built(page):
    """Wait for a form's rich-text editor to draw its buttons, so that axe sees them
    as an editor sees them (undo unavailable on a fresh page), not a moment early."""
    if page.locator("textarea[data-django-prose-editor]").count():
        page.wait_for_selector(".prose-menubar__button.disabled")


def checked(browser, site, username, paths, brand="ignite") -> dict:
    """axe on each path at a desktop and a phone width, signed in as ``username``."""
    found = {}
    for width in (1366, 320):
        context, page = new_context(browser, width)
        log_in(page, site, username)
        for path in paths:
            page.goto(site(brand, path))
            editor_built(page)
            found[f"{path} at {width}px"] = violations(page, ADMIN_RULES)
            scrolled = page.evaluate("document.documentElement.scrollWidth")
            assert scrolled <= width, f"{path} scrolls sideways at {width}px ({scrolled}px)"
        context.close()
    return found


def test_a_change_to_a_live_article_from_edit_to_live(site, browser):
    live = Article.objects.get(slug=LIVE_SLUG)
    change = f"/admin/articles/article/{live.pk}/change/"
    found = {}

    # The editor changes the live article's summary and a sentence of its text.
    context, editor = new_context(browser)
    log_in(editor, site, "ignite-editor")
    editor.goto(site("ignite", change))
    editor.fill("#id_summary", "What you may feel during and after an infusion.")
    editor.locator(".ProseMirror[contenteditable=true] > p").first.click()
    editor.keyboard.press("End")
    editor.keyboard.type(" Tell the nurse at once if anything feels wrong.")
    editor.click("input[name=_continue]")
    editor.wait_for_selector(".proposed-change")
    editor.get_by_role("link", name="See what changes").click()
    assert (
        editor.locator(".compare-field-summary ins")
        .first.inner_text()
        .startswith("What you may feel")
    )
    assert "Tell the nurse at once" in editor.locator(".compare-text ins").first.inner_text()
    editor.goto(site("ignite", f"/admin/articles/article/{live.pk}/medical-review/"))
    editor.get_by_label("A clinician of the clinic").select_option(index=1)
    editor.get_by_role("button", name="Send for review").click()
    editor.wait_for_selector(".messagelist .success")

    # The reviewer comments on the new sentence's paragraph and asks for changes.
    reviewer_context, reviewer = new_context(browser)
    log_in(reviewer, site, "ignite-reviewer")
    reviewer.locator("#panel-my-reviews a").first.click()
    reviewer.wait_for_selector(".compare-text")
    review_path = urlsplit(reviewer.url).path
    row = reviewer.locator(".compare-text tr.compare-changed")
    row.get_by_role("link", name="Comment on this part").click()
    assert reviewer.evaluate("document.activeElement.id") == "id_text"
    reviewer.keyboard.type("Say which nurse, and where the call button is.")
    reviewer.get_by_role("button", name="Add the comment").click()
    reviewer.wait_for_selector(".review-comment")
    assert "Tell the nurse at once" in reviewer.locator(".review-comment blockquote").inner_text()
    reviewer.get_by_label("Ask for changes").check()
    reviewer.get_by_role("button", name="Record my decision").click()
    reviewer.wait_for_selector(".messagelist .success")

    # The editor sees the comment on the dashboard and beside the text, and resolves it.
    editor.goto(site("ignite", "/admin/"))
    asked = editor.locator("#panel-changes-asked")
    assert "Say which nurse" in asked.inner_text() and "1 open comment" in asked.inner_text()
    asked.get_by_role("link", name=live.title).click()
    aside = editor.locator("aside #review-comments")
    assert "Say which nurse" in aside.inner_text()
    found.update(checked(browser, site, "ignite-editor", ["/admin/", change]))
    aside.get_by_role("button", name="Mark resolved").click()
    editor.wait_for_selector(".review-comments-resolved")
    editor.goto(site("ignite", f"/admin/articles/article/{live.pk}/medical-review/"))
    editor.get_by_label("A clinician of the clinic").select_option(index=1)
    editor.get_by_role("button", name="Send for review").click()
    editor.wait_for_selector(".messagelist .success")

    # The reviewer approves; the editor puts the change live from the dashboard.
    reviewer.goto(site("ignite", "/admin/"))
    reviewer.locator("#panel-my-reviews a").first.click()
    reviewer.wait_for_selector(".compare-text")
    found.update(checked(browser, site, "ignite-reviewer", [urlsplit(reviewer.url).path]))
    reviewer.get_by_label("Approve this text for publication").check()
    reviewer.get_by_role("button", name="Record my decision").click()
    reviewer.wait_for_selector(".messagelist .success")
    editor.goto(site("ignite", "/admin/"))
    editor.locator("#panel-change-approved").get_by_role(
        "button", name="Put the change live"
    ).click()
    editor.wait_for_selector(".messagelist .success")
    editor.goto(site("ignite", f"/articles/{LIVE_SLUG}/"))
    assert "Tell the nurse at once" in editor.locator("main").inner_text()
    found.update(
        checked(
            browser,
            site,
            "ignite-editor",
            [f"/admin/articles/article/{live.pk}/compare/", review_path],
        )
    )
    context.close()
    reviewer_context.close()
    assert not any(found.values()), report(found)


def test_the_seo_panel_forms_are_accessible(site, browser):
    from care.models import Clinician, Treatment
    from pages.models import Page

    page = Page.objects.filter(brand__slug="ignite").first()
    treatment = Treatment.objects.filter(brand__slug="ignite").first()
    person = Clinician.objects.filter(brands__slug="ignite").first()
    piece = Article.objects.filter(canonical_brand__slug="ignite").first()
    found = checked(
        browser,
        site,
        "ignite-admin",
        [
            f"/admin/pages/page/{page.pk}/change/",
            f"/admin/care/treatment/{treatment.pk}/change/",
            f"/admin/care/clinician/{person.pk}/change/",
            f"/admin/articles/article/{piece.pk}/change/",
        ],
    )
    assert not any(found.values()), report(found)


def test_an_approved_draft_is_published_from_the_dashboard(site, browser):
    draft = Article.objects.get(slug="ketamine-and-anxiety")
    maya = Clinician.objects.get(account__username="ignite-reviewer")
    editor_account = get_user_model().objects.get(username="ignite-editor")
    review.decide(review.send(draft, user=editor_account, clinician=maya), approve=True)
    context, page = new_context(browser)
    log_in(page, site, "ignite-editor")
    ready = page.locator("#panel-ready")
    assert draft.title in ready.inner_text()
    ready.get_by_role("button", name="Publish now").click()
    page.wait_for_selector(".messagelist .success")
    draft.refresh_from_db()
    assert draft.is_live and draft.status == Status.PUBLISHED
    assert draft.reviewer_name.startswith("Maya Okafor")  # credited by the approval
    context.close()


def test_typing_survives_a_crash(site, browser):
    live = Article.objects.get(slug=LIVE_SLUG)
    change = f"/admin/articles/article/{live.pk}/change/"
    context, page = new_context(browser)
    log_in(page, site, "ignite-editor")
    page.goto(site("ignite", change))
    page.fill("#id_hero_alt", "Typed before the laptop died.")
    page.locator(".ProseMirror[contenteditable=true] > p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" Words that must not be lost.")
    page.wait_for_selector("#autosave-status:has-text('kept on the server')", timeout=12000)
    context.close()  # the browser dies: nothing was saved

    context, page = new_context(browser)
    log_in(page, site, "ignite-editor")
    page.goto(site("ignite", change))
    offer = page.locator("#autosave-offer")
    assert offer.is_visible()
    offer.get_by_role("button", name="Restore my unsaved changes").click()
    assert page.input_value("#id_hero_alt") == "Typed before the laptop died."
    editable = page.locator(".ProseMirror[contenteditable=true]").first
    assert "Words that must not be lost." in editable.inner_text()
    found = {change: violations(page, ADMIN_RULES)}
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    live.refresh_from_db()
    waiting = live.proposed_content  # a live health article: the change waits
    assert waiting is not None and "Words that must not be lost." in waiting.body
    page.goto(site("ignite", change))
    assert page.locator("#autosave-offer").count() == 0  # saved: nothing to offer
    context.close()
    assert not any(found.values()), report(found)


def test_the_outside_reviewer_s_page_is_accessible(site, browser):
    from articles.models import OutsideReviewer
    from clinic.models import Brand

    article = Article.objects.get(slug="ketamine-for-chronic-pain")
    outside = OutsideReviewer.objects.create(
        brand=Brand.objects.get(slug="kmd"),
        name="Lee Park",
        credentials="PhD",
        email="lee@university.example",
    )
    editor = get_user_model().objects.get(username="kmd-editor")
    sent = review.send(article, user=editor, outside=outside)
    path = f"/articles/medical-review/{review.token_for(sent)}/"
    found = {}
    for width in (1366, 320):
        context, page = new_context(browser, width)
        page.goto(site("kmd", path))
        page.get_by_role("button", name="Add the comment").click()
        found[f"with an error at {width}px"] = violations(page, WCAG)
        page.select_option("#id_block", index=1)
        page.fill("#id_text", f"A comment at {width} pixels.")
        page.get_by_role("button", name="Add the comment").click()
        page.wait_for_selector(".review-comment")
        found[f"{width}px"] = violations(page, WCAG)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
    assert not any(found.values()), report(found)
