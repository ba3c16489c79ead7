"""Demo pages and FAQ for the two demo brands (used by ``seed_demo``; idempotent)."""

from datetime import date
from pathlib import Path
from typing import Any

from articles.models import Topic
from care.models import Treatment
from clinic.demo import demo_picture
from pages.models import FaqEntry, HomeSection, MenuLink, Page, Testimonial

CONTENT = Path(__file__).resolve().parent / "demo_content"


def demo_text(name: str) -> str:
    """A demo page's text, kept as its own HTML file (pages/demo_content)."""
    return (CONTENT / f"{name}.html").read_text(encoding="utf-8").strip()


# slug, title, summary; each page's text is pages/demo_content/<brand>-<slug>.html.
PAGES = {
    "ignite": [
        (
            "about",
            "About us",
            "Who we are, how our team works, and how we care for people with depression, "
            "PTSD and poor sleep.",
        ),
        (
            "first-visit",
            "Your first visit",
            "What happens at your first assessment, what to bring, and what comes after.",
        ),
        (
            "costs",
            "Costs and insurance",
            "Prices per visit and per course, what insurance pays, HSA and FSA cards, and "
            "superbills for out-of-network claims.",
        ),
    ],
    "kmd": [
        (
            "first-visit",
            "Your first visit",
            "Your first visit step by step: the call before, what to bring, the "
            "consultation, and your first infusion day.",
        ),
        (
            "costs",
            "Costs and insurance",
            "Prices per session and per series, what insurance may cover, HSA and FSA, "
            "superbills and payment plans.",
        ),
        (
            "about",
            "About us",
            "A physician-led infusion clinic in South Florida: our team, what we believe "
            "and where we are.",
        ),
    ],
}

FAQ = {
    "ignite": [
        (
            "Do I need a referral?",
            "<p>No. You can ask for a consultation yourself; we will ask for your "
            "doctor's details so that we can keep them informed, with your consent.</p>",
            None,
        ),
        (
            "Can ketamine help with sleep problems?",
            "<p>Sometimes sleep improves when depression or PTSD improves. Ketamine is not "
            "a sleeping pill, and we talk through other options with you too.</p>",
            "sleep",
        ),
    ],
    "kmd": [
        (
            "How long is an infusion?",
            "<p>About forty minutes, then some time to rest. Plan for two hours in all "
            "and arrange a ride home.</p>",
            None,
        ),
        (
            "Is ketamine used for PTSD?",
            "<p>It is being studied for PTSD and some clinics offer it after an "
            "assessment. We explain what is known and what is not before you decide.</p>",
            "ptsd",
        ),
    ],
}


# More questions, some answered on a treatment's page too: (question, answer, topic, treatment)
MORE_FAQ: dict[str, list[tuple[str, str, str | None, str | None]]] = {
    "ignite": [
        (
            "Will I be able to drive after a session?",
            "<p>No. Ketamine affects coordination and judgement for the rest of the day. "
            "Please arrange for someone to take you home.</p>",
            None,
            "ketamine-for-depression",
        ),
        (
            "Do I have to stop my other medicines?",
            "<p>Usually not, but some medicines change how ketamine works. Bring a list of "
            "everything you take to your assessment; never stop a medicine on your own.</p>",
            "depression",
            "psychiatric-assessment",
        ),
        (
            "Is ketamine addictive?",
            "<p>Ketamine can be misused, which is why it is given only under supervision, "
            "in measured doses, at the clinic. We ask about substance use at the "
            "assessment and may advise against treatment.</p>",
            None,
            "ketamine-for-depression",
        ),
        (
            "What if a session is upsetting?",
            "<p>A clinician is with you throughout and can slow or stop a session. Your "
            "therapist helps you make sense of the experience afterwards.</p>",
            "ptsd",
            "trauma-focused-care",
        ),
    ],
    "kmd": [
        (
            "Can I be seen in Spanish?",
            "<p>Yes. Several of our team speak Spanish; choose Spanish on the consultation "
            "form and a Spanish speaker calls you back.</p>",
            None,
            None,
        ),
        (
            "Do I need to fast before an infusion?",
            "<p>Please eat nothing for four hours before your infusion; clear drinks are "
            "fine until two hours before. We send you the details with your booking.</p>",
            None,
            "ketamine-infusion-series",
        ),
        (
            "How soon could I notice a difference?",
            "<p>Some people notice changes within the first few infusions, others later, "
            "and some not at all. We review progress with you halfway through the "
            "series.</p>",
            "depression",
            "ketamine-infusion-series",
        ),
        (
            "Who can not have ketamine infusions?",
            "<p>People with some heart conditions, uncontrolled high blood pressure, a "
            "history of psychosis or who are pregnant may not be able to. The eligibility "
            "consultation covers this carefully.</p>",
            None,
            "eligibility-consultation",
        ),
    ],
}

