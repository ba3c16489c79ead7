"""What patients and staff do, in a real browser, for both demo brands."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from PIL import Image

from appointments.models import ConsultationRequest, RequestStatus, SlotBooking
from articles.models import Article
from tests.e2e.conftest import log_in

EXPLAINERS = {
    "ignite": ("can-ketamine-therapy-help-you-sleep", "Sleep"),
    "kmd": ("can-ketamine-infusion-therapy-help-treat-ptsd", "PTSD"),
}


def open_form_from_explainer(page, site, brand):
    slug, _topic = EXPLAINERS[brand]
    page.goto(site(brand, f"/articles/{slug}/"))
    page.locator(".closing-cta").get_by_role("link", name="Request a consultation").click()
    page.wait_for_url("**/consultation/?*")


@pytest.mark.parametrize("brand", ["ignite", "kmd"])
def test_a_patient_goes_from_an_explainer_to_a_sent_request(site, page, brand):
    open_form_from_explainer(page, site, brand)
    slug, topic = EXPLAINERS[brand]
    assert page.locator("#id_topic option:checked").inner_text() == topic
    # The first time the chosen location offers (the others' are hidden and disabled);
    # which location lists the earliest time depends on the hour this runs.
    # A day, then a time (two short lists; the long one is hidden).
    assert page.locator("#id_slot").is_hidden()
    assert page.get_by_label("Day").is_visible()
    assert page.get_by_label("Time", exact=True).is_disabled()
    first_day = page.locator("#id_slot-day option").nth(1)
    page.select_option("#id_slot-day", first_day.get_attribute("value"))
    chosen = page.locator("#id_slot-time option").first.get_attribute("value")
    assert "," not in page.locator("#id_slot-time option").first.inner_text()  # the time alone
    page.select_option("#id_slot-time", chosen)
    page.fill("#id_name", "Jamie Rivera")
    page.fill("#id_email", "jamie@example.org")
    page.fill("#id_phone", "(305) 555-0161")
    page.check("#id_consent")
    page.get_by_role("button", name="Request a consultation").click()
    page.wait_for_url("**/consultation/thanks/")
    reference = page.locator(".reference").inner_text()
    saved = ConsultationRequest.objects.get(reference=reference)
    assert saved.brand.slug == brand and saved.topic.name == topic
    assert saved.source_article.slug == slug
    assert saved.preferred_slot is not None
    assert chosen.endswith(saved.preferred_slot.strftime("%Y-%m-%dT%H:%MZ"))
    assert "Jamie" not in page.content()


def test_the_form_works_with_a_keyboard_only(site, page):
    page.goto(site("ignite", "/consultation/?topic=sleep"))
    name = page.locator("#id_name")
    for _ in range(40):  # tab from the top of the page to the first field
        page.keyboard.press("Tab")
        if name.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the name field cannot be reached with Tab")
    page.keyboard.type("Kim Keyboard")
    page.keyboard.press("Tab")
    page.keyboard.type("kim@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("503 555 0199")
    page.keyboard.press("Tab")  # contact method radios: keep "Phone call"
    page.keyboard.press("Tab")  # topic (pre-filled)
    page.keyboard.press("Tab")  # treatment: "Not sure yet"
    page.keyboard.press("Tab")  # preferred time: the day
    page.keyboard.press("ArrowDown")  # the first day with free times
    page.keyboard.press("Tab")  # then the time: that day's first, already chosen
    assert page.evaluate("document.activeElement.id") == "id_slot-time"
    for _ in range(3):  # note, message, consent
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_consent"
    page.keyboard.press("Space")
    for _ in range(5):  # past the privacy-notice link in the consent label
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/consultation/thanks/")
    saved = ConsultationRequest.objects.get(name="Kim Keyboard")
    assert saved.topic.slug == "sleep" and saved.preferred_slot is not None


def test_errors_are_shown_next_to_the_fields_and_nothing_typed_is_lost(site, page):
    page.goto(site("kmd", "/consultation/"))
    page.fill("#id_name", "Lee Mistake")
    page.fill("#id_email", "not-an-address")
    page.fill("#id_message", "Please call after 5.")
    page.get_by_role("button", name="Request a consultation").click()
    page.wait_for_selector(".alert-danger")
    email = page.locator("#id_email")
    assert email.get_attribute("aria-invalid") == "true"
    error_id = email.get_attribute("aria-describedby").split()[0]
    assert "valid email" in page.locator(f"#{error_id}").inner_text()
    assert email.input_value() == "not-an-address"
    assert page.locator("#id_name").input_value() == "Lee Mistake"
    assert page.locator("#id_message").input_value() == "Please call after 5."
    assert page.evaluate("document.activeElement.id") == "form-errors"  # read out first
    assert not ConsultationRequest.objects.filter(name="Lee Mistake").exists()


def hero_jpeg(tmp_path):
    path = tmp_path / "hero.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 600), (40, 110, 150)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_an_editor_writes_previews_and_publishes_an_article(site, page, tmp_path, settings):
    settings.PORTAL_PUBLIC_PORT = site("ignite").rsplit(":", 1)[1].strip("/")  # e-mailed links
    log_in(page, site, "ignite-editor")
    page.goto(site("ignite", "/admin/articles/article/add/"))
    page.fill("#id_title", "Sleep after an infusion")
    page.fill("#id_summary", "Simple ways to rest well on the day of a session.")
    editor = page.locator(".ProseMirror[contenteditable=true]").first
    editor.click()
    page.locator(".prose-menubar__selected").first.click()
    page.locator(".prose-menubar__option[data-name=heading2]").first.click()
    page.keyboard.type("Rest comes first")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the sleep foundation guide")
    for _ in range(5):
        page.keyboard.press("Shift+ArrowLeft")
    page.locator("button[data-name=link]").first.click()
    dialog = page.locator("dialog[open]")
    dialog.locator("input").first.fill("https://example.org/sleep")
    dialog.locator(
        "button[type=submit], button:has-text('OK'), button:has-text('Save')"
    ).first.click()
    # An image inside the text: "Browse…" opens the clinic's library in a small window,
    # where the editor uploads it with its description; it comes back into the dialog.
    editor.click()
    page.keyboard.press("Control+End")
    page.locator(".prose-menubar button[title=figure]").first.click()
    dialog = page.locator("dialog[open]")
    with page.expect_popup() as opened:
        dialog.get_by_text("Browse").click()
    library = opened.value
    library.set_input_files("#id_image", hero_jpeg(tmp_path))
    library.fill("#id_alt_text", "A bedside lamp giving warm, dim light")
    library.click("input[type=submit][value='Upload and insert']")
    library.wait_for_event("close", timeout=60000)  # uploads and renditions, on a busy CI
    assert dialog.locator("input[name=altText]").input_value() == (
        "A bedside lamp giving warm, dim light"
    )
    dialog.locator("input[name=caption]").fill("Dim, warm light in the last hour")
    dialog.locator("button[type=submit]").first.click()
    # The cursor stands after the image, in the text (not in its caption).
    page.wait_for_timeout(100)
    page.keyboard.type("Keep the room cool.")
    page.set_input_files("#id_hero_image", hero_jpeg(tmp_path))
    page.fill("#id_hero_alt", "A quiet bedroom with the curtains drawn")
    page.locator("#id_topics").get_by_label("Sleep", exact=True).check()
    page.select_option("#id_main_topic", label="Sleep")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    saved = Article.objects.get(slug="sleep-after-an-infusion")
    assert "<h2>Rest comes first</h2>" in saved.body
    assert 'href="https://example.org/sleep"' in saved.body
    assert saved.hero_renditions["webp"]
    assert '<figure><img src="/media/articles/body/' in saved.body
    assert "<figcaption>Dim, warm light in the last hour</figcaption>" in saved.body
    assert saved.body.endswith("</figure><p>Keep the room cool.</p>")

    page.get_by_role("link", name="Preview on Ignite Wellness Clinic").click()
    page.wait_for_url("**/articles/preview/**")
    assert page.locator("h1").inner_text() == "Sleep after an infusion"
    assert page.locator(".toc a").count() == 0  # one heading: no contents list needed
    assert page.locator("h2#rest-comes-first").count() == 1
    assert page.locator(".article-hero img, picture img").first.get_attribute("srcset")
    in_text = page.locator(".article-body figure picture img")
    assert in_text.get_attribute("alt") == "A bedside lamp giving warm, dim light"
    assert "480w" in in_text.get_attribute("srcset")
    page.go_back()

    # Author -> reviewer -> publish: an outside reviewer from the clinic's list (which
    # its brand admin keeps) approves through the e-mailed link.
    page.get_by_role("link", name="Send to medical review").click()
    page.select_option("#id_outside_reviewer", label="Dr. Priya Natarajan, MD, sleep medicine")
    page.click("input[type=submit].default")
    page.wait_for_selector(".messagelist .success")
    request = next(m for m in mail.outbox if m.to == ["p.natarajan@review.example"])
    link = re.search(r"https?://\S+/articles/medical-review/\S+/", request.body)[0]
    reviewer = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    on_phone = reviewer.new_page()
    on_phone.goto(link)
    assert on_phone.locator(".review-title").inner_text() == "Sleep after an infusion"
    on_phone.get_by_label("Approve this text for publication").check()
    on_phone.click("input[type=submit].default")
    on_phone.wait_for_selector(".alert-success")
    reviewer.close()
    saved.refresh_from_db()
    assert saved.reviewer_name == "Dr. Priya Natarajan, MD, sleep medicine"
    assert saved.last_reviewed

    page.reload()
    assert "Approved by Dr. Priya Natarajan" in page.locator(".review-rounds").inner_text()
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    page.goto(site("ignite", "/articles/"))
    assert page.get_by_role("link", name="Sleep after an infusion").count() == 1


def test_front_desk_assigns_notes_and_schedules_a_request(site, page):
    request = ConsultationRequest.objects.filter(brand__slug="kmd", status="new").first()
    log_in(page, site, "kmd-frontdesk")
    page.goto(site("kmd", "/admin/appointments/consultationrequest/?status__exact=new"))
    page.get_by_role("link", name=request.reference).click()
    desk = get_user_model().objects.get(username="kmd-frontdesk")
    page.select_option("#id_assignee", label=desk.get_full_name())  # people, not logins
    page.fill("#id_notes-0-text", "Called, booked for Tuesday.")
    page.select_option("#id_status", "scheduled")
    page.fill("#id_confirmed_slot_0", "2030-12-03")  # a Tuesday
    page.fill("#id_confirmed_slot_1", "10:00:00")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    request.refresh_from_db()
    assert request.status == RequestStatus.SCHEDULED
    assert request.assignee.username == "kmd-frontdesk"
    assert request.notes.get().author.username == "kmd-frontdesk"
    booking = SlotBooking.objects.get(request=request)
    local = booking.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (10, 0)
    assert any(m.to == [request.email] and m.attachments for m in mail.outbox)


def test_staff_of_one_brand_see_nothing_of_the_other(site, page):
    log_in(page, site, "kmd-frontdesk")
    page.goto(site("kmd", "/admin/appointments/consultationrequest/"))
    body = page.content()
    for other in ConsultationRequest.objects.filter(brand__slug="ignite"):
        assert other.reference not in body
    ignite_request = ConsultationRequest.objects.filter(brand__slug="ignite").first()
    response = page.goto(
        site("kmd", f"/admin/appointments/consultationrequest/{ignite_request.pk}/change/")
    )
    assert response.status == 404


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (
            datetime(2030, 12, 2, 9, 30, tzinfo=ZoneInfo("America/New_York")),
            "Open now · closes 4:30 P.M.",
        ),
        (
            datetime(2030, 12, 7, 11, 0, tzinfo=ZoneInfo("America/New_York")),
            "Closed · opens Monday 8 A.M.",
        ),
    ],
)
def test_the_hours_widget_at_an_open_and_a_closed_time(site, page, moment, status):
    with time_machine.travel(moment, tick=True):
        page.goto(site("kmd", "/"))
        assert page.locator(".hours-widget .opening-status").inner_text() == status
        lead = page.locator(".header-cta a").first.inner_text()
    assert lead.startswith("Call us") == status.startswith("Open")


def test_a_group_admin_schedules_a_los_angeles_patient_from_the_other_brands_host(site, page):
    """Signed in on K\\MD's host (New York), scheduling an Ignite (Los Angeles) patient:
    the form, the list and the patient's e-mail all speak Los Angeles time."""
    request = ConsultationRequest.objects.filter(brand__slug="ignite", status="new").first()
    log_in(page, site, "group-admin")  # signs in on Ignite's host ...
    log_in(page, site, "group-admin", brand="kmd")  # ... and again on K\MD's, as staff do
    page.goto(site("kmd", f"/admin/appointments/consultationrequest/{request.pk}/change/"))
    help_text = page.locator(".field-confirmed_slot .help:not(.timezonewarning)").inner_text()
    assert "America/Los Angeles" in help_text
    assert not page.locator(".timezonewarning").is_visible()
    page.select_option("#id_status", "scheduled")
    page.fill("#id_confirmed_slot_0", "2030-12-03")  # a Tuesday
    page.fill("#id_confirmed_slot_1", "09:00:00")  # noon in New York: open in both
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    request.refresh_from_db()
    local = request.confirmed_slot.astimezone(ZoneInfo("America/Los_Angeles"))
    assert (local.hour, local.minute) == (9, 0)
    confirmation = next(m for m in mail.outbox if m.to == [request.email] and m.attachments)
    assert "9:00 AM" in confirmation.body and "America/Los_Angeles" in confirmation.body
    page.goto(site("kmd", f"/admin/appointments/consultationrequest/{request.pk}/change/"))
    assert page.locator("#id_confirmed_slot_1").input_value() == "09:00:00"


