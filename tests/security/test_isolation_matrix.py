"""No staff member of brand A can list, read, change or create anything of brand B.

The matrix is built from the admin registry itself: every registered model must be
either brand-scoped (it declares ``brand_lookup`` and its admin inherits the scoping
mixin) or a global model that no staff role may touch. A model added later without
either fails ``test_every_admin_model_is_scoped_or_global``.
"""

from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from appointments.models import AccessRecord, ConsultationRequest
from articles.models import Article, BodyImage, OutsideReviewer, Status
from care.models import Clinician, Treatment
from clinic.admin_scoping import BrandScopedMixin
from clinic.models import Brand, BrandMembership, Location, Role, SpecialHours
from outbox.models import Message
from pages.models import FaqEntry, HomeSection, MenuLink, Page, Testimonial
from staff.models import Invitation
from tests.articles.test_images import png_bytes, upload
from tests.conftest import HOST_A, HOST_B, client_for, content_of
from tests.factories import UserFactory, article, reference_location
from tests.sitemaps import sitemap_text

ROLES = ["editor_a", "front_desk_a", "brand_admin_a"]
GLOBAL_MODELS = {
    "auth.Group",
    "auth.User",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "articles.Topic",
}


def make_b_objects(brand_b):
    """One object of brand B for every brand-scoped admin model."""
    location = reference_location(brand_b, slug="beta-main", name="Beta main")
    member = UserFactory(username="beta_member")
    return {
        Brand: brand_b,
        BrandMembership: BrandMembership.objects.create(
            user=member, brand=brand_b, role=Role.EDITOR
        ),
        Location: location,
        SpecialHours: SpecialHours.objects.create(
            location=location, first_day=date(2026, 12, 31), label="Beta NYE"
        ),
        Article: article(brand_b, slug="beta-draft", status=Status.DRAFT),
        ConsultationRequest: ConsultationRequest.objects.create(
            brand=brand_b,
            location=location,
            name="Beta Patient",
            email="beta.patient@example.org",
            phone="+13055550199",
        ),
        Page: Page.objects.create(
            brand=brand_b, slug="beta-about", title="Beta about", body="<p>b</p>"
        ),
        FaqEntry: FaqEntry.objects.create(
            brand=brand_b, question="Beta question?", answer="<p>b</p>"
        ),
        Treatment: Treatment.objects.create(
            brand=brand_b, name="Beta infusion", slug="beta-infusion", summary="b"
        ),
        Clinician: beta_clinician(brand_b),
        HomeSection: HomeSection.objects.create(brand=brand_b, kind="hero", heading="Beta"),
        MenuLink: MenuLink.objects.create(
            brand=brand_b, place="footer", label="Beta careers", link="/careers/"
        ),
        Testimonial: Testimonial.objects.create(
            brand=brand_b,
            quote="Kind staff.",
            attribution="A Beta patient",
            consent_by="B. Patient",
            consent_on=date(2026, 11, 1),
            is_published=True,
        ),
        Invitation: Invitation.objects.create(
            brand=brand_b,
            email="new@beta.example",
            role="editor",
            expires_at=timezone.now() + timedelta(days=7),
        ),
        AccessRecord: AccessRecord.objects.create(
            brand=brand_b, username="beta_member", action="view", reference="BET-AAAA-AA"
        ),
        BodyImage: BodyImage.objects.create(
            brand=brand_b, image=upload("beta.png", png_bytes(), "image/png"), alt_text="Beta"
        ),
        OutsideReviewer: OutsideReviewer.objects.create(
            brand=brand_b, name="Beta Reviewer", credentials="MD", email="review@beta.example"
        ),
    }


def beta_clinician(brand_b):
    person = Clinician.objects.create(name="Dr Beta", slug="dr-beta", job_title="Psychiatrist")
    person.brands.set([brand_b])
    return person


