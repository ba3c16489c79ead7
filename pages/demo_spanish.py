"""The K\\MD demo in Spanish: its banner, home page, pages, questions, treatments, care
team, topics and holiday names, written by this team for South Florida's Spanish
speakers (``seed_demo`` runs it after the English demo).

Each text goes into the ``_es`` column of a row the English demo made, found by its
stable English key; a row staff have since translated keeps their words.
"""

from articles.models import Topic
from care.models import Clinician, Treatment
from clinic import public_holidays
from clinic.demo import privacy_notice
from clinic.models import Brand, SpecialHours
from pages.demo import demo_text
from pages.models import FaqEntry, HomeSection, MenuLink, Page

BRAND = {
    "tagline_es": "La clínica de infusiones de ketamina del sur de Florida · Consultas esta semana",
    "cta_heading_es": "¿Quiere hablar sobre la terapia de infusión?",
    "cta_text_es": (
        "Nuestro equipo del sur de Florida le explica si usted podría ser candidato, en qué "
        "consiste una serie de infusiones y cuánto cuesta. Solicite una consulta y le "
        "llamaremos."
    ),
    "privacy_notice_es": privacy_notice("kmd", "es"),
}

TOPICS = {
    "sleep": ("Sueño", "Cómo se influyen el sueño, el estado de ánimo y el tratamiento."),
    "ptsd": ("TEPT", "Estrés postraumático: síntomas, terapias y nuevas opciones."),
    "depression": (
        "Depresión",
        "La depresión, incluidas las formas que no ceden al primer tratamiento.",
    ),
    "chronic-pain": ("Dolor crónico", "El dolor que dura mucho tiempo y cómo se trata."),
    "treatment-basics": (
        "Lo básico del tratamiento",
        "Qué esperar de la terapia con ketamina, paso a paso.",
    ),
    "clinic-news": ("Noticias de la clínica", "Costos, seguros y novedades de nuestras clínicas."),
}

PAGES = {
    "first-visit": {
        "title_es": "Su primera visita",
        "summary_es": (
            "Su primera visita paso a paso: la llamada previa, qué traer, la consulta y "
            "su primer día de infusión."
        ),
        "body_es": demo_text("kmd-first-visit.es"),
    },
    "costs": {
        "title_es": "Costos y seguro médico",
        "summary_es": (
            "Precios por sesión y por serie, lo que el seguro podría cubrir, HSA y FSA, "
            "superbills y planes de pago."
        ),
        "body_es": demo_text("kmd-costs.es"),
    },
    "about": {
        "title_es": "Quiénes somos",
        "summary_es": (
            "Una clínica de infusiones dirigida por médicos en el sur de Florida: nuestro "
            "equipo, en qué creemos y dónde estamos."
        ),
        "body_es": demo_text("kmd-about.es"),
    },
}

FAQ = {
    "How long is an infusion?": (
        "¿Cuánto dura una infusión?",
        "<p>Unos cuarenta minutos, y luego un rato de descanso. Calcule dos horas en "
        "total y organice quién le lleve a casa.</p>",
    ),
    "Is ketamine used for PTSD?": (
        "¿Se usa la ketamina para el TEPT?",
        "<p>Se está estudiando para el TEPT y algunas clínicas la ofrecen después de una "
        "evaluación. Antes de que decida, le explicamos lo que se sabe y lo que no.</p>",
    ),
    "Can I be seen in Spanish?": (
        "¿Me pueden atender en español?",
        "<p>Sí. Varias personas de nuestro equipo hablan español; elija español en el "
        "formulario de consulta y le llamará alguien que lo habla.</p>",
    ),
    "Do I need to fast before an infusion?": (
        "¿Tengo que estar en ayunas antes de una infusión?",
        "<p>No coma nada durante las cuatro horas anteriores a la infusión; puede tomar "
        "líquidos claros hasta dos horas antes. Le enviamos los detalles con su cita.</p>",
    ),
    "How soon could I notice a difference?": (
        "¿Cuándo podría notar una diferencia?",
        "<p>Algunas personas notan cambios en las primeras infusiones, otras más tarde y "
        "otras no los notan. Revisamos su avance con usted a mitad de la serie.</p>",
    ),
    "Who can not have ketamine infusions?": (
        "¿Quién no puede recibir infusiones de ketamina?",
        "<p>Es posible que no puedan recibirlas las personas con algunas afecciones del "
        "corazón, presión arterial alta no controlada, antecedentes de psicosis o que "
        "estén embarazadas. La consulta de elegibilidad lo revisa con cuidado.</p>",
    ),
}

HOME = {
    "hero": {
        "heading_es": "Infusiones de ketamina en Miami y Fort Lauderdale",
        "image_alt_es": "Un dibujo de colinas onduladas bajo un sol bajo y cálido.",
        "text_es": (
            "<p>Atención de infusión dirigida por médicos, con personal de enfermería a "
            "su lado en todo momento. Nuestro equipo habla inglés y español.</p>"
        ),
    },
    "locations": {"heading_es": "Dos clínicas en el sur de Florida"},
    "treatments": {"heading_es": "Atención de infusión"},
    "faq": {"heading_es": "Antes de su primera infusión"},
    "clinicians": {"heading_es": "Su equipo de atención"},
    "testimonials": {"heading_es": "En sus palabras"},
}

LINKS = {"Your first visit": "Su primera visita", "Treatments": "Tratamientos"}