def test_leaving_an_unsaved_change_form_asks_first(site, page):
    log_in(page, site, "ignite-editor")
    page.goto(site("ignite", "/admin/care/treatment/add/"))
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.fill("#id_name_en", "Half-written treatment")
    page.click("#content-main")  # a real user gesture on the page
    page.evaluate("window.location.href = '/admin/'")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.input_value("#id_name_en") == "Half-written treatment"
    # Saved, it leaves without asking.
    asked.clear()
    page.fill("#id_slug", "half-written")
    page.fill("#id_summary_en", "Draft.")
    page.click("input[name=_save]")
    page.wait_for_url("**/care/treatment/")
    assert asked == []


def test_an_invited_colleague_joins_sets_up_two_factor_and_works_the_inbox(
    site, page, browser, settings
):
    """Invite -> accept -> two-factor set-up -> first sign-in, as two people."""

    from tests.two_factor import code_for, key_on

    settings.BACK_OFFICE_URL = site("kmd", "").rstrip("/")
    log_in(page, site, "kmd-admin")
    page.goto(site("kmd", "/admin/staff/invitation/add/"))
    page.select_option("#id_brand", label="K\\MD Wellness")
    page.fill("#id_email", "rosa.desk@kmd.example")
    page.select_option("#id_role", "front_desk")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    invitation = next(m for m in mail.outbox if m.to == ["rosa.desk@kmd.example"])
    link = re.search(r"https?://\S+/admin/invitation/\S+/", invitation.body)[0]

    newcomer = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    phone = newcomer.new_page()
    phone.goto(link)
    phone.fill("#id_first_name", "Rosa")
    phone.fill("#id_last_name", "Desk")
    phone.fill("#id_username", "rosa")
    phone.fill("#id_password1", "Tide-lantern-2026")
    phone.fill("#id_password2", "Tide-lantern-2026")
    phone.click("input[type=submit]")
    # Signed in on the password just chosen (no second typing of it), straight on to
    # the second factor: front desk sees patients, so it is required.
    phone.wait_for_url("**/two-factor/set-up/**")
    phone.fill("#id_code", code_for(key_on(phone.content())))
    phone.click("input[type=submit].default")
    assert phone.locator(".recovery-codes code").count() == 10
    phone.click("#content a.button")
    phone.wait_for_url("**/admin/")
    assert phone.get_by_role("link", name="Consultation requests").count() >= 1
    phone.goto(site("kmd", "/admin/appointments/consultationrequest/"))
    assert phone.locator("#result_list").count() == 1
    newcomer.close()