def forged_add(model, brand_b, b_objects):
    """A create request that tries to put a new row into brand B."""
    location = b_objects[Location]
    return {
        Brand: {"name": "Forged", "slug": "forged", "primary_color": "#0b5d7a"},
        BrandMembership: {
            "user": b_objects[BrandMembership].user_id,
            "brand": brand_b.pk,
            "role": "brand_admin",
        },
        Location: {
            "brand": brand_b.pk,
            "name": "Forged",
            "slug": "forged",
            "street_address": "1",
            "locality": "X",
            "country": "US",
            "time_zone": "America/New_York",
            "order": "0",
            "consult_minutes": "30",
            "slot_capacity": "1",
            "opening_hours-TOTAL_FORMS": "0",
            "opening_hours-INITIAL_FORMS": "0",
            "special_hours-TOTAL_FORMS": "0",
            "special_hours-INITIAL_FORMS": "0",
        },
        SpecialHours: {"location": location.pk, "first_day": "2026-12-24", "label": "Forged"},
        Article: {
            "title": "Forged",
            "slug": "forged",
            "summary": "s",
            "body": "<p>b</p>",
            "brands": [brand_b.pk],
            "canonical_brand": brand_b.pk,
            "status": "draft",
            "topics": [],
            "preview_links-TOTAL_FORMS": "0",
            "preview_links-INITIAL_FORMS": "0",
        },
        ConsultationRequest: {"status": "new"},
        Page: {
            "brand": brand_b.pk,
            "title": "Forged",
            "slug": "forged",
            "body": "<p>b</p>",
            "order": "0",
        },
        FaqEntry: {"brand": brand_b.pk, "question": "Forged?", "answer": "<p>b</p>", "order": "0"},
        Treatment: {
            "brand": brand_b.pk,
            "name": "Forged",
            "slug": "forged",
            "summary": "s",
            "currency": "USD",
            "order": "0",
        },
        AccessRecord: {"brand": brand_b.pk, "username": "x", "action": "view"},
        BodyImage: {
            "brand": brand_b.pk,
            "alt_text": "Forged",
            "image": upload("forged.png", png_bytes(), "image/png"),
        },
        Invitation: {"brand": brand_b.pk, "email": "forged@beta.example", "role": "brand_admin"},
        OutsideReviewer: {
            "brand": brand_b.pk,
            "name": "Forged",
            "credentials": "MD",
            "email": "forged@beta.example",
            "is_active": "on",
        },
        HomeSection: {"brand": brand_b.pk, "kind": "text", "text": "<p>x</p>", "items": "3"},
        MenuLink: {
            "brand": brand_b.pk,
            "place": "header",
            "label": "x",
            "link": "/x/",
            "order": "0",
        },
        Testimonial: {
            "brand": brand_b.pk,
            "quote": "Forged",
            "attribution": "x",
            "consent_scope": "website",
            "order": "0",
        },
        Clinician: {
            "name": "Forged",
            "slug": "forged",
            "job_title": "x",
            "brands": [brand_b.pk],
            "order": "0",
        },
    }[model]


def snapshot(obj):
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    return None if fresh is None else model_to_dict(fresh)


def brand_scoped_models():
    return [m for m, a in admin.site._registry.items() if hasattr(m, "brand_lookup")]


def test_every_admin_model_is_scoped_or_global():
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if label in GLOBAL_MODELS:
            continue
        assert hasattr(model, "brand_lookup"), f"{label}: declare brand_lookup or list it as global"
        assert isinstance(model_admin, BrandScopedMixin), f"{label}: its admin must be brand-scoped"
        for inline in model_admin.inlines:
            assert issubclass(inline, BrandScopedMixin), f"{label}: inline {inline.__name__}"


@pytest.mark.parametrize("role", ROLES)
def test_global_models_are_read_only_or_closed_to_every_staff_role(personas, role):
    client = client_for(personas[role])
    for model in admin.site._registry:
        if model._meta.label in GLOBAL_MODELS:
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            # Shared reference data (topics) may be read; nothing global may be written.
            assert client.get(url).status_code in (200, 403), opts.label
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            assert client.post(add, {}).status_code == 403, opts.label


@pytest.mark.parametrize("model", brand_scoped_models(), ids=lambda m: m._meta.label)
def test_brand_b_is_invisible_and_untouchable(personas, brand_a, brand_b, model):
    """Every staff role of brand A in turn, against the same row of brand B (the roles
    only read or are refused, and the row is checked unchanged after each)."""
    b_objects = make_b_objects(brand_b)
    for role in ROLES:
        try_to_reach(personas[role], model, brand_b, b_objects)


def try_to_reach(user, model, brand_b, b_objects):
    target = b_objects[model]
    before = snapshot(target)
    count_before = model._default_manager.count()
    client = client_for(user)
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    who = user.username

    listing = client.get(reverse(f"{name}_changelist"))
    assert listing.status_code in (200, 403), who
    assert f"/{target.pk}/change/" not in listing.content.decode(), who

    for view in ("change", "delete", "history"):
        response = client.get(reverse(f"{name}_{view}", args=[target.pk]))
        assert response.status_code in (403, 404), (who, view, response.status_code)
    changed = client.post(reverse(f"{name}_change", args=[target.pk]), {})
    assert changed.status_code in (403, 404), who
    deleted = client.post(reverse(f"{name}_delete", args=[target.pk]), {"post": "yes"})
    assert deleted.status_code in (403, 404), who

    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission.__func__ is not None:
        response = client.post(reverse(f"{name}_add"), forged_add(model, brand_b, b_objects))
        assert response.status_code in (200, 403), (who, response.status_code)
        assert model._default_manager.count() == count_before, who

    for action in [
        "delete_selected",
        *(a if isinstance(a, str) else a.__name__ for a in (model_admin.actions or [])),
    ]:
        client.post(
            reverse(f"{name}_changelist"),
            {"action": action, "_selected_action": [target.pk], "post": "yes"},
        )
    assert snapshot(target) == before, f"{who}: an action changed brand B's row"


