"""Content in each language: staff's texts per language with a stated fallback, and
articles whose language versions are pages of their own."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, Status
from care.models import Treatment
from pages.models import FaqEntry, MenuLink, Page
from portal.translated import lang_of
from tests.conftest import HOST_B, client_for
from tests.factories import admin_data, article, reference_location
from tests.sitemaps import sitemap_documents, sitemap_text


@pytest.fixture
def bilingual(brand_b):
    brand_b.languages = "en es"
    brand_b.tagline_en = "Infusion care in Miami"
    brand_b.tagline_es = "Atención de infusión en Miami"
    brand_b.save()
    reference_location(brand_b, slug="brickell", name="Brickell")
    return brand_b


def html_of(path: str) -> str:
    response = client_for(host=HOST_B).get(path)
    assert response.status_code == 200, path
    return response.content.decode()


# --- staff's texts ---------------------------------------------------------------------


def test_a_translated_text_is_read_in_the_page_language_and_falls_back_marked(bilingual):
    page = Page.objects.create(
        brand=bilingual, slug="costs", title="Costs", body="<p>Prices.</p>", is_published=True
    )
    with translation.override("es"):
        assert page.title == "Costs" and lang_of(page, "title") == "en"
    page.title_es = "Costos"
    page.save()
    with translation.override("es"):
        assert page.title == "Costos" and lang_of(page, "title") == "es"
        assert page.body == "<p>Prices.</p>" and lang_of(page, "body") == "en"
    assert page.title == "Costs"


def test_spanish_pages_show_the_spanish_text_and_mark_what_is_still_english(bilingual):
    Page.objects.create(
        brand=bilingual,
        slug="costs",
        title="Costs",
        title_es="Costos",
        body="<p>Prices.</p>",
        is_published=True,
    )
    FaqEntry.objects.create(
        brand=bilingual, question="How long?", question_es="¿Cuánto dura?", answer="<p>An hour.</p>"
    )
    spanish = html_of("/es/costs/")
    assert '<h1 id="page-title">Costos</h1>' in spanish
    # The body has no Spanish yet: shown in English, and said to be English.
    assert '<div class="article-body" lang="en"><p>Prices.</p></div>' in spanish
    assert 'lang="es"' in spanish and "Atención de infusión en Miami" in spanish
    faq = html_of("/es/faq/")
    assert "<summary>¿Cuánto dura?</summary>" in faq
    assert '<div class="article-body mt-2" lang="en"><p>An hour.</p></div>' in faq
    english = html_of("/costs/")
    assert '<h1 id="page-title">Costs</h1>' in english and 'lang="en"><p>' not in english


def test_the_menu_reads_each_language_and_its_links_keep_the_language(bilingual):
    MenuLink.objects.create(
        brand=bilingual,
        place="header",
        label="Your first visit",
        label_es="Su primera visita",
        link="/first-visit/",
    )
    MenuLink.objects.create(brand=bilingual, place="footer", label="Careers", link="/careers/")
    spanish = html_of("/es/")
    assert '<a class="nav-link" href="/es/first-visit/">Su primera visita</a>' in spanish
    assert '<a href="/es/careers/" lang="en">Careers</a>' in spanish
    english = html_of("/")
    assert '<a class="nav-link" href="/first-visit/">Your first visit</a>' in english


def test_staff_write_each_language_in_the_admin_and_bad_input_is_refused(bilingual, staff_b):
    client = client_for(staff_b, host=HOST_B)
    data = admin_data(
        Treatment,
        {
            "brand": bilingual.pk,
            "name": "Assessment",
            "name_es": "Evaluación",
            "slug": "assessment",
            "summary": "A first visit.",
            "summary_es": "<script>alert(1)</script> Una primera visita.",
            "currency": "USD",
            "order": "0",
            "is_published": "on",
        },
    )
    page = client.get(reverse("admin:care_treatment_add")).content.decode()
    assert 'name="name_en"' in page and 'name="name_es"' in page
    assert "Name [es]" in page
    too_long = client.post(reverse("admin:care_treatment_add"), {**data, "name_es": "x" * 121})
    assert too_long.status_code == 200 and "at most 120" in too_long.content.decode()
    assert not Treatment.objects.exists()
    saved = client.post(reverse("admin:care_treatment_add"), data)
    assert saved.status_code == 302
    spanish = html_of("/es/treatments/assessment/")
    assert ">Evaluación</h1>" in spanish
    assert "<script>alert(1)</script>" not in spanish and "&lt;script&gt;" in spanish
    # Two untranslated names are no duplicates; two equal English names are.
    second = {**data, "slug": "other", "name_es": ""}
    assert client.post(reverse("admin:care_treatment_add"), second).status_code == 200
    third = {**data, "slug": "third", "name_en": "Infusion", "name_es": ""}
    assert client.post(reverse("admin:care_treatment_add"), third).status_code == 302


# --- articles in each language -----------------------------------------------------------


@pytest.fixture
def explainer(bilingual):
    original = article(bilingual, slug="ptsd-explained", title="PTSD explained")
    spanish = article(
        bilingual, slug="el-tept-explicado", title="El TEPT explicado", topics=("ptsd",)
    )
    spanish.language, spanish.translation_of = "es", original
    spanish.save()
    return original, spanish


def test_each_list_shows_its_own_language_and_the_pages_pair_up(explainer):
    _original, _spanish = explainer
    english_list, spanish_list = html_of("/articles/"), html_of("/es/articles/")
    assert "PTSD explained" in english_list and "El TEPT explicado" not in english_list
    assert "El TEPT explicado" in spanish_list and "PTSD explained" not in spanish_list
    assert "read all our articles in English" not in spanish_list  # the catalog's Spanish
    assert "vea todos nuestros artículos en inglés" in spanish_list
    page = html_of("/es/articles/el-tept-explicado/")
    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
    assert links == {
        "en": f"http://{HOST_B}/articles/ptsd-explained/",
        "es": f"http://{HOST_B}/es/articles/el-tept-explicado/",
        "x-default": f"http://{HOST_B}/articles/ptsd-explained/",
    }
    assert '"inLanguage": "es"' in page  # what search engines read of it, too
    back = html_of("/articles/ptsd-explained/")
    assert f'href="http://{HOST_B}/es/articles/el-tept-explicado/"' in back
    assert 'href="/es/articles/el-tept-explicado/" hreflang="es"' in back  # the switcher


def test_an_untranslated_article_leads_spanish_readers_to_the_english_page(explainer):
    other = article(explainer[0].brands.first(), slug="sleep-basics", title="Sleep basics")
    client = client_for(host=HOST_B)
    response = client.get("/es/articles/sleep-basics/")
    assert response.status_code == 302 and response["Location"] == other.get_absolute_url()
    # Its page offers no Spanish alternate, and the switcher leads to the Spanish list.
    page = html_of("/articles/sleep-basics/")
    assert 'hreflang="x-default"' not in page
    assert 'href="/es/articles/" hreflang="es"' in page
    # The English address of the Spanish article leads to its English original.
    assert client.get("/articles/el-tept-explicado/")["Location"] == "/articles/ptsd-explained/"


def test_a_translation_waits_for_its_own_medical_review(explainer):
    _original, spanish = explainer
    spanish.status, spanish.publish_at = Status.DRAFT, None
    spanish.save()
    assert client_for(host=HOST_B).get("/es/articles/el-tept-explicado/").status_code == 404
    assert "El TEPT explicado" not in html_of("/es/articles/")


def test_the_sitemap_lists_every_version_with_its_pairs(explainer):
    xml = sitemap_text(HOST_B)
    assert f"<loc>http://{HOST_B}/es/articles/el-tept-explicado/</loc>" in xml
    entry = re.search(r"<url><loc>[^<]*/es/articles/el-tept-explicado/</loc>.*?</url>", xml).group(
        0
    )
    assert f'hreflang="en" href="http://{HOST_B}/articles/ptsd-explained/"' in entry
    assert 'hreflang="x-default"' in entry
    assert f"<loc>http://{HOST_B}/es/locations/</loc>" in xml


def test_versions_in_different_sitemap_files_still_name_each_other(explainer, monkeypatch):
    """One article a file: the English and the Spanish are in two files, and each
    entry still lists both (hreflang needs every version, wherever it is listed)."""
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 1)
    documents = sitemap_documents(HOST_B)
    assert len(documents) == 3  # the site's pages, then one file per article
    for document in documents[1:]:
        assert document.count("<url>") == 1
        assert f'hreflang="en" href="http://{HOST_B}/articles/ptsd-explained/"' in document
        assert f'hreflang="es" href="http://{HOST_B}/es/articles/el-tept-explicado/"' in document


def test_translate_starts_a_draft_once_and_refuses_nonsense(explainer, staff_b, bilingual):
    original, spanish = explainer
    spanish.delete()
    client = client_for(staff_b, host=HOST_B)
    url = reverse("admin:articles_article_translate", args=[original.pk, "es"])
    assert client.get(url).status_code == 405  # a change: POST only, with its CSRF token
    first = client.post(url)
    draft = Article.objects.across_brands().get(translation_of=original)
    assert first["Location"] == reverse("admin:articles_article_change", args=[draft.pk])
    assert (draft.language, draft.status, draft.body) == ("es", Status.DRAFT, original.body)
    assert client.post(url)["Location"] == first["Location"]  # the same draft, not another
    assert Article.objects.across_brands().filter(translation_of=original).count() == 1
    bogus = reverse("admin:articles_article_translate", args=[original.pk, "xx"])
    assert client.post(bogus).status_code == 403


def test_a_second_translation_in_one_language_is_refused(explainer, staff_b):
    original, _spanish = explainer
    another = Article(
        slug="otra",
        title="Otra",
        summary="s",
        body="<p>b</p>",
        language="es",
        translation_of=original,
        canonical_brand=original.canonical_brand,
        status=Status.DRAFT,
        publish_at=timezone.now() - timedelta(days=1),
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already has a translation in this language"):
        another.full_clean()


def test_staff_of_an_english_only_clinic_see_no_spanish_fields(brand_a, editor_a):
    client = client_for(editor_a)
    page = client.get(reverse("admin:pages_faqentry_add")).content.decode()
    assert 'name="question_en"' in page and 'name="question_es"' not in page
    assert "[en]" not in page  # one language: no language codes beside the labels
    # A Spanish value sent anyway is not a field of the form: nothing of it is saved.
    data = {
        "brand": brand_a.pk,
        "question_en": "How long?",
        "question_es": "¿Cuánto?",
        "answer_en": "<p>An hour.</p>",
        "order": "0",
        "is_published": "on",
    }
    assert client.post(reverse("admin:pages_faqentry_add"), data).status_code == 302
    assert FaqEntry.objects.get().question_es == ""
