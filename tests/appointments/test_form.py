"""The public consultation form: what patients see, what is saved, what is refused."""

from datetime import date, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils import timezone

from appointments import booking
from appointments.models import ConsultationRequest, RequestStatus
from clinic.models import SpecialHours
from tests.appointments.conftest import (
    FIRST_SLOT,
    MONDAY_9AM,
    form_page,
    submit,
    valid_data,
)
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import reference_location


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


class TestShowingTheForm:
    def test_it_has_labelled_fields_and_real_slots(self, monday, location):
        soup = soup_of(client_for(host=HOST_A).get("/consultation/"))
        for name in ("name", "email", "phone", "preference_note", "message", "consent"):
            field = soup.find(attrs={"name": name})
            assert soup.find("label", attrs={"for": field["id"]}), name
        options = [o["value"] for o in soup.select("select[name=slot] option")]
        assert options[0] == ""  # no preference
        assert options[1] == FIRST_SLOT.format(pk=location.pk)
        assert soup.select_one("input[name=location]")["type"] == "hidden"
        consent = soup.find("label", attrs={"for": "id_consent"})
        assert consent.find("a")["href"] == "/privacy/"

    def test_topic_and_article_are_prefilled_from_the_link(self, monday, location, sleep_piece):
        soup = soup_of(
            client_for(host=HOST_A).get("/consultation/?topic=sleep&article=ketamine-sleep")
        )
        assert soup.select_one("select[name=topic] option[selected]").get_text() == "Sleep"
        assert soup.find("input", attrs={"name": "article"})["value"] == "ketamine-sleep"

    @pytest.mark.parametrize(
        "query",
        ["?topic=<script>&article=../../x", "?topic=ptsd&article=nope", "?topic=" + "x" * 5000],
    )
    def test_unknown_or_hostile_prefills_are_ignored(self, monday, location, sleep_piece, query):
        response = client_for(host=HOST_A).get("/consultation/" + query)
        soup = soup_of(response)
        assert response.status_code == 200
        assert soup.select_one("select[name=topic] option[selected]")["value"] == ""
        assert soup.find("input", attrs={"name": "article"}).get("value") in (None, "")

    def test_a_brand_with_several_locations_asks_which(self, monday, brand_a, location):
        other = reference_location(brand_a, slug="north", name="North", order=2)
        soup = soup_of(client_for(host=HOST_A).get("/consultation/"))
        names = [o.get_text() for o in soup.select("select[name=location] option")]
        assert names == ["Downtown clinic", "North"]
        groups = [g["label"] for g in soup.select("select[name=slot] optgroup")]
        assert groups[0] == "Downtown clinic · Monday, November 23"
        assert any(label.startswith("North · ") for label in groups)
        assert other.pk

    def test_holidays_and_full_slots_are_not_offered(self, monday, location):
        SpecialHours.objects.create(location=location, first_day=date(2026, 11, 24), label="Closed")
        submit(location)  # a preference, not a booking: the slot stays open ...
        taken = ConsultationRequest.objects.get()
        booking.reserve(taken, location, taken.preferred_slot)  # ... until staff confirm it
        options = [
            o["value"]
            for o in soup_of(client_for(host=HOST_A).get("/consultation/")).select(
                "select[name=slot] option"
            )
        ]
        assert FIRST_SLOT.format(pk=location.pk) not in options  # full
        assert not any("2026-11-24" in value for value in options)  # holiday
        assert any("2026-11-25" in value for value in options)

    def test_the_form_page_is_never_cached(self, location):
        response = client_for(host=HOST_A).get("/consultation/")
        assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


