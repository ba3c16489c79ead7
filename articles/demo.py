"""Demo topics and articles (used by ``seed_demo``). Written by this team.

Articles are created once, keyed on their slug, so a re-run keeps staff edits.
"""

from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles import review
from articles.models import Article, OutsideReviewer, Status, Topic
from clinic.demo import demo_picture
from clinic.models import Brand

CONTENT = Path(__file__).resolve().parent / "demo_content"

TOPICS = [
    ("Sleep", "sleep", "How sleep, mood and treatment affect one another."),
    ("PTSD", "ptsd", "Post-traumatic stress: symptoms, therapies and new options."),
    ("Depression", "depression", "Depression, including forms that resist first treatments."),
    ("Chronic pain", "chronic-pain", "Long-lasting pain and how it is treated."),
    ("Treatment basics", "treatment-basics", "What to expect from ketamine therapy, step by step."),
    ("Clinic news", "clinic-news", "Costs, insurance and news from our clinics."),
]
NOT_HEALTH = {"clinic-news"}

REVIEWERS = {
    "ignite": "Dr. Maya Okafor, MD, psychiatrist",
    "kmd": "Dr. Luis Serrano, MD, anesthesiologist",
}

# slug, title, summary, file, topics, brands (first is canonical), days ago, status
ARTICLES = [
    (
        "can-ketamine-therapy-help-you-sleep",
        "Can ketamine therapy help you sleep?",
        "What is known about ketamine, mood and sleep: possible benefits, risks, what a "
        "session is like, and why it is not a sleeping pill.",
        "sleep.html",
        ["sleep", "depression"],
        ["ignite"],
        3,
        Status.PUBLISHED,
    ),
    (
        "can-ketamine-infusion-therapy-help-treat-ptsd",
        "Can ketamine infusion therapy help treat PTSD?",
        "How ketamine infusions are being used for post-traumatic stress, what studies show "
        "so far, the risks, and what a course of treatment involves.",
        "ptsd.html",
        ["ptsd"],
        ["kmd", "ignite"],
        5,
        Status.PUBLISHED,
    ),
    (
        "ketamine-and-treatment-resistant-depression",
        "Ketamine and treatment-resistant depression",
        "When first treatments have not helped enough: what the research on ketamine "
        "shows and what to weigh up.",
        "depression.html",
        ["depression"],
        ["ignite"],
        12,
        Status.PUBLISHED,
    ),
    (
        "what-happens-during-a-ketamine-infusion",
        "What happens during a ketamine infusion",
        "A walk through the day of a first infusion, from fasting to the ride home.",
        "infusion_day.html",
        ["treatment-basics"],
        ["kmd", "ignite"],
        9,
        Status.PUBLISHED,
    ),
    (
        "ketamine-side-effects-and-safety",
        "Ketamine side effects and safety",
        "The side effects we discuss with every patient, how we monitor them, and when to call us.",
        "side_effects.html",
        ["treatment-basics"],
        ["ignite"],
        20,
        Status.PUBLISHED,
    ),
    (
        "ketamine-for-chronic-pain",
        "Ketamine for chronic pain: an overview",
        "Which kinds of long-lasting pain ketamine has been studied for, and how it fits "
        "with other care.",
        "chronic_pain.html",
        ["chronic-pain"],
        ["kmd"],
        30,
        Status.PUBLISHED,
    ),
    (
        "ketamine-and-anxiety",
        "Ketamine and anxiety: what we know so far",
        "An early look at the evidence on ketamine for anxiety (draft for medical review).",
        "anxiety.html",
        ["depression"],
        ["ignite"],
        None,
        Status.IN_REVIEW,
    ),
    (
        "costs-and-insurance",
        "Costs and insurance for infusion therapy",
        "How consultations and infusion courses are priced and what insurance may cover.",
        "costs.html",
        ["clinic-news"],
        ["kmd"],
        -7,  # scheduled: appears a week after seeding
        Status.PUBLISHED,
    ),
]


# Drawn for the demo (bin/draw_pictures.py): the picture and its description.
PICTURES = {
    "can-ketamine-therapy-help-you-sleep": (
        "article-sleep.jpg",
        "A drawing of dark hills under a crescent moon and a few stars.",
    ),
    "can-ketamine-infusion-therapy-help-treat-ptsd": (
        "article-dawn.jpg",
        "A drawing of warm hills at dawn, the sun just above them.",
    ),
    "what-happens-during-a-ketamine-infusion": (
        "article-day.jpg",
        "A drawing of green hills under a pale morning sun.",
    ),
}
SPANISH_ALT = {
    "article-sleep.jpg": "Un dibujo de colinas oscuras bajo una luna creciente y estrellas.",
    "article-dawn.jpg": "Un dibujo de colinas cálidas al amanecer, con el sol justo encima.",
    "article-day.jpg": "Un dibujo de colinas verdes bajo un pálido sol de mañana.",
}


def _spanish_alt(original: Article) -> str:
    picture = PICTURES.get(original.slug)
    if not original.hero_image or picture is None:
        return ""
    return SPANISH_ALT[picture[0]]


