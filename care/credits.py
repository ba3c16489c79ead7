"""Who wrote and who reviewed an article, as one brand's page names them.

A clinician is linked to their profile only where that profile is shown: published and
working for the brand whose page this is. On a shared article another brand's
clinician is named (authorship is a fact) but never linked to another brand's site.
"""

from dataclasses import dataclass

from care.models import Clinician
from clinic.models import BrandMembership


@dataclass(frozen=True)
class Credit:
    name: str
    path: str = ""  # the profile on this brand's site, or "" (no link)
    is_physician: bool = False
    is_person: bool = True  # False: the clinic itself stands as the author


def article_credits(article, brand) -> dict[str, Credit | None]:
    people = [p for p in (article.written_by, article.reviewed_by) if p is not None]
    shown = set()
    if people:
        shown = set(
            Clinician.objects.for_brand(brand)
            .published()
            .filter(pk__in=[p.pk for p in people])
            .values_list("pk", flat=True)
        )

    def credit(person: Clinician) -> Credit:
        path = person.get_absolute_url() if person.pk in shown else ""
        return Credit(person.display_name, path, person.is_physician)

    if article.written_by is not None:
        author = credit(article.written_by)
    elif article.author_id:
        # A staff login is named (by its full name) only on its own brands' pages;
        # elsewhere, or without a full name, the clinic stands as the author.
        login = article.author
        works_here = BrandMembership.objects.filter(user_id=login.pk, brand=brand).exists()
        full_name = login.get_full_name().strip()
        if works_here and full_name:
            author = Credit(full_name)
        else:
            author = Credit(brand.name, is_person=False)
    else:
        author = None
    if article.reviewed_by is not None:
        reviewer = credit(article.reviewed_by)
    elif article.reviewer_name.strip():
        reviewer = Credit(article.reviewer_name.strip())
    else:
        reviewer = None
    return {"author": author, "reviewer": reviewer}
