"""The empty consultation form is rendered once a minute per brand and reused
(appointments/blank_form.py); every visitor still gets tokens of their own."""

import re
from datetime import timedelta

from django.test import Client

from appointments import services
from appointments.models import ConsultationRequest, RequestStatus, SlotBooking
from tests.appointments.conftest import FIRST_SLOT, form_page, valid_data
from tests.conftest import HOST_A, HOST_B, client_for

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visitor():
    return Client(HTTP_HOST=HOST_A, enforce_csrf_checks=True)


def test_each_visitor_gets_their_own_tokens_from_the_shared_page(
    monday, location, django_assert_max_num_queries
):
    first, second = visitor(), visitor()
    page_one, token_one = form_page(first)
    with django_assert_max_num_queries(0):
        page_two, token_two = form_page(second)
    assert token_one != token_two
    csrf_one = CSRF.search(page_one.content.decode())[1]
    csrf_two = CSRF.search(page_two.content.decode())[1]
    assert csrf_one != csrf_two
    assert "csrf-token-for-this-visitor" not in page_two.content.decode()
    assert "00000000-0000-4000-8000-000000000000" not in page_two.content.decode()
    # Both can send: their CSRF cookie matches the token in their own copy.
    pairs = ((first, token_one, csrf_one), (second, token_two, csrf_two))
    for number, (client, token, csrf) in enumerate(pairs):
        data = valid_data(
            location, token, csrfmiddlewaretoken=csrf, slot="", name=f"Visitor {number}"
        )
        assert client.post("/consultation/", data).status_code == 302
    assert ConsultationRequest.objects.count() == 2
    assert page_two["Cache-Control"].startswith("max-age=0, no-cache, no-store")


def test_a_seat_taken_removes_the_slot_at_once(monday, location, brand_a):
    slot = FIRST_SLOT.format(pk=location.pk)
    assert slot in form_page(visitor())[0].content.decode()
    location.slot_capacity = 1
    location.save()
    assert slot in form_page(visitor())[0].content.decode()
    taken = ConsultationRequest.objects.create(
        brand=brand_a, location=location, name="P", email="p@example.org", phone="+13055550100"
    )
    # The front desk confirms that time for another patient: the one seat is gone.
    services.handle(taken, status=RequestStatus.SCHEDULED, confirmed_slot=first_slot(location))
    assert SlotBooking.objects.count() == 1
    assert slot not in form_page(visitor())[0].content.decode()
    # Declined after all: the seat is free again, and offered again.
    services.handle(taken, status=RequestStatus.DECLINED, confirmed_slot=None)
    assert slot in form_page(visitor())[0].content.decode()


def first_slot(location):
    from appointments.slots import parse_value

    return parse_value(FIRST_SLOT.format(pk=location.pk))[1]


def test_the_offered_times_move_on_with_the_clock(monday, location):
    slot = FIRST_SLOT.format(pk=location.pk)  # 11:00, two hours after 9:00
    assert slot in form_page(visitor())[0].content.decode()
    monday.shift(timedelta(minutes=1))
    assert slot not in form_page(visitor())[0].content.decode()


def test_a_link_chooses_its_topic_and_article(monday, location, sleep_piece):
    page = form_page(visitor(), "/consultation/?topic=sleep&article=ketamine-sleep")[0]
    html = page.content.decode()
    assert re.search(r'<option value="\d+" selected>Sleep</option>', html)
    assert 'name="article" value="ketamine-sleep"' in html
    plain = form_page(visitor())[0].content.decode()
    assert "selected>Sleep</option>" not in plain and 'value="ketamine-sleep"' not in plain


def test_made_up_links_neither_choose_nor_fill_the_cache(monday, location, sleep_piece):
    from django.core.cache import cache

    def stored_forms():
        return sum("consultation-form" in key for key in cache._cache)

    form_page(visitor())
    before = stored_forms()
    junk_links = ["?topic=nonsense", "?article=%3Cscript%3Ealert(1)%3C/script%3E"]
    junk_links += ["?topic=sleep%27%20OR%201=1--&article=x", "?article=" + "é" * 300]
    for junk in junk_links:
        html = form_page(visitor(), "/consultation/" + junk)[0].content.decode()
        assert "alert(1)" not in html and "OR 1=1" not in html and "ééé" not in html
        assert "selected>Sleep</option>" not in html
    assert stored_forms() == before  # every one of those got the plain form's copy


def test_each_brand_has_its_own_form(monday, location, brand_b):
    from tests.factories import reference_location

    reference_location(brand_b, slug="beta", name="Beta clinic")
    a = form_page(visitor())[0].content.decode()
    b = form_page(Client(HTTP_HOST=HOST_B))[0].content.decode()
    assert "Downtown clinic" in a and "Downtown clinic" not in b
    assert "Alpha Wellness" in a and "Beta Infusion Center" in b


def test_staff_editing_hours_changes_the_offered_times_at_once(monday, location, brand_admin_a):
    from clinic.models import OpeningHours

    slot = FIRST_SLOT.format(pk=location.pk)
    assert slot in form_page(visitor())[0].content.decode()
    OpeningHours.objects.filter(location=location).delete()
    assert slot not in form_page(client_for(brand_admin_a))[0].content.decode()
    assert slot not in form_page(visitor())[0].content.decode()
