"""factory-boy factories for the rows tests need."""

from datetime import UTC, datetime

import factory
from django.contrib.auth import get_user_model

from clinic.models import Brand, BrandDomain, BrandMembership, Role

TEST_PASSWORD = "a-test-password-1234"


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Brand {n} Clinic")
    slug = factory.Sequence(lambda n: f"brand{n}")
    tagline = factory.LazyAttribute(lambda o: f"{o.name}: care close to home")
    phone = "+13055550100"
    notification_email = factory.LazyAttribute(lambda o: f"inbox@{o.slug}.example")

    @factory.post_generation
    def hostname(brand, create, extracted, **kwargs):
        if create:
            BrandDomain.objects.get_or_create(
                hostname=extracted or f"{brand.slug}.localhost",
                defaults={"brand": brand, "is_primary": True},
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@staff.example")
    is_staff = True

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or TEST_PASSWORD)
        if create:
            user.save(update_fields=["password"])


def staff(username: str, *roles: tuple[Brand, str]):
    """Return a staff user holding each (brand, role) given."""
    user = UserFactory(username=username)
    for brand, role in roles:
        BrandMembership.objects.update_or_create(user=user, brand=brand, defaults={"role": role})
    return user


__all__ = ["TEST_PASSWORD", "BrandFactory", "Role", "UserFactory", "staff"]


def reference_location(brand, slug="main", name="Main clinic", time_zone="America/New_York", **kw):
    """A location with the reference hours: Mon-Thu 8-4:30, every other Friday."""
    from clinic.demo import reference_hours
    from clinic.models import Location

    location = Location.objects.create(
        brand=brand,
        slug=slug,
        name=name,
        street_address="1 Main Street",
        locality="Miami",
        region="FL",
        postal_code="33131",
        time_zone=time_zone,
        **kw,
    )
    reference_hours(location)  # the demo's hours: the Friday rhythm counts from Nov 13, 2026
    return location


def topic(slug="sleep", name=None, health=True):
    from articles.models import Topic

    found, _ = Topic.objects.get_or_create(
        slug=slug, defaults={"name": name or slug.title(), "is_health_topic": health}
    )
    return found


EARLY_PUBLICATION = datetime(2026, 10, 2, 12, tzinfo=UTC)


def article(*brands, slug="an-article", topics=("sleep",), **fields):
    """A live, reviewed article on ``brands`` (the first is canonical); with a reviewer
    and a review date, its reviewer's approval of its title and text is recorded."""
    from datetime import date, timedelta

    from django.utils import timezone

    from articles.models import Article, Status

    values = {
        "title": slug.replace("-", " ").capitalize(),
        "summary": f"Summary of {slug}.",
        "body": "<h2>First part</h2><p>Some words.</p><h2>Second part</h2><p>More words.</p>",
        "canonical_brand": brands[0],
        "reviewer_name": "Dr. Test Reviewer, MD",
        "last_reviewed": date(2026, 10, 1),
        "status": Status.PUBLISHED,
        # Before every date the tests travel to, whatever day they run on.
        "publish_at": min(timezone.now() - timedelta(days=1), EARLY_PUBLICATION),
    }
    values.update(fields)
    created = Article.objects.create(slug=slug, **values)
    created.brands.set(brands)
    created.topics.set([topic(t) for t in topics])
    if topics:
        created.main_topic = topic(topics[0])
        created.save(update_fields=["main_topic"])
    if created.reviewer_name and created.last_reviewed:
        # A reviewed article: its reviewer approved this very content.
        from articles.models import Decision, MedicalReview

        content = created.live_content()
        MedicalReview.objects.create(
            article=created,
            reviewer_name=created.reviewer_name,
            fingerprint=content.fingerprint(),
            content=content.to_json(),
            decision=Decision.APPROVED,
            decided_at=timezone.now(),
        )
    return created


def admin_data(model, data: dict) -> dict:
    """An admin form's POST data naming translated fields once ("title"): each becomes
    the main language's field ("title_en"), as the admin form names it."""
    from portal.translated import Translated

    return {
        (f"{key}_en" if isinstance(getattr(model, key, None), Translated) else key): value
        for key, value in data.items()
    }
