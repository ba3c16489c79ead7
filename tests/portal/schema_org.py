"""A schema.org-aware check of a page's JSON-LD: the types the portal emits, where each
property is defined in the vocabulary (a type's own properties and its ancestors'),
and what each type must and should carry.

The vocabulary here is the part of schema.org (version 29) the portal uses, written
from its type pages: a property is valid on a node if any of the node's types, or any
of their ancestors, defines it. What a type *must* carry is what the search engines'
structured-data guidelines require of it (or, for the medical types they have no
rich result for, what the page cannot honestly go without); what it *should* carry is
their recommended list, checked so that a page loses none of it unnoticed.
"""

import json

# type: (parents, properties it defines)
TYPES: dict[str, tuple[tuple[str, ...], set[str]]] = {
    "Thing": (
        (),
        {"name", "description", "url", "image", "sameAs", "identifier", "alternateName"}
        | {"mainEntityOfPage"},
    ),
    "CreativeWork": (
        ("Thing",),
        {"about", "author", "dateModified", "datePublished", "headline", "inLanguage"}
        | {"publisher", "mainEntity", "text", "keywords", "reviewedBy"},
    ),
    "WebPage": (
        ("CreativeWork",),
        {"breadcrumb", "lastReviewed", "reviewedBy", "primaryImageOfPage", "specialty"},
    ),
    "MedicalWebPage": (("WebPage",), {"medicalAudience", "aspect"}),
    "FAQPage": (("WebPage",), set()),
    "Comment": (("CreativeWork",), {"parentItem", "upvoteCount", "downvoteCount"}),
    "Question": (("Comment",), {"acceptedAnswer", "suggestedAnswer", "answerCount"}),
    "Answer": (("Comment",), {"answerExplanation"}),
    "Intangible": (("Thing",), set()),
    "StructuredValue": (("Intangible",), set()),
    "ItemList": (("Intangible",), {"itemListElement", "numberOfItems", "itemListOrder"}),
    "BreadcrumbList": (("ItemList",), set()),
    "ListItem": (("Intangible",), {"item", "position", "nextItem", "previousItem"}),
    "Organization": (
        ("Thing",),
        {"address", "email", "telephone", "logo", "makesOffer", "parentOrganization"}
        | {"department", "subOrganization", "areaServed", "contactPoint", "member"},
    ),
    "Place": (
        ("Thing",),
        {"address", "geo", "telephone", "openingHoursSpecification", "hasMap", "photo"}
        | {"latitude", "longitude", "containedInPlace"},
    ),
    "LocalBusiness": (
        ("Organization", "Place"),
        {"openingHours", "priceRange", "currenciesAccepted", "paymentAccepted"},
    ),
    "MedicalOrganization": (
        ("Organization",),
        {"healthPlanNetworkId", "isAcceptingNewPatients", "medicalSpecialty"},
    ),
    "MedicalBusiness": (("LocalBusiness",), set()),
    "MedicalClinic": (
        ("MedicalBusiness", "MedicalOrganization"),
        {"availableService", "medicalSpecialty"},
    ),
    # schema.org's Physician is an organisation (a practice); the person is a Person,
    # so a clinician is both (the issue that led here: Person-only properties on it).
    "Physician": (
        ("MedicalBusiness", "MedicalOrganization"),
        {"availableService", "hospitalAffiliation", "medicalSpecialty", "usNPI"}
        | {"occupationalCategory"},
    ),
    "Person": (
        ("Thing",),
        {"honorificPrefix", "honorificSuffix", "jobTitle", "knowsAbout", "knowsLanguage"}
        | {"worksFor", "workLocation", "affiliation", "email", "telephone", "givenName"}
        | {"familyName", "alumniOf", "hasCredential"},
    ),
    "MedicalEntity": (
        ("Thing",),
        {"code", "guideline", "legalStatus", "medicineSystem", "recognizingAuthority"}
        | {"relevantSpecialty", "study", "funding"},
    ),
    "MedicalProcedure": (
        ("MedicalEntity",),
        {"bodyLocation", "followup", "howPerformed", "preparation", "procedureType"} | {"status"},
    ),
    "TherapeuticProcedure": (
        ("MedicalProcedure",),
        {"adverseOutcome", "doseSchedule", "drug", "indication"},
    ),
    "MedicalTherapy": (
        ("TherapeuticProcedure",),
        {"contraindication", "duplicateTherapy", "seriousAdverseOutcome"},
    ),
    "MedicalIndication": (("MedicalEntity",), set()),
    "Offer": (
        ("Intangible",),
        {"itemOffered", "price", "priceCurrency", "priceSpecification", "availability"}
        | {"seller", "offeredBy", "areaServed", "validFrom", "validThrough"},
    ),
    "PriceSpecification": (
        ("StructuredValue",),
        {"price", "minPrice", "maxPrice", "priceCurrency", "validFrom", "validThrough"}
        | {"valueAddedTaxIncluded", "eligibleQuantity"},
    ),
    "OpeningHoursSpecification": (
        ("StructuredValue",),
        {"dayOfWeek", "opens", "closes", "validFrom", "validThrough"},
    ),
    "ContactPoint": (
        ("StructuredValue",),
        {"telephone", "email", "contactType", "areaServed", "availableLanguage"},
    ),
    "PostalAddress": (
        ("ContactPoint",),
        {"streetAddress", "addressLocality", "addressRegion", "postalCode"}
        | {"addressCountry", "postOfficeBoxNumber"},
    ),
    "GeoCoordinates": (
        ("StructuredValue",),
        {"latitude", "longitude", "elevation", "address", "addressCountry", "postalCode"},
    ),
}

