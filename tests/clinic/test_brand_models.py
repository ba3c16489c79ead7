"""Brand data is validated in the model and enforced by the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import inlineformset_factory

from clinic.colors import contrast_ratio
from clinic.models import Brand, BrandDomain
from tests.factories import BrandFactory


def test_a_duplicate_hostname_is_refused_by_the_database(brand_a, brand_b):
    with pytest.raises(IntegrityError), transaction.atomic():
        BrandDomain.objects.create(brand=brand_b, hostname="brand-a.localhost")


def test_hostnames_are_stored_lower_case_so_case_cannot_duplicate(brand_a, brand_b):
    with pytest.raises(IntegrityError), transaction.atomic():
        BrandDomain.objects.create(brand=brand_b, hostname="BRAND-A.Localhost")
    assert BrandDomain.objects.filter(brand=brand_b).count() == 1


def test_the_admin_form_explains_a_duplicate_hostname(brand_a, brand_b):
    formset_class = inlineformset_factory(Brand, BrandDomain, fields=["hostname", "is_primary"])
    data = {
        "domains-TOTAL_FORMS": "1",
        "domains-INITIAL_FORMS": "0",
        "domains-0-hostname": "Brand-A.localhost",
    }
    formset = formset_class(data, instance=brand_b, prefix="domains")
    assert not formset.is_valid()
    assert formset.errors[0]["hostname"] == ["This hostname already belongs to a brand."]


@pytest.mark.parametrize(
    "hostname",
    [
        "bad host",
        "https://clinic.example",
        "clinic.example/path",
        "<script>alert(1)</script>",
        "-leading.example",
        "clinic.example:99999",
        "x" * 300,
        "clínica.example",  # IDN must be entered as punycode (xn--...)
        "clinic.example'; DROP TABLE clinic_brand;--",
    ],
)
def test_invalid_hostnames_are_refused_with_a_message(brand_a, hostname):
    domain = BrandDomain(brand=brand_a, hostname=hostname)
    with pytest.raises(ValidationError) as caught:
        domain.full_clean()
    assert "hostname" in caught.value.message_dict


@pytest.mark.parametrize("hostname", ["clinic.example", "www.xn--clnica-2va.example", "a.b:8000"])
def test_valid_hostnames_pass(brand_a, hostname):
    BrandDomain(brand=brand_a, hostname=hostname).full_clean()


def test_a_brand_has_at_most_one_primary_hostname(brand_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        BrandDomain.objects.create(brand=brand_a, hostname="second.localhost", is_primary=True)


def test_only_one_brand_is_the_default(brand_a, brand_b):
    Brand.objects.filter(pk=brand_a.pk).update(is_default=True)
    brand_b.is_default = True
    with pytest.raises(ValidationError) as caught:
        brand_b.full_clean()
    assert "Another brand is already the default brand." in str(caught.value)


@pytest.mark.parametrize("colour", ["#ffff00", "#cccccc", "#87ceeb"])
def test_a_primary_colour_that_white_text_cannot_be_read_on_is_refused(brand_a, colour):
    brand_a.primary_color = colour
    with pytest.raises(ValidationError) as caught:
        brand_a.full_clean()
    assert "hard to read" in caught.value.message_dict["primary_color"][0]


@pytest.mark.parametrize("colour", ["red", "#12345", "#12345g", "javascript:alert(1)", "#fff;}"])
def test_colours_must_be_six_hex_digits(brand_a, colour):
    brand_a.accent_color = colour
    with pytest.raises(ValidationError) as caught:
        brand_a.full_clean()
    assert "six hexadecimal digits" in caught.value.message_dict["accent_color"][0]


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("phone", ["not a phone", "+1 555", "12345678901234567890"])
def test_a_brand_phone_must_be_a_real_number(brand_a, phone):
    brand_a.phone = phone
    with pytest.raises(ValidationError) as caught:
        brand_a.full_clean()
    assert "phone" in caught.value.message_dict


def test_a_local_brand_phone_is_stored_in_e164(db):
    brand = BrandFactory(slug="local", phone="+1 (305) 555-0182")
    brand.refresh_from_db()
    assert str(brand.phone) == "+13055550182"


def test_brand_names_are_unique_with_a_clear_message(brand_a):
    duplicate = Brand(name="Alpha Wellness", slug="other")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert caught.value.message_dict["name"] == ["Brand with this Name already exists."]
