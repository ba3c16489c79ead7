"""schema.org data for a brand's pages."""

from datetime import datetime

from django.urls import reverse

from clinic import links
from clinic.hours_schema import opening_hours_specification
from clinic.models import Location


def home_url(request) -> str:
    return links.here(request, reverse("clinic:home"))


def organization_ref(brand, request) -> dict:
    """The brand as publisher or parent: its name, home page and logo."""
    data = {
        "@type": "MedicalOrganization",
        "@id": home_url(request) + "#organization",
        "name": brand.name,
        "url": home_url(request),
    }
    if brand.logo:
        data["logo"] = links.here(request, brand.logo.url)
    return data


def organization(brand, request) -> dict:
    """Return the JSON-LD of the brand itself, for its home page."""
    data = {"@context": "https://schema.org", **organization_ref(brand, request)}
    if brand.tagline:
        data["description"] = brand.tagline
    if brand.phone:
        data["telephone"] = brand.phone.as_e164
    if brand.public_email:
        data["email"] = brand.public_email
    return data


def breadcrumb_list(request, crumbs: list[tuple[str, str]]) -> dict:
    """Return a BreadcrumbList for (name, path) pairs, home first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": links.here(request, path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def medical_clinic(location: Location, url: str, at: datetime, request=None) -> dict:
    """Return the JSON-LD MedicalClinic of a location, its hours included."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "@id": url + "#clinic",
        "name": f"{location.brand.name} · {location.name}",
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.street_address,
            "addressLocality": location.locality,
            "addressRegion": location.region,
            "postalCode": location.postal_code,
            "addressCountry": location.country,
        },
        "openingHoursSpecification": opening_hours_specification(location.calendar(), at),
    }
    phone = location.phone_or_brand
    if phone:
        data["telephone"] = phone.as_e164
    if location.email:
        data["email"] = location.email
    if request is not None:
        data["parentOrganization"] = {"@id": home_url(request) + "#organization"}
        if location.brand.logo:
            data["image"] = links.here(request, location.brand.logo.url)
    if location.latitude is not None and location.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(location.latitude),
            "longitude": float(location.longitude),
        }
    return data
