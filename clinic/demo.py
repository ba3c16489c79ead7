"""Demo brands, domains and staff for development (used by ``seed_demo``).

Everything is written with update_or_create/get_or_create keyed on stable fields, so
running the seed again changes nothing and duplicates nothing.
"""

import io
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from clinic.models import (
    Brand,
    BrandDomain,
    BrandMembership,
    Location,
    OpeningHours,
    Role,
    SpecialHours,
)
from clinic.models.locations import Recurrence

DEMO_PASSWORD = "clinic-demo-2026"


def demo_picture(name: str):
    """A picture drawn for the demo (bin/draw_pictures.py, CC0), ready to store."""
    from django.core.files.base import ContentFile

    path = Path(__file__).resolve().parent / "demo_pictures" / name
    return ContentFile(path.read_bytes(), name=name)


def privacy_notice(slug: str, language: str = "") -> str:
    """A demo brand's privacy notice (in ``language``, else English), kept as its own
    text file (clinic/demo_content)."""
    folder = Path(__file__).resolve().parent / "demo_content"
    suffix = f".{language}" if language else ""
    return (folder / f"{slug}-privacy{suffix}.txt").read_text(encoding="utf-8").strip()


BRANDS = [
    {
        "slug": "ignite",
        "name": "Ignite Wellness Clinic",
        "tagline_en": "Medically supervised ketamine care for depression, PTSD and sleep.",
        "primary_color": "#1f5f8b",
        "accent_color": "#9a3412",
        "typeface": "classic",
        "look": "soft",
        "phone": "+15035550110",
        "country": "US",
        "public_email": "hello@ignite.example",
        "notification_email": "inbox@ignite.example",
        "cta_heading_en": "Talk with the Ignite care team",
        "cta_text_en": (
            "Wondering whether ketamine therapy could fit into your care? Ask for a "
            "consultation: a clinician reviews your history with you, explains the "
            "options and answers your questions, with no obligation."
        ),
        "is_default": True,
        "languages": "en",
        "domains": ["ignite.localhost", "www.ignite.localhost"],
    },
    {
        "slug": "kmd",
        "name": "K\\MD Wellness",
        "tagline_en": "South Florida’s ketamine infusion clinic · Consultations this week",
        "primary_color": "#0f6e6e",
        "accent_color": "#7a2e8a",
        "typeface": "hyperlegible",
        "look": "bold",
        "phone": "+13055550182",
        "country": "US",
        "public_email": "care@kmd.example",
        "notification_email": "frontdesk@kmd.example",
        "cta_heading_en": "Ready to talk about infusion therapy?",
        "cta_text_en": (
            "Our South Florida team will walk you through eligibility, what a course of "
            "infusions involves and what it costs. Request a consultation and we will "
            "call you back."
        ),
        "is_default": False,
        # A South Florida clinic: its site in English and Spanish.
        "languages": "en es",
        "domains": ["kmd.localhost", "www.kmd.localhost"],
    },
]

ROLE_USERNAMES = {
    Role.EDITOR: "editor",
    Role.FRONT_DESK: "frontdesk",
    Role.BRAND_ADMIN: "admin",
}


def seed_brands() -> dict[str, Brand]:
    brands: dict[str, Brand] = {}
    for entry in BRANDS:
        spec: dict[str, Any] = dict(entry)
        hostnames = spec.pop("domains")
        slug = spec.pop("slug")
        brand, _ = Brand.objects.update_or_create(
            slug=slug, defaults={**spec, "privacy_notice_en": privacy_notice(slug)}
        )
        for index, hostname in enumerate(hostnames):
            BrandDomain.objects.update_or_create(
                hostname=hostname, defaults={"brand": brand, "is_primary": index == 0}
            )
        if not brand.logo:  # drawn for the demo; a logo staff uploaded stays
            brand.logo = _mark(slug, brand.primary_color, 160)
            brand.favicon = _mark(slug, brand.primary_color, 64)
            brand.save()
        brands[slug] = brand
    return brands


def _mark(slug: str, colour: str, size: int) -> ContentFile:
    """Draw a demo brand's mark: Ignite a rising flame in a rounded square, K\\MD a
    backslash through a circle (our own drawings, for the demo only)."""
    scale = 4  # drawn large, then reduced: smooth edges without antialiasing support
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if slug == "ignite":
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=colour)
        flame = [
            (0.50, 0.14),
            (0.70, 0.42),
            (0.74, 0.62),
            (0.64, 0.80),
            (0.50, 0.86),
            (0.36, 0.80),
            (0.26, 0.62),
            (0.32, 0.46),
            (0.42, 0.58),
            (0.44, 0.36),
        ]
        draw.polygon([(x * big, y * big) for x, y in flame], fill="#ffffff")
        draw.ellipse((0.43 * big, 0.60 * big, 0.57 * big, 0.80 * big), fill=colour)
    else:
        draw.ellipse((0, 0, big - 1, big - 1), fill=colour)
        width = big // 9
        draw.line((0.30 * big, 0.22 * big, 0.70 * big, 0.78 * big), fill="#ffffff", width=width)
        for cx in (0.27, 0.73):
            r = 0.06 * big
            draw.ellipse((cx * big - r, 0.5 * big - r, cx * big + r, 0.5 * big + r), fill="#ffffff")
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=f"{slug}-{size}.png")


