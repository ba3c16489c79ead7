"""Demo pages and FAQ for the two demo brands (used by ``seed_demo``; idempotent)."""

from articles.models import Topic
from pages.models import FaqEntry, Page

PAGES = {
    "ignite": [
        (
            "about",
            "About us",
            "Who we are and how we care for people with depression, PTSD and poor sleep.",
            "<p>Ignite Wellness is a small outpatient clinic. Psychiatrists, nurses and a "
            "care coordinator work as one team, and every patient has a named clinician "
            "they can reach.</p><h2>How we work</h2><p>We start with a careful assessment, "
            "agree a plan with you and, where treatment goes ahead, check in after every "
            "session.</p>",
        ),
        (
            "costs",
            "Costs and insurance",
            "What an assessment and a course of treatment cost, and what insurance covers.",
            "<p>The first assessment has a fixed fee, which we tell you before you book. "
            "Some treatments are covered by insurance and some are not; our care "
            "coordinator checks your plan with you before anything is arranged.</p>",
        ),
    ],
    "kmd": [
        (
            "first-visit",
            "Your first visit",
            "What happens at your first appointment, and what to bring.",
            "<p>Plan for about an hour. Bring a photo ID, your insurance card and a list of "
            "the medicines you take.</p><h2>What we will ask</h2><p>About your health, "
            "treatments you have tried and what you hope for. You can bring someone with "
            "you.</p>",
        ),
        (
            "costs",
            "Costs and insurance",
            "Fees, payment plans and what insurance may cover.",
            "<p>We give you a written estimate before any treatment. Ask us about payment "
            "plans; we never start a course you have not agreed to in writing.</p>",
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


def seed_pages(brands) -> None:
    for slug, brand in brands.items():
        for order, (page_slug, title, summary, body) in enumerate(PAGES.get(slug, [])):
            Page.objects.update_or_create(
                brand=brand,
                slug=page_slug,
                defaults={
                    "title": title,
                    "summary": summary,
                    "body": body,
                    "order": order,
                    "is_published": True,
                    "in_menu": True,
                },
            )
        for order, (question, answer, topic_slug) in enumerate(FAQ.get(slug, [])):
            topic = Topic.objects.filter(slug=topic_slug).first() if topic_slug else None
            FaqEntry.objects.update_or_create(
                brand=brand,
                question=question,
                defaults={"answer": answer, "topic": topic, "order": order},
            )
