"""The public pages of treatments and clinicians."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles.models import Article, in_page_language, with_translations
from care import structured_data
from care.models import Clinician, Treatment
from clinic import links
from clinic.structured_data import breadcrumb_list
from pages.models import FaqEntry


def consult_url(treatment) -> str:
    """The consultation form with this treatment chosen."""
    return reverse("appointments:form") + "?" + urlencode({"treatment": treatment.slug})


def _crumbs(request, *trail):
    return breadcrumb_list(request, [(_("Home"), reverse("clinic:home")), *trail])


@require_safe
def treatments(request):
    found = list(Treatment.objects.for_brand(request.brand).published())
    return render(
        request,
        "care/treatments.html",
        {
            "treatments": found,
            "breadcrumbs": _crumbs(request, (_("Treatments"), reverse("care:treatments"))),
        },
    )


@require_safe
def treatment(request, slug):
    brand = request.brand
    found = Treatment.objects.for_brand(brand).published().filter(slug=slug).first()
    if found is None:
        raise Http404(_("No such treatment."))
    related = [article.pk for article in found.related_articles.all()]
    articles = in_page_language(
        Article.objects.live()
        .for_brand(brand)
        .filter(with_translations(related))
        .only("title", "slug", "summary", "language", "translation_of")
    )
    questions = list(FaqEntry.objects.for_brand(brand).published().filter(treatment=found))
    # Only this brand's published clinicians, however many brands a person works for.
    team = list(Clinician.objects.for_brand(brand).published().filter(treatments=found))
    url = links.here(request, found.get_absolute_url())
    # The questions are marked up once, as the brand's FAQ page (/faq/) does: the
    # same FAQPage on two pages would be two answers to one question.
    data = [structured_data.medical_therapy(found, url, request)]
    return render(
        request,
        "care/treatment.html",
        {
            "treatment": found,
            "articles": articles,
            "questions": questions,
            "team": team,
            "consult_url": consult_url(found),
            "structured_data": data,
            "breadcrumbs": _crumbs(
                request,
                (_("Treatments"), reverse("care:treatments")),
                (found.name, found.get_absolute_url()),
            ),
        },
    )


@require_safe
def clinicians(request):
    return render(
        request,
        "care/clinicians.html",
        {
            "clinicians": list(Clinician.objects.for_brand(request.brand).published()),
            "breadcrumbs": _crumbs(request, (_("Our clinicians"), reverse("care:clinicians"))),
        },
    )


@require_safe
def clinician(request, slug):
    brand = request.brand
    found = Clinician.objects.for_brand(brand).published().filter(slug=slug).first()
    if found is None:
        raise Http404(_("No such clinician."))
    # What belongs to this brand only: its locations, treatments and articles.
    locations = list(found.locations.filter(brand=brand, is_active=True))
    provides = list(Treatment.objects.for_brand(brand).published().filter(clinicians=found))
    live = (
        Article.objects.live().for_brand(brand).only("title", "slug", "language", "translation_of")
    )
    written = in_page_language(live.filter(written_by=found)[:20])[:10]
    reviewed = in_page_language(live.filter(reviewed_by=found).exclude(written_by=found)[:20])[:10]
    url = links.here(request, found.get_absolute_url())
    return render(
        request,
        "care/clinician.html",
        {
            "clinician": found,
            "locations": locations,
            "provides": provides,
            "written": written,
            "reviewed": reviewed,
            "structured_data": structured_data.person(found, url, request, locations),
            "breadcrumbs": _crumbs(
                request,
                (_("Our clinicians"), reverse("care:clinicians")),
                (found.name, found.get_absolute_url()),
            ),
        },
    )
