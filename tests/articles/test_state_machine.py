"""An article's status has one state machine (``articles.services.MOVES``): the admin,
its list actions and the medical review all move it there, and nothing else does
(tests/architecture/test_only_services_write.py reads the code for other setters)."""

import pytest
from django.core.exceptions import ValidationError

from articles import review, services
from articles.models import Article, Status
from tests.factories import article

ALL = [Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED]
# What a person expects of a clinic's articles: a live article is taken off the site
# before anything else happens to its status; its edits wait beside it instead.
EXPECTED = {
    (Status.DRAFT, Status.DRAFT),
    (Status.DRAFT, Status.IN_REVIEW),
    (Status.DRAFT, Status.PUBLISHED),
    (Status.IN_REVIEW, Status.IN_REVIEW),
    (Status.IN_REVIEW, Status.DRAFT),
    (Status.IN_REVIEW, Status.PUBLISHED),
    (Status.PUBLISHED, Status.PUBLISHED),
    (Status.PUBLISHED, Status.DRAFT),
}


def test_the_table_is_what_staff_expect():
    table = {(start, end) for start, ends in services.MOVES.items() for end in ends}
    assert table == EXPECTED


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("end", ALL)
def test_every_move_goes_through_the_table(brand_a, superuser, start, end):
    piece = article(brand_a, slug=f"from-{start}-to-{end}", status=start)
    if (start, end) in EXPECTED:
        moved = services.set_status(piece, end, user=superuser)
        assert moved.status == end
        assert Article.objects.across_brands().get(pk=piece.pk).status == end
    else:
        with pytest.raises(ValidationError):
            services.set_status(piece, end, user=superuser)
        assert Article.objects.across_brands().get(pk=piece.pk).status == start


def test_the_review_moves_a_draft_through_the_same_table(brand_a, superuser, editor_a):
    from care.models import Clinician
    from clinic.models import Role
    from tests.factories import staff

    login = staff("dr_lee", (brand_a, Role.EDITOR))
    login.email = "lee@alpha.example"
    login.save()
    doctor = Clinician.objects.create(name="Dr Lee", slug="dr-lee", account=login)
    doctor.brands.set([brand_a])
    draft = article(brand_a, slug="a-draft", status=Status.DRAFT, author=editor_a)
    sent = review.send(draft, user=editor_a, clinician=doctor)
    assert Article.objects.across_brands().get(pk=draft.pk).status == Status.IN_REVIEW
    review.decide(sent, approve=False, comment="Say which study.")
    assert Article.objects.across_brands().get(pk=draft.pk).status == Status.DRAFT
    live = article(brand_a, slug="live", author=editor_a)
    review.send(live, user=editor_a, clinician=doctor)
    assert Article.objects.across_brands().get(pk=live.pk).status == Status.PUBLISHED


def test_a_refused_move_says_why_in_words(brand_a):
    live = article(brand_a, slug="live-one")
    with pytest.raises(ValidationError) as refused:
        services._move(live, Status.IN_REVIEW)
    assert refused.value.messages == ["An article that is published cannot become in review."]