class TestSaving:
    def test_a_valid_request_is_saved_and_the_patient_sees_the_reference(
        self, monday, location, sleep_piece, django_capture_on_commit_callbacks
    ):
        client = client_for(host=HOST_A)
        _, token = form_page(client, "/consultation/?topic=sleep&article=ketamine-sleep")
        data = valid_data(
            location, token, topic=str(sleep_piece.topics.get().pk), article="ketamine-sleep"
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/consultation/", data)
        assert response.status_code == 302 and response["Location"] == "/consultation/thanks/"
        saved = ConsultationRequest.objects.get()
        assert saved.brand == location.brand and saved.location == location
        assert str(saved.phone) == "+13055550147"
        assert saved.name == "Ana María O'Neil"
        assert saved.consent_at is not None and saved.privacy_notice_version == "1"
        assert saved.source_article == sleep_piece and saved.topic.slug == "sleep"
        assert saved.status == RequestStatus.NEW
        assert saved.preferred_slot.isoformat() == "2026-11-23T16:00:00+00:00"
        assert len(saved.client_hash) == 64 and "127.0.0.1" not in saved.client_hash
        thanks = client.get(response["Location"])
        page = thanks.content.decode()
        assert soup_of(thanks).select_one(".reference").get_text() == saved.reference
        for private in ("Ana", "ana@example.org", "555-0147", "+13055550147", "sleeping"):
            assert private not in page
        assert len(mail.outbox) == 2

    def test_the_reference_looks_right(self, monday, location):
        submit(location)
        reference = ConsultationRequest.objects.get().reference
        assert reference[:4] == "BRA-" and len(reference) == 11 and reference[8] == "-"

    def test_a_double_submission_creates_one_request(self, monday, location):
        client = client_for(host=HOST_A)
        _, token = form_page(client)
        data = valid_data(location, token)
        first = client.post("/consultation/", data)
        second = client.post("/consultation/", data)  # double click / back and resubmit
        assert ConsultationRequest.objects.count() == 1
        assert first["Location"] == second["Location"] == "/consultation/thanks/"
        assert soup_of(client.get("/consultation/thanks/")).select_one(".reference").get_text() == (
            ConsultationRequest.objects.get().reference
        )

    @pytest.mark.parametrize(
        ("phone", "stored"),
        [
            ("305 555 0147", "+13055550147"),
            ("+44 20 7946 0958", "+442079460958"),
            ("+52 55 5555 1234", "+525555551234"),
        ],
    )
    def test_phone_numbers_are_stored_in_e164(self, monday, location, phone, stored):
        _, response = submit(location, phone=phone)
        assert response.status_code == 302
        assert str(ConsultationRequest.objects.get().phone) == stored

    @pytest.mark.parametrize(
        "name", ["Zoë D'Arcy-Núñez", "李小龍", "José 🙂", "O'Brien; DROP TABLE appointments;--"]
    )
    def test_odd_but_valid_names_are_kept_exactly(self, monday, location, name):
        _, response = submit(location, name=name)
        assert response.status_code == 302
        assert ConsultationRequest.objects.get().name == name

    def test_control_and_direction_characters_are_removed(self, monday, location):
        _, response = submit(location, name="Ev\u202eil\x07 Name", message="line one\nline\x00 two")
        assert response.status_code == 200  # a NUL byte is refused outright
        _, response = submit(location, name="Ev\u202eil\x07 Name", message="line one\nline two\x1b")
        saved = ConsultationRequest.objects.get()
        assert saved.name == "Evil Name" and saved.message == "line one\nline two"

    def test_no_preference_with_a_note_is_fine(self, monday, location):
        _, response = submit(location, slot="", preference_note="Tuesdays after 3 P.M.")
        assert response.status_code == 302
        saved = ConsultationRequest.objects.get()
        assert saved.preferred_slot is None and saved.preference_note == "Tuesdays after 3 P.M."


class TestRefusing:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", "", "This field is required."),
            ("name", "   ", "This field is required."),
            ("name", "!!!", "Please enter your name."),
            ("name", "x" * 121, "at most 120 characters"),
            ("email", "not-an-email", "Enter a valid email address."),
            ("email", "a@b.c" + "x" * 260, "at most 254 characters"),
            ("email", "<script>@x.org", "Enter a valid email address."),
            ("phone", "12", "Enter a valid phone number"),
            ("phone", "call me maybe", "Enter a valid phone number"),
            ("phone", "", "This field is required."),
            ("contact_method", "pigeon", "Select a valid choice."),
            ("consent", "", "Please tick the box"),
            ("message", "m" * 2001, "at most 2000 characters"),
            ("preference_note", "p" * 201, "at most 200 characters"),
            ("slot", "garbage", "That time is not available"),
            ("slot", "{pk}|2026-11-23T13:00Z", "That time is not available"),  # 8 A.M.: past
            ("slot", "{pk}|2026-11-23T23:00Z", "That time is not available"),  # 6 P.M.: closed
            ("slot", "{pk}|2026-11-28T16:00Z", "That time is not available"),  # Saturday
            ("slot", "{pk}|2027-06-01T16:00Z", "That time is not available"),  # too far
            ("submission_token", "not-a-uuid", "Enter a valid UUID."),
        ],
    )
    def test_bad_input_is_explained_next_to_the_field_and_kept(
        self, monday, location, field, value, message
    ):
        value = value.format(pk=location.pk)
        _, response = submit(location, **{field: value})
        assert response.status_code == 200
        soup = soup_of(response)
        errors = " ".join(e.get_text() for e in soup.select(".invalid-feedback, .alert-danger li"))
        assert message in errors, errors
        assert ConsultationRequest.objects.count() == 0
        kept = soup.find(attrs={"name": "email"})
        assert kept.get("value") == ("ana@example.org" if field != "email" else value)
        if field not in ("consent", "slot", "contact_method", "submission_token"):
            box = soup.find(attrs={"name": field})
            assert box.get("aria-invalid") == "true"
            assert soup.find(id=box["aria-describedby"].split()[0])

    def test_a_location_of_another_brand_is_refused(self, monday, location, brand_a, brand_b):
        reference_location(brand_a, slug="second", name="Second")  # location becomes a select
        foreign = reference_location(brand_b, slug="foreign", name="Foreign")
        _, response = submit(location, location=str(foreign.pk), slot="")
        assert "Select a valid choice" in response.content.decode()
        assert not ConsultationRequest.objects.exists()

    def test_a_time_offered_in_this_minute_is_accepted_within_it(self, location, settings):
        """Found by the moved clock (issue 28): the blank page is rendered once a minute,
        so at 9:00:40 it offered 11:00 (two hours ahead of 9:00), and the form sent at
        9:00:50 refused the very time it had offered as "passed"."""
        settings.PAGE_CACHE_SECONDS = 300
        with time_machine.travel(MONDAY_9AM + timedelta(seconds=40), tick=False) as clock:
            client = client_for(host=HOST_A)
            page, token = form_page(client)
            offered = [o["value"] for o in soup_of(page).select("select[name=slot] option")]
            assert FIRST_SLOT.format(pk=location.pk) in offered  # 11:00, two hours ahead
            clock.shift(10)
            client.post("/consultation/", valid_data(location, token))
        saved = ConsultationRequest.objects.get()
        assert saved.preferred_slot.isoformat() == "2026-11-23T16:00:00+00:00"

    def test_a_slot_of_another_location_is_refused(self, monday, location, brand_a):
        other = reference_location(brand_a, slug="second", name="Second")
        _, response = submit(location, slot=FIRST_SLOT.format(pk=other.pk))
        assert "another location" in response.content.decode()

    def test_a_topic_this_brand_does_not_offer_is_refused(self, monday, location, brand_b):
        from tests.factories import article

        beta = article(brand_b, slug="beta-ptsd", topics=("ptsd",))
        _, response = submit(location, topic=str(beta.topics.get().pk))
        assert "Select a valid choice" in response.content.decode()

    def test_a_failed_submission_changes_nothing_already_saved(self, monday, location):
        submit(location)
        before = list(ConsultationRequest.objects.values())
        submit(location, email="broken")
        assert list(ConsultationRequest.objects.values()) == before

    def test_csrf_is_required(self, monday, location):
        client = Client(HTTP_HOST=HOST_A, enforce_csrf_checks=True)
        _, token = form_page(client)
        response = client.post("/consultation/", valid_data(location, token))
        assert response.status_code == 403
        assert not ConsultationRequest.objects.exists()