TREATMENTS = {
    "eligibility-consultation": {
        "name_es": "Consulta de elegibilidad",
        "summary_es": (
            "Sepa si las infusiones podrían ser adecuadas para usted, en qué consisten y "
            "cuánto cuestan, antes de comprometerse a nada."
        ),
        "who_for_es": (
            "<p>Cualquier persona que esté pensando en infusiones de ketamina, con o sin "
            "una derivación médica.</p>"
        ),
        "what_to_expect_es": (
            "<p>Una visita de 45 minutos con un médico: su historia clínica, un breve "
            "examen físico y tiempo para sus preguntas.</p>"
        ),
        "duration_es": "Unos 45 minutos",
        "price_note_es": "se descuenta de su primera infusión",
        "insurance_note_es": "A veces se cubre como visita a un especialista.",
    },
    "ketamine-infusion-series": {
        "name_es": "Serie de infusiones de ketamina",
        "summary_es": (
            "Seis infusiones intravenosas a lo largo de dos o tres semanas, administradas "
            "y vigiladas por nuestro personal de enfermería y nuestros médicos."
        ),
        "who_for_es": (
            "<p>Adultos con depresión resistente al tratamiento o TEPT que ya tuvieron "
            "una consulta de elegibilidad.</p>"
        ),
        "what_to_expect_es": (
            "<p>Cada infusión dura unos 40 minutos, seguidos de descanso. Calcule dos "
            "horas y organice quién le lleve a casa.</p>"
        ),
        "duration_es": "Unas 2 horas por visita, seis visitas",
        "price_note_es": "por infusión",
        "insurance_note_es": "Rara vez se cubre. Hay planes de pago; pregúntenos.",
    },
    "booster-infusion": {
        "name_es": "Infusión de refuerzo",
        "summary_es": (
            "Una sola infusión para pacientes que terminaron una serie y cuyos síntomas "
            "están volviendo."
        ),
        "who_for_es": (
            "<p>Pacientes que completaron una serie con nosotros, después de una revisión "
            "con el médico.</p>"
        ),
        "what_to_expect_es": "<p>La misma visita que en su serie: unas dos horas en total.</p>",
        "duration_es": "Unas 2 horas",
        "price_note_es": "por infusión",
        "insurance_note_es": "Rara vez se cubre.",
    },
}

CLINICIANS = {
    "luis-serrano": {
        "photo_alt_es": "Un retrato dibujado de Luis Serrano.",
        "job_title_es": "Anestesiólogo, responsable de infusiones",
        "specialties_es": "Infusiones de ketamina, Seguridad del paciente",
        "bio_es": (
            "<p>El Dr. Serrano trabajó quince años en anestesia hospitalaria antes de fundar "
            "el servicio de infusiones de K\\MD. Define los controles de seguridad que sigue "
            "cada infusión y revisa los artículos de la clínica.</p>"
        ),
    },
    "ana-beltran": {
        "photo_alt_es": "Un retrato dibujado de Ana Beltrán.",
        "job_title_es": "Enfermera de infusiones",
        "specialties_es": "Atención durante la infusión, Educación del paciente",
        "bio_es": (
            "<p>Ana le acompaña durante toda la infusión: le explica cada paso, vigila su "
            "presión arterial y su respiración, y se asegura de que esté listo para volver "
            "a casa.</p>"
        ),
    },
    "samuel-reyes": {
        "photo_alt_es": "Un retrato dibujado de Samuel Reyes.",
        "job_title_es": "Psiquiatra consultor",
        "specialties_es": "Depresión, TEPT",
        "bio_es": (
            "<p>El Dr. Reyes es consultor de las dos clínicas del grupo, sobre todo por "
            "video. Atiende a los pacientes con una historia compleja antes de acordar una "
            "serie de tratamiento.</p>"
        ),
    },
}


def _fill(row, values: dict) -> None:
    """Write each Spanish text the row does not have yet (staff's own words stay)."""
    changed = [name for name, text in values.items() if not getattr(row, name)]
    for name in changed:
        setattr(row, name, values[name])
    if changed:
        row.save()


def seed_spanish(brands) -> None:
    brand = brands.get("kmd")
    for slug, (name, description) in TOPICS.items():
        for topic in Topic.objects.filter(slug=slug):
            _fill(topic, {"name_es": name, "description_es": description})
    if brand is None or "es" not in brand.language_codes:
        return
    _fill(Brand.objects.get(pk=brand.pk), BRAND)
    for page in Page.objects.for_brand(brand).filter(slug__in=PAGES):
        _fill(page, PAGES[page.slug])
    for entry in FaqEntry.objects.for_brand(brand).filter(question_en__in=FAQ):
        question, answer = FAQ[entry.question_en]
        _fill(entry, {"question_es": question, "answer_es": answer})
    for section in HomeSection.objects.for_brand(brand).filter(kind__in=HOME):
        _fill(section, HOME[section.kind])
    for link in MenuLink.objects.for_brand(brand).filter(label_en__in=LINKS):
        _fill(link, {"label_es": LINKS[link.label_en]})
    for treatment in Treatment.objects.for_brand(brand).filter(slug__in=TREATMENTS):
        _fill(treatment, TREATMENTS[treatment.slug])
    for person in Clinician.objects.filter(brands=brand, slug__in=CLINICIANS):
        _fill(person, CLINICIANS[person.slug])
    days = SpecialHours.objects.filter(location__brand=brand, label_es="").exclude(label_en="")
    for pk, english in days.values_list("pk", "label_en"):
        spanish = public_holidays.name_in(english, "es")
        if spanish:
            SpecialHours.objects.filter(pk=pk).update(label_es=spanish)