def staff_user(username: str, *, first_name: str, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "email": f"{username}@staff.example",
            "is_staff": True,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_staff(brands: dict[str, Brand]) -> list[tuple[str, str]]:
    """Create one staff user per role per brand, a multi-brand admin and a superuser.

    Return (username, what they can do) pairs for printing.
    """
    logins = []
    for slug, brand in brands.items():
        for role, suffix in ROLE_USERNAMES.items():
            username = f"{slug}-{suffix}"
            user = staff_user(username, first_name=f"{brand.name.split()[0]} {role.label}")
            BrandMembership.objects.update_or_create(
                user=user, brand=brand, defaults={"role": role}
            )
            logins.append((username, f"{role.label} of {brand.name}"))
    group_admin = staff_user("group-admin", first_name="Group admin")
    for brand in brands.values():
        BrandMembership.objects.update_or_create(
            user=group_admin, brand=brand, defaults={"role": Role.BRAND_ADMIN}
        )
    logins.append(("group-admin", "Brand admin of every demo brand"))
    staff_user("superadmin", first_name="Super admin", superuser=True)
    logins.append(("superadmin", "Superuser (sees everything)"))
    return logins


# Every other Friday counts from this one (the Friday of a week when it is open).
ALTERNATE_FRIDAY_ANCHOR = date(2026, 11, 13)

LOCATIONS = {
    "ignite": [
        {
            "slug": "pearl-district",
            "name": "Pearl District clinic",
            "street_address": "1200 NW Lovejoy Street, Suite 300",
            "locality": "Portland",
            "region": "OR",
            "postal_code": "97209",
            "time_zone": "America/Los_Angeles",
            "latitude": Decimal("45.529900"),
            "longitude": Decimal("-122.684800"),
            "order": 0,
        },
    ],
    "kmd": [
        {
            "slug": "brickell",
            "name": "Brickell, Miami",
            "street_address": "801 Brickell Avenue, Floor 9",
            "locality": "Miami",
            "region": "FL",
            "postal_code": "33131",
            "time_zone": "America/New_York",
            "latitude": Decimal("25.766400"),
            "longitude": Decimal("-80.191200"),
            "order": 0,
        },
        {
            "slug": "fort-lauderdale",
            "name": "Fort Lauderdale",
            "street_address": "500 East Broward Boulevard, Suite 1100",
            "locality": "Fort Lauderdale",
            "region": "FL",
            "postal_code": "33394",
            "time_zone": "America/New_York",
            "phone": "+19545550147",
            "latitude": Decimal("26.122400"),
            "longitude": Decimal("-80.137300"),
            "order": 1,
        },
    ],
}


def reference_hours(location: Location) -> None:
    """Mon-Thu 8 A.M.-4:30 P.M., every other Friday, closed at weekends."""
    for weekday in range(4):
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens=time(8), closes=time(16, 30)
        )
    OpeningHours.objects.create(
        location=location,
        weekday=4,
        opens=time(8),
        closes=time(16, 30),
        recurrence=Recurrence.EVERY_OTHER_WEEK,
        anchor=ALTERNATE_FRIDAY_ANCHOR,
    )


def seed_locations(brands: dict[str, Brand], today: date) -> list[Location]:
    """Create the demo locations with the reference hours and a holiday closure.

    Hours are only written for a location that has none, so staff edits survive a re-run.
    """
    created = []
    for slug, specs in LOCATIONS.items():
        for spec in specs:
            spec = dict(spec)
            location, _ = Location.objects.update_or_create(
                brand=brands[slug], slug=spec.pop("slug"), defaults=spec
            )
            if not location.opening_hours.exists():
                reference_hours(location)
            seed_holidays(location, today)
            created.append(location)
    return created


# The demo clinics close on the national public holidays of the year ahead and keep
# short hours on Christmas Eve (when it falls Monday to Thursday, their regular days).
CHRISTMAS_EVE_HOURS = (time(8), time(12, 30))


def seed_holidays(location: Location, today: date) -> None:
    """The holidays of the next twelve months as closed days (clinic/public_holidays.py),
    the same as the "Add public holidays" admin action's suggestion; a day that already
    has special hours keeps them."""
    from clinic import public_holidays

    until = today + timedelta(days=366)
    for year in (today.year, today.year + 1):
        for holiday in public_holidays.for_year(location.country, location.region, year):
            if holiday.national and today <= holiday.day <= until:
                SpecialHours.objects.get_or_create(
                    location=location,
                    first_day=holiday.day,
                    defaults={"label_en": holiday.name[:80]},
                )
        eve = date(year, 12, 24)
        if today <= eve <= until and eve.weekday() < 4:
            opens, closes = CHRISTMAS_EVE_HOURS
            SpecialHours.objects.get_or_create(
                location=location,
                first_day=eve,
                defaults={"label_en": "Christmas Eve", "opens": opens, "closes": closes},
            )
