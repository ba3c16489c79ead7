"""Demo treatments and clinicians for the two demo brands (``seed_demo``; idempotent).

Written by this team. Prices are examples for the demo, not anybody's real fees.
"""

from decimal import Decimal
from typing import Any

from articles.models import Article
from care.models import Clinician, Treatment
from clinic.demo import demo_picture, staff_user
from clinic.models import BrandMembership, Location, Role

# slug -> fields; "brands" and "locations" name demo brand and location slugs.
CLINICIANS: dict[str, dict[str, Any]] = {
    "maya-okafor": {
        "name": "Maya Okafor",
        "credentials": "MD",
        "job_title": "Psychiatrist, medical director",
        "is_physician": True,
        "specialties": "Depression, PTSD, Sleep problems",
        "languages": "English",
        "bio": "<p>Dr. Okafor has worked in outpatient psychiatry for eighteen years. She "
        "leads every first assessment at Ignite and reviews the clinic's articles before "
        "they are published.</p><p>She believes a good plan starts with listening: what "
        "has been tried, what helped a little, and what matters most to you.</p>",
        "brands": ["ignite"],
        "locations": ["pearl-district"],
        "order": 0,
    },
    "jordan-lee": {
        "name": "Jordan Lee",
        "credentials": "PMHNP-BC",
        "job_title": "Psychiatric nurse practitioner",
        "specialties": "Depression, Treatment monitoring",
        "languages": "English, Korean",
        "bio": "<p>Jordan follows patients through a course of treatment: checking blood "
        "pressure and wellbeing at each session and staying in touch between them.</p>",
        "brands": ["ignite"],
        "locations": ["pearl-district"],
        "order": 1,
    },
    "priya-natarajan": {
        "name": "Priya Natarajan",
        "credentials": "LCSW",
        "job_title": "Trauma therapist",
        "specialties": "PTSD, Trauma-focused therapy",
        "languages": "English, Tamil",
        "bio": "<p>Priya is a licensed clinical social worker trained in trauma-focused "
        "therapies. She works alongside the medical team so that medication and talking "
        "therapy support each other.</p>",
        "brands": ["ignite"],
        "locations": ["pearl-district"],
        "order": 2,
    },
    "luis-serrano": {
        "name": "Luis Serrano",
        "credentials": "MD",
        "job_title": "Anesthesiologist, infusion lead",
        "is_physician": True,
        "specialties": "Ketamine infusions, Patient safety",
        "languages": "English, Spanish",
        "bio": "<p>Dr. Serrano spent fifteen years in hospital anesthesia before founding "
        "K\\MD's infusion service. He sets the safety checks every infusion follows and "
        "reviews the clinic's articles.</p>",
        "brands": ["kmd"],
        "locations": ["brickell", "fort-lauderdale"],
        "order": 0,
    },
    "ana-beltran": {
        "name": "Ana Beltrán",
        "credentials": "RN",
        "job_title": "Infusion nurse",
        "specialties": "Infusion care, Patient education",
        "languages": "English, Spanish, Portuguese",
        "bio": "<p>Ana stays with you for the whole infusion: she explains each step, "
        "watches your blood pressure and breathing, and makes sure you are ready to go "
        "home.</p>",
        "brands": ["kmd"],
        "locations": ["brickell"],
        "order": 1,
    },
    "samuel-reyes": {
        "name": "Samuel Reyes",
        "credentials": "MD",
        "job_title": "Consulting psychiatrist",
        "is_physician": True,
        "specialties": "Depression, PTSD",
        "languages": "English, Spanish",
        "bio": "<p>Dr. Reyes consults for both clinics of the group, mostly by video. He "
        "sees patients whose history is complex before a course of treatment is "
        "agreed.</p>",
        "brands": ["ignite", "kmd"],
        "locations": ["pearl-district", "fort-lauderdale"],
        "order": 3,
    },
}