# What each type must carry, and what it should.
REQUIRED = {
    "MedicalWebPage": {"headline", "url", "datePublished", "dateModified", "author"}
    | {"publisher", "inLanguage", "lastReviewed", "reviewedBy"},
    "BreadcrumbList": {"itemListElement"},
    "ListItem": {"position", "name"},
    "FAQPage": {"mainEntity"},
    "Question": {"name", "acceptedAnswer"},
    "Answer": {"text"},
    "MedicalOrganization": {"name"},
    "MedicalClinic": {"name", "address"},
    "Person": {"name"},
    "MedicalTherapy": {"name"},
    "Offer": {"itemOffered"},
    "PostalAddress": {"streetAddress", "addressLocality", "addressCountry"},
    "OpeningHoursSpecification": {"dayOfWeek", "opens", "closes"},
    "GeoCoordinates": {"latitude", "longitude"},
}
RECOMMENDED = {
    "MedicalWebPage": {"description", "image", "about"},
    "MedicalOrganization": {"url", "logo", "telephone", "description"},
    "MedicalClinic": {"telephone", "url", "geo", "openingHoursSpecification", "image"},
    "Person": {"image", "jobTitle", "worksFor"},
    "MedicalTherapy": {"description", "url"},
    "PostalAddress": {"postalCode", "addressRegion"},
}
KEYWORDS = {"@context", "@type", "@id", "@graph"}


def ancestors(name: str) -> set[str]:
    parents, _ = TYPES[name]
    found = {name}
    for parent in parents:
        found |= ancestors(parent)
    return found


def problems(node, where: str = "", *, top: bool = True) -> list[str]:
    """Every way ``node`` (a JSON-LD document, graph or node) strays from the table.

    Recommended properties are asked of the page's own nodes (the document's, or its
    graph's); a node inside another (a publisher, an author) is a reference to an
    entity described on its own page, and must only carry what identifies it.
    """
    found: list[str] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += problems(item, f"{where}[{index}]", top=top)
        return found
    if not isinstance(node, dict):
        return found
    if "@graph" in node:
        return problems(node["@graph"], f"{where}@graph")
    types = node.get("@type")
    names = [types] if isinstance(types, str) else list(types or [])
    if not names:
        if set(node) - KEYWORDS:  # a bare {"@id": ...} refers to a node given elsewhere
            found.append(f"{where}: a node without a type")
        return found
    unknown = [name for name in names if name not in TYPES]
    if unknown:
        return [f"{where}: {unknown} is not a type this check knows"]
    allowed = set().union(*(TYPES[a][1] for name in names for a in ancestors(name)))
    kinds = set().union(*(ancestors(name) for name in names))
    for key, value in node.items():
        if key in KEYWORDS:
            continue
        if key not in allowed:
            found.append(f"{where}: {'/'.join(names)} has no property {key!r}")
        if value in ("", None, [], {}):
            found.append(f"{where}.{key}: empty")
        found += problems(value, f"{where}.{key}", top=False)
    for kind in kinds:  # what a type requires, its subtypes require too
        for key in REQUIRED.get(kind, ()):
            if key not in node:
                found.append(f"{where}: {'/'.join(names)} lacks required {key!r}")
    for kind in names if top else ():  # recommendations are each type's own
        for key in RECOMMENDED.get(kind, ()):
            if key not in node:
                found.append(f"{where}: {'/'.join(names)} lacks recommended {key!r}")
    return found


def documents(soup) -> list:
    return [json.loads(tag.string) for tag in soup.select('script[type="application/ld+json"]')]


def nodes_of_type(document, name: str) -> list[dict]:
    """Every node of ``document`` that is (among others) a ``name``."""
    found = []
    if isinstance(document, list):
        for item in document:
            found += nodes_of_type(item, name)
    elif isinstance(document, dict):
        types = document.get("@type")
        if name == types or (isinstance(types, list) and name in types):
            found.append(document)
        for value in document.values():
            found += nodes_of_type(value, name)
    return found