def seed_topics() -> dict[str, Topic]:
    topics = {}
    for name, slug, description in TOPICS:
        topics[slug], _ = Topic.objects.get_or_create(
            slug=slug,
            defaults={
                "name_en": name,
                "description_en": description,
                "is_health_topic": slug not in NOT_HEALTH,
            },
        )
    return topics


def seed_articles(brands: dict[str, Brand], today: date) -> list[Article]:
    topics = seed_topics()
    User = get_user_model()
    now = timezone.now()
    seeded = []
    for slug, title, summary, filename, topic_slugs, brand_slugs, days_ago, status in ARTICLES:
        existing = Article.objects.across_brands().filter(slug=slug).first()
        if existing is not None:
            existing.brands.add(*[brands[b] for b in brand_slugs])  # brands added later
            seeded.append(existing)
            continue
        canonical = brands[brand_slugs[0]]
        health = any(t not in NOT_HEALTH for t in topic_slugs)
        article = Article(
            slug=slug,
            title=title,
            summary=summary,
            body=(CONTENT / filename).read_text(encoding="utf-8"),
            canonical_brand=canonical,
            author=User.objects.filter(username=f"{canonical.slug}-editor").first(),
            reviewer_name=REVIEWERS[canonical.slug] if health and days_ago is not None else "",
            last_reviewed=today - timedelta(days=40) if health and days_ago is not None else None,
            status=status,
            publish_at=now - timedelta(days=days_ago) if days_ago is not None else None,
        )
        picture = PICTURES.get(slug)
        if picture is not None:
            article.hero_image = demo_picture(picture[0])
            article.hero_alt = picture[1]
        article.save()
        article.topics.set([topics[t] for t in topic_slugs])
        article.main_topic = topics[topic_slugs[0]]
        article.save(update_fields=["main_topic"])
        article.brands.set([brands[b] for b in brand_slugs])
        review.record_earlier_approval(article)  # its reviewer approved this text
        seeded.append(article)
    return seeded


# K\MD's explainers in Spanish, written by this team and medically reviewed on their own:
# (slug, the English article's slug, title, summary, file, brands).
SPANISH_ARTICLES = [
    (
        "puede-la-terapia-de-infusion-de-ketamina-ayudar-con-el-tept",
        "can-ketamine-infusion-therapy-help-treat-ptsd",
        "¿Puede la terapia de infusión de ketamina ayudar con el TEPT?",
        "Cómo se usan las infusiones de ketamina para el estrés postraumático, qué muestran "
        "los estudios hasta ahora, los riesgos y en qué consiste una serie de tratamiento.",
        "ptsd.es.html",
        ["kmd"],
    ),
    (
        "que-pasa-durante-una-infusion-de-ketamina",
        "what-happens-during-a-ketamine-infusion",
        "Qué pasa durante una infusión de ketamina",
        "El día de una primera infusión paso a paso, desde el ayuno hasta el regreso a casa.",
        "infusion_day.es.html",
        ["kmd"],
    ),
]


def seed_spanish_articles(brands: dict[str, Brand], today: date) -> None:
    """The Spanish versions, published beside their English originals."""
    User = get_user_model()
    for slug, original_slug, title, summary, filename, brand_slugs in SPANISH_ARTICLES:
        original = Article.objects.across_brands().filter(slug=original_slug).first()
        if original is None or Article.objects.across_brands().filter(slug=slug).exists():
            continue
        canonical = brands[brand_slugs[0]]
        article = Article(
            slug=slug,
            language="es",
            translation_of=original,
            title=title,
            summary=summary,
            body=(CONTENT / filename).read_text(encoding="utf-8"),
            canonical_brand=canonical,
            author=User.objects.filter(username=f"{canonical.slug}-editor").first(),
            reviewer_name=REVIEWERS[canonical.slug],
            last_reviewed=today - timedelta(days=30),
            status=Status.PUBLISHED,
            publish_at=original.publish_at,
            hero_image=original.hero_image,
            hero_alt=_spanish_alt(original),
            hero_renditions=original.hero_renditions,
            main_topic=original.main_topic,
        )
        article.save()
        article.topics.set(original.topics.all())
        article.brands.set([brands[b] for b in brand_slugs])
        review.record_earlier_approval(article)


# One outside reviewer a brand, on the list its brand admin keeps (names invented).
OUTSIDE_REVIEWERS = {
    "ignite": ("Dr. Priya Natarajan", "MD, sleep medicine", "p.natarajan@review.example"),
    "kmd": ("Dr. Tomás Ibarra", "PharmD, clinical pharmacology", "t.ibarra@review.example"),
}


def seed_outside_reviewers(brands: dict[str, Brand]) -> None:
    for slug, (name, credentials, email) in OUTSIDE_REVIEWERS.items():
        OutsideReviewer.objects.across_brands().get_or_create(
            brand=brands[slug], email=email, defaults={"name": name, "credentials": credentials}
        )