# brand slug -> [(slug, fields)]; "clinicians" and "articles" name demo slugs.
TREATMENTS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "ignite": [
        (
            "psychiatric-assessment",
            {
                "name": "Psychiatric assessment",
                "summary": "A first, unhurried appointment with a psychiatrist to understand "
                "your history and agree what might help.",
                "who_for": "<p>Anyone considering treatment with us. It is always the first "
                "step, and it may end with advice to try something other than ketamine.</p>",
                "what_to_expect": "<p>About an hour, in person or by video. We ask about "
                "your mood, sleep, physical health, medicines and what you have tried. You "
                "leave with a written summary and, if treatment fits, a plan.</p>",
                "duration": "About 60 minutes",
                "price_from": Decimal("300"),
                "price_note": "for the assessment",
                "insurance_note": "Often covered as a specialist visit. Our care "
                "coordinator checks your plan with you before you book.",
                "clinicians": ["maya-okafor", "samuel-reyes"],
                "articles": [],
            },
        ),
        (
            "ketamine-for-depression",
            {
                "name": "Ketamine treatment for depression",
                "summary": "A supervised course of ketamine sessions for depression that "
                "has not lifted with other treatments.",
                "who_for": "<p>Adults with depression that has not improved enough after at "
                "least two medicines, and who have had a psychiatric assessment here.</p>",
                "what_to_expect": "<p>Usually six sessions over two to three weeks. Each "
                "visit takes about two hours with monitoring and rest. You need someone to "
                "drive you home.</p>",
                "duration": "About 2 hours a visit, usually six visits",
                "price_from": Decimal("450"),
                "price_to": Decimal("550"),
                "price_note": "per session",
                "insurance_note": "Most plans do not cover ketamine sessions. We give you "
                "an itemised receipt you can send to your insurer.",
                "clinicians": ["maya-okafor", "jordan-lee"],
                "articles": [
                    "ketamine-and-treatment-resistant-depression",
                    "what-happens-during-a-ketamine-infusion",
                ],
            },
        ),
        (
            "trauma-focused-care",
            {
                "name": "Trauma-focused care for PTSD",
                "summary": "Trauma-focused therapy, with medical treatment alongside it "
                "where that is right for you.",
                "who_for": "<p>Adults living with post-traumatic stress. Therapy is the "
                "core of this care; ketamine is considered only after an assessment.</p>",
                "what_to_expect": "<p>Weekly therapy sessions of about 50 minutes, with "
                "regular reviews by the medical team.</p>",
                "duration": "50-minute sessions, weekly",
                "price_from": Decimal("180"),
                "price_note": "per therapy session",
                "insurance_note": "Therapy is often covered; we check your plan with you.",
                "clinicians": ["priya-natarajan", "samuel-reyes"],
                "articles": ["can-ketamine-infusion-therapy-help-treat-ptsd"],
            },
        ),
    ],
    "kmd": [
        (
            "eligibility-consultation",
            {
                "name": "Eligibility consultation",
                "summary": "Find out whether infusions could suit you, what they involve "
                "and what they cost, before you commit to anything.",
                "who_for": "<p>Anyone thinking about ketamine infusions, with or without a "
                "referral.</p>",
                "what_to_expect": "<p>A 45-minute visit with a physician: your history, a "
                "short physical check and time for your questions.</p>",
                "duration": "About 45 minutes",
                "price_from": Decimal("150"),
                "price_note": "credited to your first infusion",
                "insurance_note": "Sometimes covered as a specialist visit.",
                "clinicians": ["luis-serrano", "samuel-reyes"],
                "articles": ["what-happens-during-a-ketamine-infusion"],
            },
        ),
        (
            "ketamine-infusion-series",
            {
                "name": "Ketamine infusion series",
                "summary": "Six intravenous infusions over two to three weeks, given and "
                "watched over by our nurses and physicians.",
                "who_for": "<p>Adults with treatment-resistant depression or PTSD who have "
                "had an eligibility consultation.</p>",
                "what_to_expect": "<p>Each infusion lasts about 40 minutes, followed by "
                "rest. Plan for two hours and arrange a ride home.</p>",
                "duration": "About 2 hours a visit, six visits",
                "price_from": Decimal("400"),
                "price_to": Decimal("500"),
                "price_note": "per infusion",
                "insurance_note": "Rarely covered. Payment plans are available; ask us.",
                "clinicians": ["luis-serrano", "ana-beltran"],
                "articles": [
                    "can-ketamine-infusion-therapy-help-treat-ptsd",
                    "what-happens-during-a-ketamine-infusion",
                ],
            },
        ),
        (
            "booster-infusion",
            {
                "name": "Booster infusion",
                "summary": "A single infusion for patients who finished a series and whose "
                "symptoms are returning.",
                "who_for": "<p>Patients who have completed a series with us, after a "
                "check-in with the physician.</p>",
                "what_to_expect": "<p>The same visit as in your series: about two hours "
                "in all.</p>",
                "duration": "About 2 hours",
                "price_from": Decimal("400"),
                "price_note": "per infusion",
                "insurance_note": "Rarely covered.",
                "clinicians": ["luis-serrano", "ana-beltran"],
                "articles": [],
            },
        ),
    ],
}