@pytest.mark.parametrize("role", ROLES)
def test_autocomplete_never_offers_brand_b(personas, brand_a, brand_b, role):
    make_b_objects(brand_b)
    client = client_for(personas[role])
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field_name,
                    "term": "",
                },
            )
            if response.status_code == 200:
                assert "Beta" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_csv_export_never_contains_brand_b(personas, brand_a, brand_b, role):
    make_b_objects(brand_b)
    response = client_for(personas[role]).get(
        reverse("admin:appointments_consultationrequest_export")
    )
    assert response.status_code in (200, 403)
    body = content_of(response)
    assert b"Beta Patient" not in body and b"beta.patient" not in body


@pytest.mark.parametrize("role", ROLES)
def test_draft_previews_and_preview_links_stay_in_their_brand(personas, brand_a, brand_b, role):
    draft = make_b_objects(brand_b)[Article]
    user = personas[role]
    for host in (HOST_A, HOST_B):
        assert client_for(user, host=host).get(f"/articles/preview/{draft.pk}/").status_code == 404
    response = client_for(user).post(
        reverse("admin:articles_article_preview_link", args=[draft.pk])
    )
    assert response.status_code in (403, 404)
    assert not draft.preview_links.exists()


class TestPublicPages:
    """On brand A's host, brand B's content does not exist."""

    def test_brand_b_articles_locations_and_topics_are_404_on_a(self, brand_a, brand_b):
        objects = make_b_objects(brand_b)
        live = article(brand_b, slug="beta-live", topics=("ptsd",))
        live.publish_at = timezone.now() - timedelta(days=1)
        live.save()
        client = client_for(host=HOST_A)
        for path in (
            "/articles/beta-live/",
            "/articles/beta-draft/",
            f"/articles/preview/{objects[Article].pk}/",
            "/locations/beta-main/",
        ):
            assert client.get(path).status_code in (302, 404), path
        for path in (
            "/articles/",
            "/articles/feed/",
            "/sitemap.xml",
            "/sitemap-site.xml",
            "/sitemap-articles-1.xml",
            "/locations/",
            "/articles/search/?q=beta",
            "/articles/topic/ptsd/",
            "/consultation/",
        ):
            body = client.get(path).content.decode()
            assert "beta-live" not in body and "Beta main" not in body, path
        every_file = sitemap_text(HOST_A)
        assert "beta-live" not in every_file and "beta-main" not in every_file


class TestRowsReachedThroughAParent:
    """Notes and notifications belong to a request, memberships to a brand: they are
    scoped through it, in the admin's scoping and on a public page alike."""

    @pytest.fixture
    def both(self, brand_a, brand_b):
        from appointments.models import RequestNote

        rows = {}
        for brand, name in ((brand_a, "Alpha"), (brand_b, "Beta")):
            item = ConsultationRequest.objects.create(
                brand=brand, name=f"{name} Patient", phone="+13055550123"
            )
            rows[brand.pk] = {
                RequestNote: RequestNote.objects.create(request=item, text=f"{name} note"),
                Message: Message.objects.create(
                    about=item, brand_id=item.brand_id, kind="confirmation"
                ),
                BrandMembership: BrandMembership.objects.create(
                    user=UserFactory(username=f"{name.lower()}_member"),
                    brand=brand,
                    role=Role.EDITOR,
                ),
                ConsultationRequest: item,
            }
        return rows

    def test_each_is_found_in_its_own_brand_only(self, brand_a, brand_b, both):
        from appointments.models import RequestNote
        from clinic.scoped import serving
        from clinic.scoping import brand_ids_of, scope

        for model in (RequestNote, Message, BrandMembership):
            ours, theirs = both[brand_a.pk][model], both[brand_b.pk][model]
            assert brand_ids_of(theirs) == {brand_b.pk}
            admin_view = scope(model.objects.all(), [brand_a.pk])
            assert ours in admin_view and theirs not in admin_view, model
            with serving(brand_a):
                public_view = list(model.objects.all())
            assert ours in public_view and theirs not in public_view, model

    @pytest.mark.parametrize("role", ["front_desk_a", "brand_admin_a"])
    def test_a_note_cannot_be_put_on_brand_bs_request(self, personas, both, brand_a, brand_b, role):
        from appointments.models import RequestNote

        client = client_for(personas[role])
        ours = both[brand_a.pk][ConsultationRequest]
        theirs = both[brand_b.pk][ConsultationRequest]
        from tests.appointments.test_inbox_admin import handling_data

        # The parent is the form's, whatever the posted note names.
        form = handling_data(
            ours, **{"notes-0-text": "Forged onto another brand", "notes-0-request": str(theirs.pk)}
        )
        change = "admin:appointments_consultationrequest_change"
        assert client.post(reverse(change, args=[theirs.pk]), form).status_code in (403, 404)
        client.post(reverse(change, args=[ours.pk]), form)
        assert not RequestNote.objects.filter(request=theirs, text__startswith="Forged").exists()
        page = client.get(reverse(change, args=[ours.pk])).content.decode()
        assert "Beta note" not in page and "Beta Patient" not in page
