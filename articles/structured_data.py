"""JSON-LD for article pages: a MedicalWebPage that names its reviewer."""

from django.urls import reverse

from care.structured_data import person_ref
from clinic import links


def publisher(brand, request) -> dict:
    """The canonical brand, at its own home page (where the canonical URL lives)."""
    home = links.on_site(brand, reverse("clinic:home"), request)
    data = {"@type": "MedicalOrganization", "name": brand.name, "url": home}
    if brand.logo:
        data["logo"] = links.here(request, brand.logo.url)
    return data


def _person(credit, request) -> dict:
    """A Physician or Person, with the profile's address where this brand shows it."""
    url = links.here(request, credit.path) if credit.path else None
    return person_ref(credit.name, credit.is_physician, url)


def medical_web_page(article, topics, canonical_url: str, request, credits) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": article.title,
        "name": article.page_title,
        "description": article.meta_description,
        "url": canonical_url,
        "inLanguage": article.language,  # each version is its own page, in its language
        "about": [{"@type": "Thing", "name": topic.name} for topic in topics],
        "publisher": publisher(article.canonical_brand, request),
        "dateModified": article.updated.isoformat(),
    }
    if article.publish_at:
        data["datePublished"] = article.publish_at.isoformat()
    author, reviewer = credits["author"], credits["reviewer"]
    if author is not None and author.is_person:
        data["author"] = _person(author, request)
    elif author is not None:  # the clinic stands as the author
        data["author"] = {
            "@type": "MedicalOrganization",
            "name": author.name,
            "url": links.here(request, "/"),
        }
    if reviewer is not None:
        data["reviewedBy"] = _person(reviewer, request)
    if article.last_reviewed:
        data["lastReviewed"] = article.last_reviewed.isoformat()
    picture = article.hero_picture
    brand = getattr(request, "brand", None) or article.canonical_brand
    if picture:
        data["image"] = links.here(request, picture["src"])
    elif brand.logo:
        data["image"] = links.here(request, brand.logo.url)
    return data
