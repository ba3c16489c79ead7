"""One back office for a group: the admin on a host of its own (clinic/back_office.py)."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Status
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import article

OFFICE = "office.localhost"
PREVIEW = "admin:clinic_brand_preview"


@pytest.fixture(autouse=True)
def _back_office(settings):
    settings.BACK_OFFICE_HOST = OFFICE
    settings.BACK_OFFICE_URL = f"http://{OFFICE}"


def office(user=None):
    return client_for(user, host=OFFICE)


def text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.fixture
def drafts(brand_a, brand_b):
    return (
        article(brand_a, slug="alpha-draft", title="Alpha draft", status=Status.DRAFT),
        article(brand_b, slug="beta-draft", title="Beta draft", status=Status.DRAFT),
    )


@pytest.mark.parametrize("host", [HOST_A, HOST_B])
@pytest.mark.parametrize("path", ["/admin/", "/admin/login/?next=/admin/", "/admin/x/?q=1"])
def test_each_brands_admin_leads_to_the_back_office(brand_a, brand_b, host, path):
    response = client_for(host=host).get(path)
    assert response.status_code == 302
    assert response["Location"] == f"http://{OFFICE}{path}"


def test_an_unknown_host_is_still_no_clinic(brand_a):
    assert client_for(host="stranger.localhost").get("/admin/").status_code == 404


def test_brand_sites_stay_where_they_are(brand_a):
    assert client_for(host=HOST_A).get("/").status_code == 200


def test_the_back_office_serves_only_the_admin(brand_a):
    assert office().get("/")["Location"] == "/admin/"
    assert office().get("/articles/").status_code == 404
    assert office().get("/admin/login/").status_code == 200


def test_the_back_office_shows_uploaded_images(settings, brand_a, tmp_path):
    settings.SERVE_MEDIA = True
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "mark.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    answer = office().get(f"{settings.MEDIA_URL}logos/mark.png")
    assert answer.status_code == 200


def test_a_group_admin_works_every_brand_from_one_sign_in(group_admin, drafts):
    client = office(group_admin)
    listing = client.get(reverse("admin:articles_article_changelist"))
    assert "Alpha draft" in text(listing) and "Beta draft" in text(listing)
    soup = BeautifulSoup(listing.content, "html.parser")
    # Lists that mix brands can be narrowed to one.
    assert "Alpha Wellness" in soup.select_one("#changelist-filter").get_text()
    for draft in drafts:
        page = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
        assert page.status_code == 200


def test_the_change_form_says_whose_object_it_is(group_admin, drafts):
    _alpha, beta = drafts
    page = office(group_admin).get(reverse("admin:articles_article_change", args=[beta.pk]))
    badge = BeautifulSoup(page.content, "html.parser").select_one(".editing-brands")
    assert badge.get_text(" ", strip=True) == "For Beta Infusion Center"
    assert beta.canonical_brand.primary_color in str(badge)


def test_staff_of_one_brand_see_only_theirs_there(editor_a, drafts):
    client = office(editor_a)
    listing = text(client.get(reverse("admin:articles_article_changelist")))
    assert "Alpha draft" in listing and "Beta draft" not in listing
    beta = drafts[1]
    assert client.get(reverse("admin:articles_article_change", args=[beta.pk])).status_code == 404


class TestPreviewOnTheBrandsOwnSite:
    def handoff(self, user, brand, path):
        url = reverse(PREVIEW, args=[brand.pk])
        return office(user).get(url, {"next": path})

    def test_a_draft_is_previewed_on_its_site_after_a_one_time_hand_over(
        self, editor_a, brand_a, drafts
    ):
        alpha = drafts[0]
        change = office(editor_a).get(reverse("admin:articles_article_change", args=[alpha.pk]))
        link = BeautifulSoup(change.content, "html.parser").find(
            "a", string=lambda s: s and "Preview on Alpha Wellness" in s
        )
        assert link["href"].startswith(reverse(PREVIEW, args=[brand_a.pk]))
        sent = office(editor_a).get(link["href"])
        assert sent.status_code == 302 and sent["Location"].startswith(
            f"http://{HOST_A}/staff-handoff/"
        )
        handoff = sent["Location"].removeprefix(f"http://{HOST_A}")
        site = client_for(host=HOST_A)
        landed = site.get(handoff)
        assert landed.status_code == 302 and landed["Location"] == f"/articles/preview/{alpha.pk}/"
        assert "Alpha draft" in text(site.get(landed["Location"]))
        # The pass works once.
        assert client_for(host=HOST_A).get(handoff).status_code == 410

    def test_the_pass_expires_after_a_minute(self, editor_a, brand_a, drafts):
        sent = self.handoff(editor_a, brand_a, "/articles/")
        handoff = sent["Location"].removeprefix(f"http://{HOST_A}")
        with time_machine.travel(timezone.now() + timedelta(seconds=90)):
            assert client_for(host=HOST_A).get(handoff).status_code == 410

    def test_the_pass_opens_only_its_own_brands_site(self, editor_a, brand_a, brand_b, drafts):
        sent = self.handoff(editor_a, brand_a, "/articles/")
        handoff = sent["Location"].removeprefix(f"http://{HOST_A}")
        assert client_for(host=HOST_B).get(handoff).status_code == 410

    def test_another_brand_cannot_be_handed_to(self, editor_a, brand_b):
        assert self.handoff(editor_a, brand_b, "/").status_code == 404

    @pytest.mark.parametrize(
        "path", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "x" * 3]
    )
    def test_it_hands_over_only_to_a_page_of_the_site(self, editor_a, brand_a, path):
        assert self.handoff(editor_a, brand_a, path).status_code == 404

    @pytest.mark.parametrize(
        "token", ["forged", "<script>alert(1)</script>", "' OR 1=1 --", "é" * 500]
    )
    def test_forged_passes_open_nothing(self, brand_a, token):
        from urllib.parse import quote

        answer = client_for(host=HOST_A).get(f"/staff-handoff/{quote(token)}/")
        assert answer.status_code in (404, 410)
        assert "<script>alert" not in answer.content.decode()

    def test_the_hand_over_needs_the_second_factor_first(self, front_desk_a, brand_a):
        alone = client_for(front_desk_a, host=OFFICE, second_factor=False)
        answer = alone.get(reverse(PREVIEW, args=[brand_a.pk]), {"next": "/"})
        assert answer.status_code == 302 and "/two-factor/" in answer["Location"]

    def test_the_home_page_preview_goes_through_the_hand_over(self, editor_a, brand_a):
        listing = office(editor_a).get(reverse("admin:pages_homesection_changelist"))
        assert reverse(PREVIEW, args=[brand_a.pk]) + "?next=%2F%3Fpreview%3D1" in (
            listing.content.decode()
        )


def test_without_a_back_office_host_the_admin_stays_on_each_brand(settings, editor_a):
    settings.BACK_OFFICE_HOST = ""
    assert client_for(editor_a, host=HOST_A).get("/admin/").status_code == 200
    assert client_for(host=OFFICE).get("/admin/").status_code == 404