def test_a_group_admin_signs_in_once_and_works_both_brands_from_the_back_office(
    site, page, settings
):
    """One back office host for the group: each brand's /admin/ leads there, both brands'
    work is there after one sign-in, and a draft is previewed on the brand's own site."""
    port = site("kmd").rsplit(":", 1)[1].strip("/")
    settings.BACK_OFFICE_HOST = f"backoffice.localhost:{port}"
    settings.BACK_OFFICE_URL = f"http://backoffice.localhost:{port}"
    page.goto(site("kmd", "/admin/"))
    page.wait_for_url(f"http://backoffice.localhost:{port}/admin/login/**")
    log_in(page, lambda _brand, path: f"http://backoffice.localhost:{port}{path}", "group-admin")
    ignite_request = ConsultationRequest.objects.filter(brand__slug="ignite").first()
    page.goto(
        f"http://backoffice.localhost:{port}"
        f"/admin/appointments/consultationrequest/{ignite_request.pk}/change/"
    )
    badge = " ".join(page.locator(".editing-brands").inner_text().split())
    assert badge == "For Ignite Wellness Clinic"
    draft = Article.objects.filter(canonical_brand__slug="kmd").first()
    draft.status = "draft"
    draft.save()
    page.goto(f"http://backoffice.localhost:{port}/admin/articles/article/{draft.pk}/change/")
    assert "K\\MD Wellness" in page.locator(".editing-brands").inner_text()
    page.get_by_role("link", name="Preview on K\\MD Wellness").click()
    page.wait_for_url(f"**kmd.localhost:{port}/articles/preview/{draft.pk}/")
    assert page.locator("h1").inner_text() == draft.title