# Who reviewed the demo articles: the medical lead of the article's canonical brand.
REVIEWERS = {"ignite": "maya-okafor", "kmd": "luis-serrano"}
# Who wrote them (the byline); the shared PTSD explainer by the psychiatrist of both.
AUTHORS = {
    "can-ketamine-therapy-help-you-sleep": "jordan-lee",
    "can-ketamine-infusion-therapy-help-treat-ptsd": "samuel-reyes",
    "ketamine-and-treatment-resistant-depression": "jordan-lee",
    "what-happens-during-a-ketamine-infusion": "ana-beltran",
    "ketamine-side-effects-and-safety": "jordan-lee",
    "ketamine-for-chronic-pain": "ana-beltran",
    "ketamine-and-anxiety": "priya-natarajan",
}


def seed_care(brands) -> list[tuple[str, str]]:
    """Clinicians, treatments and credits; return the logins of the reviewing clinicians."""
    people = {}
    for slug, spec in CLINICIANS.items():
        fields = dict(spec)
        brand_slugs = fields.pop("brands")
        location_slugs = fields.pop("locations")
        person, _ = Clinician.objects.update_or_create(
            slug=slug, defaults={**fields, "is_published": True}
        )
        if not person.photo:  # drawn for the demo; a photo staff uploaded stays
            person.photo = demo_picture(f"{slug}.jpg")
            person.save()  # stores the picture and its renditions
            described = {"photo_alt_en": f"A drawn portrait of {person.name}."}
            Clinician.objects.filter(pk=person.pk).update(**described)
        person.brands.set([brands[b] for b in brand_slugs])
        person.locations.set(
            Location.objects.filter(
                brand__in=person.brands.all(), slug__in=location_slugs
            ).across_brands()
        )
        people[slug] = person
    for brand_slug, entries in TREATMENTS.items():
        brand = brands[brand_slug]
        for order, (slug, spec) in enumerate(entries):
            fields = dict(spec)
            clinician_slugs = fields.pop("clinicians")
            article_slugs = fields.pop("articles")
            treatment, _ = Treatment.objects.update_or_create(
                brand=brand, slug=slug, defaults={**fields, "order": order, "is_published": True}
            )
            treatment.clinicians.set([people[s] for s in clinician_slugs])
            treatment.related_articles.set(
                Article.objects.for_brand(brand).filter(slug__in=article_slugs)
            )
    for article in Article.objects.across_brands().select_related(
        "canonical_brand", "translation_of"
    ):
        changed = []
        reviewer = REVIEWERS.get(article.canonical_brand.slug)
        if article.reviewer_name and reviewer and article.reviewed_by_id is None:
            article.reviewed_by = people[reviewer]
            changed.append("reviewed_by")
        # A translation is credited to the original's author.
        original = article.translation_of
        author = AUTHORS.get(original.slug if original else article.slug)
        if author and article.written_by_id is None and people[author] != article.reviewed_by:
            article.written_by = people[author]
            changed.append("written_by")
        if changed:
            article.save(update_fields=changed)
    return _reviewer_logins(brands, people)


def _reviewer_logins(brands, people) -> list[tuple[str, str]]:
    """Each brand's medical reviewer signs in to review articles in the back office."""
    logins = []
    for brand_slug, clinician_slug in REVIEWERS.items():
        person = people[clinician_slug]
        username = f"{brand_slug}-reviewer"
        user = staff_user(username, first_name=person.name)
        BrandMembership.objects.update_or_create(
            user=user, brand=brands[brand_slug], defaults={"role": Role.EDITOR}
        )
        if person.account_id is None:
            person.account = user
            person.save(update_fields=["account"])
        logins.append(
            (username, f"{person.name}, medical reviewer (Editor) of {brands[brand_slug].name}")
        )
    return logins
