"""JSON-LD for treatments (a MedicalTherapy the clinic offers) and clinicians."""

from django.utils.html import strip_tags

from clinic import links
from clinic.structured_data import organization, organization_ref


def medical_therapy(treatment, url: str, request) -> dict:
    therapy = {
        "@type": "MedicalTherapy",
        "@id": url + "#therapy",
        "name": treatment.name,
        "description": treatment.summary,
        "url": url,
    }
    if treatment.who_for:
        therapy["indication"] = {
            "@type": "MedicalIndication",
            "description": strip_tags(treatment.who_for).strip()[:500],
        }
    # The brand is the same node on every page (a MedicalOrganization, its @id the
    # home page's, described as there); it offers the therapy, and the offer carries
    # any price (schema.org has no price on a therapy).
    clinic = organization(treatment.brand, request)
    del clinic["@context"]  # the graph's
    offer: dict = {"@type": "Offer", "itemOffered": {"@id": therapy["@id"]}}
    clinic["makesOffer"] = offer
    if treatment.price_from is not None:
        offer["priceCurrency"] = treatment.currency
        if treatment.price_to is None:
            offer["price"] = str(treatment.price_from)
        else:
            offer["priceSpecification"] = {
                "@type": "PriceSpecification",
                "minPrice": str(treatment.price_from),
                "maxPrice": str(treatment.price_to),
                "priceCurrency": treatment.currency,
            }
    return {"@context": "https://schema.org", "@graph": [therapy, clinic]}


# A physician is a person too: schema.org's Physician is a medical business, so a
# person's properties (job title, credentials, employer) need the Person type beside it.
PHYSICIAN = ["Person", "Physician"]


def person_ref(name: str, is_physician: bool, url: str | None) -> dict:
    """A clinician (profile, author, reviewer): a Person, and a Physician where they are
    one, with the profile."""
    data: dict = {"@type": PHYSICIAN if is_physician else "Person", "name": name}
    if url:
        data["url"] = url
    return data


def person(clinician, url: str, request, locations) -> dict:
    data = {
        "@context": "https://schema.org",
        **person_ref(clinician.name, clinician.is_physician, url),
    }
    if clinician.job_title:
        data["jobTitle"] = clinician.job_title
    if clinician.credentials:
        data["honorificSuffix"] = clinician.credentials
    if clinician.language_list:
        data["knowsLanguage"] = clinician.language_list
    if clinician.specialty_list:
        data["knowsAbout"] = clinician.specialty_list
    if clinician.picture:
        data["image"] = links.here(request, clinician.picture["src"])
    data["worksFor"] = organization_ref(request.brand, request)
    if locations:
        data["workLocation"] = [
            {"@type": "Place", "name": loc.name, "address": loc.address_line} for loc in locations
        ]
    return data