def test_an_editor_changes_a_live_articles_summary_in_the_browser(site, page):
    """The summary is medical content: it waits for review. The editor re-lays out the
    HTML it loads; that is no change to the approved text."""
    from articles.content import changed_fields

    live = Article.objects.filter(canonical_brand__slug="ignite", status="published").first()
    log_in(page, site, "ignite-editor")
    page.goto(site("ignite", f"/admin/articles/article/{live.pk}/change/"))
    page.fill("#id_summary", "A shorter summary, edited in the browser.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".proposed-change")
    live.refresh_from_db()
    assert live.is_live and live.summary != "A shorter summary, edited in the browser."
    waiting = live.proposed_content
    assert waiting.summary == "A shorter summary, edited in the browser."
    assert changed_fields(live.live_content(), waiting) == ["summary"]


def test_front_desk_works_from_the_dashboard(site, page):
    """The index says what waits; one click opens it; working it clears the dashboard."""
    from datetime import timedelta

    from django.utils import timezone

    waiting = ConsultationRequest.objects.filter(brand__slug="kmd", status="new").first()
    # Received two weeks ago: whatever day this runs, that holds at least eight open days
    # of the location's calendar, far past K\MD's promise counted in opening hours.
    received = timezone.now() - timedelta(days=14)
    ConsultationRequest.objects.filter(pk=waiting.pk).update(created=received)
    waited = waiting.location.calendar().open_minutes_between(received, timezone.now())
    assert waited > waiting.brand.reply_hours * 60, "the request must be overdue"
    log_in(page, site, "kmd-frontdesk")
    panel = page.locator("#panel-waiting")
    assert waiting.reference in panel.inner_text()
    panel.get_by_role("link", name=waiting.reference).click()
    page.wait_for_url(f"**/consultationrequest/{waiting.pk}/change/")
    page.select_option("#id_status", "contacted")
    page.fill("#id_notes-0-text", "Called back; sending the intake form.")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    page.goto(site("kmd", "/admin/"))
    assert waiting.reference not in page.locator("#dashboard").inner_text()
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.CONTACTED


@pytest.mark.parametrize("width", [1366, 390])
def test_front_desk_schedules_moves_and_cancels_and_the_patient_hears_each(site, browser, width):
    """Issue 30: one click on a free time confirms it; a new time moves the patient's
    calendar event; a cancellation removes it; each e-mail says what holds now."""
    from icalendar import Calendar

    request = ConsultationRequest.objects.filter(brand__slug="kmd", status="new").first()
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="en-US", is_mobile=width < 500
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, site, "kmd-frontdesk")
    page.goto(site("kmd", f"/admin/appointments/consultationrequest/{request.pk}/change/"))

    def to_patient():
        return [m for m in mail.outbox if m.to == [request.email]]

    def event(message):
        calendar = Calendar.from_ical(message.attachments[0][1])
        return calendar, calendar.walk("VEVENT")[0]

    # One click: the first free time.
    first = page.locator(".field-free_times button[name=slot]").first
    first.click()
    page.wait_for_selector(".messagelist .success")
    request.refresh_from_db()
    assert request.status == RequestStatus.SCHEDULED
    confirmation = to_patient()[-1]
    _calendar, confirmed = event(confirmation)

    # Another free time: the event moves, and the e-mail says the first no longer holds.
    page.click(".free-times-all summary")  # every free time of the two weeks, by day
    page.locator(".free-times-all .free-day").nth(5).locator("button").first.click()
    page.wait_for_selector(".messagelist .success")
    moved = to_patient()[-1]
    assert "has moved" in moved.subject and "No longer" in moved.body
    calendar, moved_event = event(moved)
    assert str(moved_event["uid"]) == str(confirmed["uid"])
    assert int(moved_event["sequence"]) > int(confirmed["sequence"])

    # Cancelled, with a reason for staff: the event goes, the patient can book again.
    page.select_option("#id_status", "cancelled")
    page.fill("#id_cancel_reason", "The clinician is away that week.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    assert "cancelled on" in page.locator(".field-cancellation").inner_text()
    cancelled = to_patient()[-1]
    assert "is cancelled" in cancelled.subject and "/consultation/" in cancelled.body
    assert "away" not in cancelled.body
    calendar, gone = event(cancelled)
    assert str(calendar["method"]) == "CANCEL" and str(gone["uid"]) == str(confirmed["uid"])
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED and request.confirmed_slot is None
    assert not SlotBooking.objects.filter(request=request).exists()
    page.screenshot(path=f"/tmp/e2e-cancelled-{width}.png", full_page=True)
    context.close()


def test_the_first_inbox_row_is_three_keys_away(site, page):
    """Issue 30, item 6: 30 Tabs reached the first row; one sort link had no name."""
    log_in(page, site, "kmd-frontdesk")
    page.goto(site("kmd", "/admin/appointments/consultationrequest/"))
    page.keyboard.press("Tab")  # "Skip to main content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to the requests"
    page.keyboard.press("Enter")
    first = ConsultationRequest.objects.filter(brand__slug="kmd").order_by("-created").first()
    assert page.evaluate("document.activeElement.textContent.trim()") == first.reference
    names = page.eval_on_selector_all(
        "#result_list thead .sortoptions a", "links => links.map(a => a.getAttribute('aria-label'))"
    )
    assert names and all(name and ": " in name for name in names)


@pytest.mark.parametrize("width", [1366, 320])
def test_the_inbox_fits_the_screen(site, browser, width):
    """Issue 30, item 6: at 1366 px the age and assignee columns were cut off, and at
    320 px status, age and assignee; on a phone each row is now a card of labelled lines."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, site, "kmd-frontdesk")
    page.goto(site("kmd", "/admin/appointments/consultationrequest/"))
    scroll, visible = page.evaluate(
        "() => { const r = document.querySelector('.results');"
        " return [r.scrollWidth, r.clientWidth]; }"
    )
    assert scroll <= visible, f"{scroll - visible} px of the list cut off at {width} px"
    assignee = page.locator("#result_list tbody tr").first.locator("td.field-assignee")
    assert assignee.is_visible()
    if width == 320:
        assert assignee.get_attribute("data-label") == "Assigned to"
    context.close()


@pytest.mark.parametrize("width", [360, 1366])
def test_a_spanish_speaker_goes_from_the_home_page_to_moving_their_consultation(
    site, browser, width
):
    """En español de principio a fin: home, explainer, form, thanks, the e-mailed link,
    then moving the consultation once the front desk has booked it."""
    from appointments import services
    from appointments.slots import open_slots

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(site("kmd", "/"))
    page.get_by_role("link", name="Español").first.click()
    page.wait_for_url("**/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto(site("kmd", "/es/articles/"))
    page.get_by_role(
        "link", name="¿Puede la terapia de infusión de ketamina ayudar con el TEPT?"
    ).click()
    assert "Revisión médica por" in page.content()
    page.locator(".closing-cta").get_by_role("link", name="Solicitar una consulta").click()
    page.wait_for_url("**/es/consultation/?*")
    assert page.locator("input[name=language][value=es]").is_checked()
    page.fill("#id_name", "Lucía Fernández")
    page.fill("#id_email", "lucia@example.org")
    page.fill("#id_phone", "(305) 555-0166")
    page.check("input[name=contact_method][value=email]")
    page.check("#id_consent")
    page.get_by_role("button", name="Solicitar una consulta").click()
    page.wait_for_url("**/es/consultation/thanks/")
    assert "Gracias, recibimos su solicitud" in page.content()
    request = ConsultationRequest.objects.get(email="lucia@example.org")
    assert request.language == "es"
    acknowledgment = next(m for m in mail.outbox if m.to == ["lucia@example.org"])
    # The e-mail's address, on this test's server (e-mails name the public port).
    link = re.search(r"/es/consultation/manage/\S+/", acknowledgment.body).group(0)
    # The front desk books it; the confirmation carries the new link.
    times = open_slots([request.location])[request.location.pk]
    services.confirm_time(request, times[0].starts_at, user=None)
    page.goto(site("kmd", link))
    assert "Este enlace ya no funciona" in page.content()  # the acknowledgment's link is old
    confirmation = [m for m in mail.outbox if m.to == ["lucia@example.org"]][-1]
    assert confirmation.subject.startswith("Su consulta del")
    page.goto(site("kmd", re.search(r"/es/consultation/manage/\S+/", confirmation.body).group(0)))
    assert "Confirmada" in page.content()
    later = next(slot for slot in times[1:] if slot.starts_at.date() != times[0].starts_at.date())
    page.select_option("#id_move-slot", later.value)
    page.get_by_role("button", name="Cambiar mi consulta").click()
    page.wait_for_url("**?done=moved")
    assert "Está cambiada" in page.content()
    request.refresh_from_db()
    assert request.confirmed_slot == later.starts_at
    moved = [m for m in mail.outbox if m.to == ["lucia@example.org"]][-1]
    assert moved.subject.startswith("Su consulta pasó al")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
