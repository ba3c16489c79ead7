"""Staff see and touch only their own brands in the admin (a permission matrix)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from clinic.models import Brand, BrandMembership, Role
from tests.conftest import HOST_A, HOST_B, client_for
from tests.factories import UserFactory


def admin_url(name, *args):
    return reverse(f"admin:clinic_{name}", args=args)


def membership_of(user, brand):
    return BrandMembership.objects.get(user=user, brand=brand)


@pytest.mark.parametrize("url_name", ["brand_changelist", "brandmembership_changelist"])
def test_anonymous_visitors_are_sent_to_the_login_page(brand_a, url_name):
    response = client_for().get(admin_url(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# persona -> (brands they may open, may they change that brand)
BRAND_MATRIX = {
    "editor_a": ({"brand_a"}, False),
    "front_desk_a": ({"brand_a"}, False),
    "brand_admin_a": ({"brand_a"}, True),
    "staff_b": ({"brand_b"}, True),
    "group_admin": ({"brand_a", "brand_b"}, True),
    "superuser": ({"brand_a", "brand_b"}, True),
}


@pytest.mark.parametrize("persona", BRAND_MATRIX)
@pytest.mark.parametrize("brand_name", ["brand_a", "brand_b"])
def test_brand_pages_follow_the_matrix(personas, brand_a, brand_b, persona, brand_name):
    brand = {"brand_a": brand_a, "brand_b": brand_b}[brand_name]
    visible, can_change = BRAND_MATRIX[persona]
    # Staff work on their own brand's host; the 404 page must not name the other brand.
    client = client_for(personas[persona], host=HOST_B if persona == "staff_b" else HOST_A)

    listing = client.get(admin_url("brand_changelist"))
    assert listing.status_code == 200
    assert (brand.name in listing.content.decode()) == (brand_name in visible)

    change = client.get(admin_url("brand_change", brand.pk))
    history = client.get(admin_url("brand_history", brand.pk))
    if brand_name in visible:
        assert change.status_code == history.status_code == 200
        form = BeautifulSoup(change.content, "html.parser").find("input", {"name": "name"})
        assert (form is not None) == can_change  # view-only staff get no inputs
    else:
        # Another brand's object answers exactly like a missing one.
        assert change.status_code == history.status_code == 404
        assert brand.name not in change.content.decode()


@pytest.mark.parametrize("persona", ["editor_a", "front_desk_a", "brand_admin_a"])
def test_staff_of_a_cannot_change_or_delete_brand_b(personas, brand_b, persona):
    client = client_for(personas[persona])
    before = Brand.objects.get(pk=brand_b.pk)
    post = client.post(
        admin_url("brand_change", brand_b.pk),
        {"name": "Hijacked", "slug": "hijacked", "primary_color": "#000000"},
    )
    delete = client.post(admin_url("brand_delete", brand_b.pk), {"post": "yes"})
    assert post.status_code == 404
    assert delete.status_code in (403, 404)
    after = Brand.objects.get(pk=brand_b.pk)
    assert (after.name, after.slug, after.updated) == (before.name, before.slug, before.updated)


def test_only_superusers_add_or_delete_brands(brand_admin_a, superuser, brand_a):
    client = client_for(brand_admin_a)
    assert client.get(reverse("admin:clinic_brand_add")).status_code == 403
    assert client.post(admin_url("brand_delete", brand_a.pk), {"post": "yes"}).status_code == 403
    assert Brand.objects.filter(pk=brand_a.pk).exists()
    assert client_for(superuser).get(reverse("admin:clinic_brand_add")).status_code == 200


def test_a_brand_admin_edits_their_brand_but_not_its_slug(brand_admin_a, brand_a):
    client = client_for(brand_admin_a)
    page = client.get(admin_url("brand_change", brand_a.pk))
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("input", {"name": "slug"}) is None
    data = {
        "name": "Alpha Wellness Renamed",
        "tagline": "New banner",
        "primary_color": "#1f5f8b",
        "typeface": "system",
        "look": "soft",
        "reply_hours": "4",
        "languages": ["en"],
        "accent_color": "#9a3412",
        "phone": "+13055550111",
        "country": "US",
        "privacy_notice_version": "2",
        "domains-TOTAL_FORMS": "1",
        "domains-INITIAL_FORMS": "1",
        "domains-MIN_NUM_FORMS": "0",
        "domains-MAX_NUM_FORMS": "1000",
        "domains-0-id": str(brand_a.domains.get().pk),
        "domains-0-brand": str(brand_a.pk),
        "slug": "stolen-slug",
    }
    response = client.post(admin_url("brand_change", brand_a.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    brand_a.refresh_from_db()
    assert brand_a.name == "Alpha Wellness Renamed"
    assert brand_a.slug == "brand-a"  # read-only for brand admins


def test_membership_list_shows_only_own_brand(brand_admin_a, staff_b, editor_a, brand_b):
    page = client_for(brand_admin_a).get(admin_url("brandmembership_changelist"))
    body = page.content.decode()
    assert "editor_a" in body
    assert "staff_b" not in body


@pytest.mark.parametrize("persona", ["editor_a", "front_desk_a"])
def test_editors_and_front_desk_cannot_manage_memberships(personas, persona):
    client = client_for(personas[persona])
    assert client.get(admin_url("brandmembership_changelist")).status_code == 403


def test_another_brands_membership_is_a_404_even_by_url(brand_admin_a, staff_b, brand_b):
    other = membership_of(staff_b, brand_b)
    client = client_for(brand_admin_a)
    for name in ("brandmembership_change", "brandmembership_delete", "brandmembership_history"):
        assert client.get(admin_url(name, other.pk)).status_code == 404
    assert (
        client.post(admin_url("brandmembership_delete", other.pk), {"post": "yes"}).status_code
        == 404
    )
    assert BrandMembership.objects.filter(pk=other.pk).exists()


def test_adding_a_membership_into_another_brand_is_refused(brand_admin_a, editor_a, brand_b):
    client = client_for(brand_admin_a)
    response = client.post(
        reverse("admin:clinic_brandmembership_add"),
        {"user": editor_a.pk, "brand": brand_b.pk, "role": Role.BRAND_ADMIN},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not BrandMembership.objects.filter(brand=brand_b, user=editor_a).exists()


def test_the_add_form_offers_and_prefills_only_the_users_brand(brand_admin_a, brand_b, staff_b):
    page = client_for(brand_admin_a).get(reverse("admin:clinic_brandmembership_add"))
    soup = BeautifulSoup(page.content, "html.parser")
    brand_options = [o for o in soup.select("select[name=brand] option") if o.get("value")]
    assert [o.get_text() for o in brand_options] == ["Alpha Wellness"]
    assert brand_options[0].has_attr("selected")
    user_options = {o.get_text() for o in soup.select("select[name=user] option") if o.get("value")}
    assert "staff_b" not in user_options
    assert "brand_admin_a" in user_options


def test_a_duplicate_membership_gets_a_clear_message(brand_admin_a, editor_a, brand_a):
    response = client_for(brand_admin_a).post(
        reverse("admin:clinic_brandmembership_add"),
        {"user": editor_a.pk, "brand": brand_a.pk, "role": Role.FRONT_DESK},
    )
    assert "This user already has a role in this brand." in response.content.decode()
    assert membership_of(editor_a, brand_a).role == Role.EDITOR


def test_bulk_delete_skips_rows_of_other_brands(group_admin, editor_a, staff_b, brand_a, brand_b):
    # group_admin may delete memberships in both brands; brand_admin_a only in A.
    own = membership_of(editor_a, brand_a)
    other = membership_of(staff_b, brand_b)
    admin_a = UserFactory(username="lone_admin")
    BrandMembership.objects.create(user=admin_a, brand=brand_a, role=Role.BRAND_ADMIN)
    response = client_for(admin_a).post(
        admin_url("brandmembership_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not BrandMembership.objects.filter(pk=own.pk).exists()
    assert BrandMembership.objects.filter(pk=other.pk).exists()


def test_a_user_with_view_only_rights_in_one_brand_cannot_bulk_delete_there(brand_a, brand_b):
    # Brand admin in A, editor in B: the delete right of A must not reach B's rows.
    mixed = UserFactory(username="mixed")
    BrandMembership.objects.create(user=mixed, brand=brand_a, role=Role.BRAND_ADMIN)
    BrandMembership.objects.create(user=mixed, brand=brand_b, role=Role.EDITOR)
    b_member = UserFactory(username="b_member")
    row = BrandMembership.objects.create(user=b_member, brand=brand_b, role=Role.EDITOR)
    client_for(mixed).post(
        admin_url("brandmembership_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert BrandMembership.objects.filter(pk=row.pk).exists()


def test_autocomplete_lists_only_the_users_brands(brand_admin_a, brand_b):
    response = client_for(brand_admin_a).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "clinic",
            "model_name": "brandmembership",
            "field_name": "brand",
            "term": "",
        },
    )
    assert response.status_code == 200
    names = [row["text"] for row in response.json()["results"]]
    assert names == ["Alpha Wellness"]


def test_the_group_admin_manages_both_brands_from_one_login(group_admin, brand_a, brand_b):
    body = client_for(group_admin).get(admin_url("brand_changelist")).content.decode()
    assert "Alpha Wellness" in body and "Beta Infusion Center" in body


def test_role_groups_are_created_by_migration_with_their_permissions(db):
    perms = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert {"Editor", "Front desk", "Brand admin"} <= set(perms)
    assert "change_brand" in perms["Brand admin"]
    assert "change_brand" not in perms["Editor"]
    assert "add_brand" not in perms["Brand admin"]


def test_a_group_outside_a_brand_role_grants_nothing(brand_a):
    user = UserFactory(username="grouped")
    user.groups.add(Group.objects.get(name="Brand admin"))
    assert client_for(user).get(admin_url("brand_changelist")).status_code == 403


def test_a_staff_user_without_brand_sees_an_empty_back_office(brand_a):
    user = UserFactory(username="nobody")
    page = client_for(user).get(reverse("admin:index"))
    assert page.status_code == 200
    assert "You don’t have permission to view or edit anything." in page.content.decode()


def test_the_admin_save_itself_refuses_a_brand_the_user_may_not_add_to(brand_admin_a, brand_b):
    """The last line of defence behind narrowed choices, called as the admin calls it."""
    from django.contrib import admin as django_admin
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from clinic.models import Location

    model_admin = django_admin.site._registry[Location]
    request = RequestFactory().post("/admin/clinic/location/add/")
    request.user = brand_admin_a
    intruder = Location(brand=brand_b, name="Smuggled", slug="smuggled", time_zone="UTC")
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, intruder, form=None, change=False)
    assert not Location.objects.filter(slug="smuggled").exists()


# Issue 30, item 6: staff of one brand find it chosen on every add form -------------


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/admin/pages/faqentry/add/", "brand"),
        ("/admin/articles/article/add/", "canonical_brand"),
        ("/admin/care/clinician/add/", "brands"),
        ("/admin/articles/outsidereviewer/add/", "brand"),
    ],
)
def test_staff_of_one_brand_find_it_chosen(brand_admin_a, brand_a, brand_b, path, field):
    page = BeautifulSoup(client_for(brand_admin_a).get(path).content, "html.parser")
    chosen = page.select(f"[name={field}] option[selected], input[name={field}][checked]")
    assert [c.get("value") for c in chosen] == [str(brand_a.pk)]


def test_a_group_admin_chooses_the_brand_themselves(group_admin, brand_a, brand_b):
    page = BeautifulSoup(
        client_for(group_admin).get("/admin/pages/faqentry/add/").content, "html.parser"
    )
    assert not page.select("[name=brand] option[selected][value]:not([value=''])")
