"""schema.org data for a brand's pages."""

from datetime import datetime

from clinic.hours_schema import opening_hours_specification
from clinic.models import Location


def medical_clinic(location: Location, url: str, at: datetime) -> dict:
    """Return the JSON-LD MedicalClinic of a location, its hours included."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
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
        "openingHoursSpecification": opening_hours_specification(location.hours(), at),
    }
    phone = location.phone_or_brand
    if phone:
        data["telephone"] = phone.as_e164
    if location.email:
        data["email"] = location.email
    if location.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(location.latitude),
            "longitude": float(location.longitude),
        }
    return data
