"""A brand's plain pages and its FAQ page."""

from itertools import groupby

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from clinic.structured_data import breadcrumb_list
from pages.models import FaqEntry, Page
from pages.structured_data import faq_page


def published_faq(brand) -> list[FaqEntry]:
    return list(
        FaqEntry.objects.for_brand(brand)
        .published()
        .select_related("topic", "treatment")
        .order_by("order", "question_en")
    )


@require_safe
def page(request, slug):
    found = Page.objects.for_brand(request.brand).published().filter(slug=slug).first()
    if found is None:
        raise Http404(_("No such page."))
    crumbs = [(_("Home"), reverse("clinic:home")), (found.title, found.get_absolute_url())]
    return render(
        request,
        "pages/page.html",
        {"page": found, "breadcrumbs": breadcrumb_list(request, crumbs)},
    )


def _shown_treatment(entry):
    treatment = entry.treatment
    return treatment if treatment is not None and treatment.is_published else None


def _group_name(entry) -> str:
    if _shown_treatment(entry) is not None:
        return entry.treatment.name
    return entry.topic.name if entry.topic else ""


def _group_rank(entry) -> int:
    return 2 if _shown_treatment(entry) is not None else 1 if entry.topic else 0


@require_safe
def faq(request):
    entries = published_faq(request.brand)
    # Grouped by treatment where a question belongs to one, else by topic; questions
    # with neither come first, as "General".
    entries.sort(key=lambda entry: (_group_rank(entry), _group_name(entry)))
    groups = [
        (name or _("General"), list(items)) for name, items in groupby(entries, key=_group_name)
    ]
    crumbs = [(_("Home"), reverse("clinic:home")), (_("Questions"), reverse("pages:faq"))]
    return render(
        request,
        "pages/faq.html",
        {
            "groups": groups,
            "structured_data": faq_page(entries) if entries else None,
            "breadcrumbs": breadcrumb_list(request, crumbs),
        },
    )