class TestAbuse:
    def test_the_honeypot_marks_spam_which_never_notifies(
        self, monday, location, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            _, response = submit(location, website="http://spam.example")
        assert response.status_code == 302
        assert ConsultationRequest.objects.get().status == RequestStatus.SPAM
        assert mail.outbox == []

    def test_a_client_over_the_limit_is_told_and_keeps_what_it_typed(self, monday, location):
        client = client_for(host=HOST_A)
        for _ in range(5):
            assert submit(location, client=client)[1].status_code == 302
        _, response = submit(location, client=client, name="Sixth Person")
        assert response.status_code == 429
        soup = soup_of(response)
        assert "Please wait ten minutes" in soup.select_one(".alert-danger").get_text()
        # Said once (in the summary, not again above the fields), with a number to call.
        assert soup.get_text().count("Please wait ten minutes") == 1
        assert "call us on (305) 555-01" in soup.select_one(".alert-danger").get_text()
        assert soup.find(attrs={"name": "name"})["value"] == "Sixth Person"
        assert ConsultationRequest.objects.count() == 5

    def test_the_limit_is_per_client(self, monday, location):
        for _ in range(5):  # new browsers, same address: the limit still counts
            assert submit(location, client=client_for(host=HOST_A))[1].status_code == 302
        assert submit(location, client=client_for(host=HOST_A))[1].status_code == 429
        other = Client(HTTP_HOST=HOST_A, REMOTE_ADDR="10.9.8.7")
        assert submit(location, client=other)[1].status_code == 302

    def test_other_brands_count_separately(self, monday, location, brand_b):
        beta_location = reference_location(brand_b, slug="beta", name="Beta")
        client = client_for(host=HOST_A)
        for _ in range(5):
            submit(location, client=client)
        beta = client_for(host=HOST_B)
        _, token = form_page(beta)
        response = beta.post("/consultation/", valid_data(beta_location, token))
        assert response.status_code == 302


def test_the_rate_limit_survives_a_flushed_or_flooded_cache(monday, location, settings):
    """Counted from saved requests: emptying the cache (or filling it with junk pages
    until it evicts) gives a client no fresh budget, and every app server agrees."""
    from django.core.cache import cache

    client = client_for(host=HOST_A)
    for _ in range(5):
        assert submit(location, client=client)[1].status_code == 302
    for number in range(420):  # junk URLs that once pushed the counter out
        client.get(f"/?evict={number}")
    cache.clear()
    assert submit(location, client=client)[1].status_code == 429
    assert ConsultationRequest.objects.count() == 5


def test_the_limit_window_slides(monday, location):
    client = client_for(host=HOST_A)
    for _ in range(5):
        submit(location, client=client)
    assert submit(location, client=client)[1].status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        later = submit(location, client=client, slot="", preference_note="Any morning")
        assert later[1].status_code == 302


class TestTheThanksPage:
    @pytest.mark.parametrize(
        ("method", "promise", "step"),
        [
            ("phone", "We’re open now and will call you back today.", "We call you"),
            ("email", "We’re open now and will e-mail you today.", "We e-mail you"),
            ("text", "We’re open now and will send you a text message today.", "text message"),
        ],
    )
    def test_it_says_how_the_clinic_will_answer(self, monday, location, method, promise, step):
        client, response = submit(location, contact_method=method)
        page = soup_of(client.get(response["Location"]))
        assert page.select_one(".reply-line").get_text() == promise
        steps = page.select("main ol li")
        assert step in steps[1].get_text()
        if method != "phone":
            assert "call you" not in page.select_one("main ol").get_text()

    def test_opened_directly_it_claims_nothing(self, monday, location):
        page = soup_of(client_for(host=HOST_A).get("/consultation/thanks/"))
        text = page.select_one("main").get_text()
        assert "we have your request" not in text and page.select_one(".reference") is None
        assert "We have no request from you in this browser" in text
        assert page.select_one("main a[href^='/consultation/']") is not None
