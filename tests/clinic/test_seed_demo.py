"""seed_demo builds the demo world and is safe to run again."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from clinic.demo import DEMO_PASSWORD
from clinic.models import Brand, BrandDomain, BrandMembership, Role
from tests.conftest import client_for


def counts():
    User = get_user_model()
    return (
        Brand.objects.count(),
        BrandDomain.objects.count(),
        User.objects.count(),
        BrandMembership.objects.count(),
    )


def test_it_creates_the_two_demo_brands_and_their_staff(db, capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    ignite = Brand.objects.get(slug="ignite")
    kmd = Brand.objects.get(slug="kmd")
    assert ignite.name == "Ignite Wellness Clinic" and ignite.is_default
    assert kmd.name == "K\\MD Wellness" and "South Florida" in kmd.tagline
    assert kmd.primary_domain == "kmd.localhost"
    for brand in (ignite, kmd):
        roles = set(brand.memberships.values_list("role", flat=True))
        assert roles == set(Role.values)
        brand.full_clean()  # the demo data passes the same validation as staff input
    assert "http://ignite.localhost:8000/" in output
    assert "http://kmd.localhost:8000/" in output
    assert DEMO_PASSWORD in output and "kmd-frontdesk" in output


def test_it_is_idempotent(db):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first


def test_the_printed_logins_work(db):
    call_command("seed_demo")
    user = authenticate(username="kmd-frontdesk", password=DEMO_PASSWORD)
    assert user is not None and user.is_staff and not user.is_superuser


def test_the_demo_sites_answer_on_their_hosts(db):
    call_command("seed_demo")
    assert "K\\MD Wellness" in client_for(host="kmd.localhost:8000").get("/").content.decode()
    assert client_for(host="127.0.0.1:8000").get("/").status_code == 200
    www = client_for(host="www.kmd.localhost:8000").get("/")
    assert www.status_code == 301 and www["Location"] == "http://kmd.localhost:8000/"


def test_it_refuses_to_seed_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run with PORTAL_ENV=production"):
        call_command("seed_demo")
    assert Brand.objects.count() == 0
