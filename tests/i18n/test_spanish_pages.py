"""Every word a Spanish reader meets on the demo's pages and in its e-mails is Spanish.

A message with no Spanish translation is shown in English without a warning; the
recorder (tests/i18n/untranslated.py) lists each one looked up while the pages render.
"""

from datetime import timedelta

from django.template import loader
from django.utils import timezone, translation

from appointments import notify, self_service
from appointments.models import ConsultationRequest, NotificationKind
from articles.models import Article
from outbox.models import Message
from tests.conftest import client_for
from tests.html.test_validity import page_paths
from tests.i18n.untranslated import untranslated_messages


def test_the_spanish_pages_and_the_patient_messages_have_no_english_left(demo):
    client = client_for(host="kmd.localhost:8000")
    with untranslated_messages() as missing:
        spanish = Article.objects.across_brands().filter(language="es", brands__slug="kmd")
        paths = [f"/es{path}" for path in page_paths("kmd") if not path.startswith("/articles/")]
        paths += ["/es/articles/", "/es/articles/search/?q=infusiones", "/es/articles/topic/ptsd/"]
        paths += [article.get_absolute_url() for article in spanish]
        assert len(paths) == 18  # every page type, and both Spanish explainers
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 404), path
            assert '<html lang="es">' in response.content.decode(), path
        client.post("/es/consultation/", {"name": "", "email": "no", "phone": "1", "slot": "x"})
        request = ConsultationRequest.objects.filter(brand__slug="kmd").first()
        request.language = "es"
        request.save()
        # The patient's own page, its refusals, and a link that finds nothing.
        own = self_service.link_for(request)
        assert client.get(own).status_code == 200
        client.post(own, {"action": "availability"})
        client.post(own, {"action": "cancel"})
        assert client.get("/es/consultation/manage/forged/").status_code == 410
        request.confirmed_slot = timezone.now() + timedelta(days=2)
        for kind in (
            NotificationKind.ACKNOWLEDGMENT,
            NotificationKind.CONFIRMATION,
            NotificationKind.RESCHEDULE,
            NotificationKind.CANCELLATION,
        ):
            notice = Message(
                about=request, kind=kind, details={"previous_slot": request.confirmed_slot}
            )
            message = notify.build_message(notice, request)
            assert message is not None
        with translation.override("es"):
            for name in ("500.html", "503.html"):
                loader.get_template(name).render({"brand_name": "K\\MD", "phone": ""})
    assert sorted(missing) == []