# Home pages: Ignite's composed by its staff; K\MD's too, in another order.
HOME: dict[str, list[dict[str, Any]]] = {
    "ignite": [
        {
            "kind": "hero",
            "heading": "Careful, supervised ketamine care in Portland",
            "text": "<p>For depression, PTSD and sleep problems that have not lifted. Every "
            "plan starts with an unhurried assessment by a psychiatrist.</p>",
        },
        {"kind": "treatments", "heading": "How we can help"},
        {"kind": "clinicians", "heading": "The people you will meet"},
        {"kind": "testimonials"},
        {"kind": "articles", "heading": "Read before you decide", "items": 3},
        {"kind": "locations", "heading": "Visit us"},
        {"kind": "faq", "items": 4},
        {"kind": "cta"},
    ],
    "kmd": [
        {
            "kind": "hero",
            "heading": "Ketamine infusions in Miami and Fort Lauderdale",
            "text": "<p>Physician-led infusion care, with nurses beside you for every "
            "minute. Our team speaks English and Spanish.</p>",
        },
        {"kind": "locations", "heading": "Two clinics in South Florida"},
        {"kind": "treatments", "heading": "Infusion care"},
        {"kind": "faq", "heading": "Before your first infusion", "items": 4},
        {"kind": "clinicians", "heading": "Your care team"},
        {"kind": "testimonials", "heading": "In their words"},
        {"kind": "cta"},
    ],
}

# (quote, shown as, consent given by, consent given on, scope)
TESTIMONIALS = {
    "ignite": [
        (
            "I had tried three medicines. The assessment was the first time someone asked "
            "what I actually wanted from treatment.",
            "A patient from Portland",
            "Demo patient one",
            date(2026, 9, 14),
        ),
        (
            "The nurse checked on me every few minutes and explained everything. I never "
            "felt rushed.",
            "A patient from Beaverton",
            "Demo patient two",
            date(2026, 10, 2),
        ),
    ],
    "kmd": [
        (
            "Ana explained each step in Spanish for my mother. We both felt safe.",
            "A patient's daughter, Miami",
            "Demo relative one",
            date(2026, 10, 20),
        ),
        (
            "Clear prices, no surprises, and they called back the same afternoon.",
            "A patient from Fort Lauderdale",
            "Demo patient three",
            date(2026, 11, 3),
        ),
    ],
}

LINKS = {
    "ignite": [
        ("footer", "Your first visit", "/first-visit/"),
        ("footer", "Costs and insurance", "/costs/"),
    ],
    "kmd": [
        ("footer", "Your first visit", "/first-visit/"),
        ("footer", "Treatments", "/treatments/"),
    ],
}


def seed_pages(brands) -> None:
    for slug, brand in brands.items():
        for order, (page_slug, title, summary) in enumerate(PAGES.get(slug, [])):
            Page.objects.update_or_create(
                brand=brand,
                slug=page_slug,
                defaults={
                    "title_en": title,
                    "summary_en": summary,
                    "body_en": demo_text(f"{slug}-{page_slug}"),
                    "order": order,
                    "is_published": True,
                    "in_menu": True,
                },
            )
        for order, (question, answer, topic_slug) in enumerate(FAQ.get(slug, [])):
            topic = Topic.objects.filter(slug=topic_slug).first() if topic_slug else None
            FaqEntry.objects.update_or_create(
                brand=brand,
                question_en=question,
                defaults={"answer_en": answer, "topic": topic, "order": order},
            )
        first = len(FAQ.get(slug, []))
        for order, (question, answer, topic_slug, treatment_slug) in enumerate(
            MORE_FAQ.get(slug, []), start=first
        ):
            FaqEntry.objects.update_or_create(
                brand=brand,
                question_en=question,
                defaults={
                    "answer_en": answer,
                    "topic": Topic.objects.filter(slug=topic_slug).first() if topic_slug else None,
                    "treatment": Treatment.objects.for_brand(brand)
                    .filter(slug=treatment_slug)
                    .first()
                    if treatment_slug
                    else None,
                    "order": order,
                },
            )
        _seed_home(brand, HOME.get(slug, []))
        for quote, shown_as, by, on in TESTIMONIALS.get(slug, []):
            Testimonial.objects.update_or_create(
                brand=brand,
                attribution=shown_as,
                defaults={
                    "quote": quote,
                    "consent_by": by,
                    "consent_on": on,
                    "is_published": True,
                },
            )
        for order, (place, label, link) in enumerate(LINKS.get(slug, [])):
            MenuLink.objects.update_or_create(
                brand=brand, place=place, label_en=label, defaults={"link": link, "order": order}
            )


HERO_ALT = "A drawing of rolling hills under a low, warm sun."


def _seed_home(brand, sections) -> None:
    if not HomeSection.objects.for_brand(brand).exists():
        for order, fields in enumerate(sections):
            HomeSection.objects.create(brand=brand, order=order, is_published=True, **fields)
    # Staff may have recomposed the demo home page: only a hero without a picture gets
    # the one drawn for the demo.
    for hero in HomeSection.objects.for_brand(brand).filter(kind="hero", image=""):
        hero.image = demo_picture(f"{brand.slug}-hero.jpg")
        hero.image_alt_en = HERO_ALT
        hero.save()
