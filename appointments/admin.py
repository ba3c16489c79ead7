"""The consultation inbox in the admin, brand-scoped through the one mixin."""

from collections import Counter
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from appointments import audit, booking, export, references, report, services
from appointments.models import (
    CLOSED_STATUSES,
    AccessRecord,
    ConsultationRequest,
    RequestNote,
    RequestStatus,
)
from clinic.admin_scoping import (
    BrandChoicesListFilter,
    BrandScopedAdmin,
    BrandScopedStackedInline,
)
from clinic.scoping import scope
from portal.form_fields import field_of

PATIENT_FIELDS = [
    "reference",
    "brand",
    "received",
    "name",
    "email_link",
    "phone_link",
    "contact_method",
    "language",
    "location",
    "topic",
    "treatment",
    "preferred_time_local",
    "preference_note",
    "message",
    "source_article",
    "consent_given",
    "privacy_notice_version",
    "cancellation",
    "earlier_requests",
    "free_times",
]


def clinic_time(value) -> str:
    """Show an instant in the current zone (the clinic's, see ``changeform_view``) with
    the zone's abbreviation, so nobody wonders whose 11:00 it is ("Nov 24, 11:00 PST")."""
    if value is None:
        return "—"
    # DATETIME_FORMAT ends with the zone's abbreviation (portal/formats/en/formats.py).
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def phone_link(phone, country: str) -> str:
    """A phone number as people read it, which also dials on a click or tap."""
    if not phone:
        return "—"
    return format_html('<a href="tel:{}">{}</a>', phone.as_e164, readable_phone(phone, country))


def readable_phone(phone, country: str) -> str:
    """National format for numbers of the clinic's country, international otherwise
    (the CSV's own rule, for a phone number field's value)."""
    return export.readable_phone(phone.as_e164, country)


class NoteInline(BrandScopedStackedInline):
    model = RequestNote
    extra = 1
    fields = ["text", "author", "written"]
    readonly_fields = ["author", "written"]

    @admin.display(description=gettext_lazy("written"))
    def written(self, note):
        return clinic_time(note.created) if note.pk else "—"

    verbose_name_plural = gettext_lazy("internal notes (never shown to the patient)")

    def has_change_permission(self, request, obj=None):
        return False  # notes are a record: add new ones, do not rewrite old ones

    def has_delete_permission(self, request, obj=None):
        return False


class AssigneeListFilter(BrandChoicesListFilter):
    """ "Assigned to": the people requests can be assigned to (front desk and brand
    admins of the user's brands), not the editors and reviewers who never are."""

    def field_choices(self, field, request, model_admin):
        from django.contrib.auth import get_user_model

        # One condition on the same membership: a role in one of the user's brands.
        condition = {"brand_memberships__role__in": services.ASSIGNABLE_ROLES}
        brand_ids = model_admin.brand_ids(request, "view")
        if brand_ids is not None:
            condition["brand_memberships__brand_id__in"] = brand_ids
        people = (
            get_user_model()
            .objects.filter(**condition)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        return [(person.pk, person.get_full_name() or person.get_username()) for person in people]


def _offers_several_languages(request, model_admin) -> bool:
    """Do any of the brands this user works for have a site in more than one language?"""

    # The languages of the user's brands, asked once per request (clinic/admin_scoping).
    return len(model_admin.shown_languages(request)) > 1


class LanguageListFilter(admin.ChoicesFieldListFilter):
    """The patient's language: offered only to staff of a brand with several."""

    def has_output(self):
        return self.shown

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.shown = _offers_several_languages(request, model_admin)
        super().__init__(field, request, params, model, model_admin, field_path)


def same_patient(item):
    """The other requests of the same clinic with this request's e-mail or phone."""
    from django.db.models import Q

    match = Q(email__iexact=item.email) if item.email else Q(pk__in=[])
    if item.phone:
        match |= Q(phone=item.phone)
    return (
        ConsultationRequest.objects.across_brands()
        .filter(brand_id=item.brand_id, anonymised_at__isnull=True)
        .filter(match)
        .exclude(pk=item.pk)
    )


class SamePatientFilter(admin.SimpleListFilter):
    """``?same_patient=<id>``: the requests of the patient of request <id> (the link
    names a request, never an address or a number)."""

    title = gettext_lazy("same patient")
    parameter_name = "same_patient"

    def lookups(self, request, model_admin):
        # Reached from a request's page: offered in the side bar only while in use,
        # where "All" leads back.
        value = request.GET.get(self.parameter_name, "")
        return [(value, _("The patient of the request you came from"))] if value else []

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit() or len(value) > 18:
            return queryset.none()
        found = queryset.model.objects.across_brands().filter(pk=int(value)).first()
        # Only a request this user may see names a patient; the list stays scoped.
        if found is None or not queryset.filter(brand_id=found.brand_id).exists():
            return queryset.none()
        return queryset.filter(pk__in=same_patient(found).values("pk")) | queryset.filter(
            pk=found.pk
        )


class StaffChoiceField(forms.ModelChoiceField):
    """A member of staff by name (their login name only when they have none)."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class RequestForm(forms.ModelForm):
    # Set by the admin when the seat was taken between validation and saving.
    slot_conflict: str | None = None

    class Meta:
        model = ConsultationRequest
        fields = ["status", "assignee", "confirmed_slot", "cancel_reason"]
        widgets = {"cancel_reason": forms.TextInput(attrs={"size": 60})}
        field_classes = {"assignee": StaffChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "assignee" in self.fields:
            field_of(self, "assignee", forms.ModelChoiceField).queryset = services.assignable_users(
                self.instance.brand_id
            )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        # Who may be assigned is settled by the choices (``services.assignable_users``).
        request = self.instance
        slot = data.get("confirmed_slot")
        problems: dict[str, str] = {}
        if data.get("status") == RequestStatus.CANCELLED:
            reason = data.get("cancel_reason") or ""
            problems = services.cancellation_problem(request.status, reason)
        elif data.get("status") == RequestStatus.SCHEDULED:
            problems = services.scheduling_problem(request, slot)
        for field, problem in problems.items():
            self.add_error(field, problem)
        if self.slot_conflict and not self.has_error("confirmed_slot"):
            self.add_error("confirmed_slot", self.slot_conflict)
        return data


class InboxChangeList(ChangeList):
    """The inbox's list, which does not count every request a second time: an
    unfiltered list is the whole inbox, so it offers no "Show all" of itself."""

    def get_results(self, request):
        super().get_results(request)
        if self.full_result_count is None and not (self.has_active_filters or self.query):
            self.full_result_count = self.result_count


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(BrandScopedAdmin):
    form = RequestForm
    change_list_template = "admin/appointments/consultationrequest/change_list.html"
    list_display = [
        "reference",
        "name",
        "phone_link",
        "status",
        "location",
        "topic",
        "when",
        "age",
        "assignee",
    ]
    list_filter = [
        "status",
        "location",
        "topic",
        ("assignee", AssigneeListFilter),
        ("created", admin.DateFieldListFilter),
        ("language", LanguageListFilter),
        SamePatientFilter,
    ]
    list_select_related = ["location", "topic", "assignee", "brand"]
    search_fields = ["reference", "name", "email", "phone"]
    readonly_fields = PATIENT_FIELDS
    fieldsets = [
        (
            gettext_lazy("Request"),
            {
                "fields": [
                    "reference",
                    "brand",
                    "received",
                    "location",
                    "topic",
                    "treatment",
                    "source_article",
                ]
            },
        ),
        (
            gettext_lazy("Patient"),
            {
                "fields": [
                    "name",
                    "email_link",
                    "phone_link",
                    "contact_method",
                    "language",
                    "preferred_time_local",
                    "preference_note",
                    "message",
                    "earlier_requests",
                ]
            },
        ),
        (gettext_lazy("Consent"), {"fields": ["consent_given", "privacy_notice_version"]}),
        (
            gettext_lazy("Handling"),
            {
                "fields": [
                    "free_times",
                    "status",
                    "assignee",
                    "confirmed_slot",
                    "cancel_reason",
                    "cancellation",
                ]
            },
        ),
    ]
    inlines = [NoteInline]
    actions = ["mark_contacted", "mark_completed", "mark_declined", "mark_spam", "assign_to_me"]
    list_per_page = 50
    # "50 results (1,000,000 total)" costs a second count of every request of the
    # brand on each page; the filtered count that paginates the list stays.
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return InboxChangeList

    def has_add_permission(self, request):
        return False  # requests come from patients

    # Columns and read-only fields: times in the clinic's zone, contacts that work ------

    def get_list_display(self, request):
        # Where lists mix brands the brand comes second, beside the reference (the base
        # class would put it last).
        columns = [name for name in super().get_list_display(request) if name != "brand"]
        if self.works_several_brands(request):
            columns.insert(1, "brand")
        return columns

    @admin.display(
        description=gettext_lazy("confirmed or preferred time"), ordering="confirmed_slot"
    )
    def when(self, obj):
        """The confirmed time when there is one (in words that say so), a cancelled one
        struck through, else the patient's preference: one column, not three."""
        if obj.confirmed_slot and obj.status == RequestStatus.SCHEDULED:
            return format_html(
                '<strong class="time-confirmed">{} {}</strong>',
                _("Confirmed"),
                self._local(obj, obj.confirmed_slot),
            )
        if obj.cancelled_slot and obj.status == RequestStatus.CANCELLED:
            return format_html(
                "{} <s>{}</s>", _("Cancelled:"), self._local(obj, obj.cancelled_slot)
            )
        if obj.preferred_slot:
            return format_html("{} {}", _("Prefers"), self._local(obj, obj.preferred_slot))
        return obj.preference_note[:40] or "—"

    @staticmethod
    def _local(obj, instant) -> str:
        zone = obj.location.zone if obj.location else timezone.get_current_timezone()
        local = timezone.localtime(instant, zone)
        # "Tue Nov 24, 10:00 EST"; in Spanish "mar 24 nov, 10:00 EST".
        shown = dateformat.format(local, pgettext("date format", "D M d, H:i"))
        return f"{shown} {local.tzname()}"

    @admin.display(description=gettext_lazy("preferred time"))
    def preferred_time_local(self, obj):
        return clinic_time(obj.preferred_slot)

    @admin.display(description=gettext_lazy("cancellation"))
    def cancellation(self, obj):
        if obj.cancelled_at is None:
            return "—"
        who = (
            obj.cancelled_by.get_full_name() or obj.cancelled_by.get_username()
            if (obj.cancelled_by)
            else _("someone no longer on staff")
        )
        return _("%(slot)s cancelled on %(when)s by %(who)s. The patient was told by e-mail.") % {
            "slot": clinic_time(obj.cancelled_slot),
            "when": clinic_time(obj.cancelled_at),
            "who": who,
        }

    @admin.display(description=gettext_lazy("received"), ordering="created")
    def received(self, obj):
        return clinic_time(obj.created)

    @admin.display(description=gettext_lazy("consent given"))
    def consent_given(self, obj):
        return clinic_time(obj.consent_at)

    @admin.display(description=gettext_lazy("phone"), ordering="phone")
    def phone_link(self, obj):
        """The number, and the language to speak when calling it where that is not the
        site's main one ("ES"): the front desk sees it before dialling."""
        link = phone_link(obj.phone, obj.brand.country)
        if obj.language == settings.LANGUAGE_CODE:
            return link
        name = translation.get_language_info(obj.language)["name_local"]
        return format_html(
            '{} <abbr class="patient-language" title="{}" lang="{}">{}</abbr>',
            link,
            _("Speaks %(language)s") % {"language": name},
            obj.language,
            obj.language.upper(),
        )

    @admin.display(description=gettext_lazy("e-mail"), ordering="email")
    def email_link(self, obj):
        return format_html('<a href="mailto:{}">{}</a>', obj.email, obj.email)

    @admin.display(description=gettext_lazy("earlier requests"))
    def earlier_requests(self, obj):
        count = same_patient(obj).count()
        if not count:
            return _("None: a first request from this e-mail address and phone number.")
        listing = reverse("admin:appointments_consultationrequest_changelist")
        label = ngettext(
            "%(count)d other request from the same e-mail or phone",
            "%(count)d other requests from the same e-mail or phone",
            count,
        ) % {"count": count}
        return format_html('<a href="{}?same_patient={}">{}</a>', listing, obj.pk, label)

    @admin.display(description=gettext_lazy("age"), ordering="created")
    def age(self, obj):
        return naturaltime(obj.created)

    # Search: references and phone numbers as staff type them ---------------------

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            alternatives = queryset.filter(reference=references.normalise(term))
            region = getattr(getattr(request, "brand", None), "country", None) or "US"
            phone = self._as_phone(term, region)
            if phone:
                alternatives = alternatives | queryset.filter(phone=phone)
            results = results | alternatives
        return results, duplicates

    @staticmethod
    def _as_phone(term, region):
        """Read a search term as a phone number, local numbers in the brand's country."""
        import phonenumbers

        try:
            number = phonenumbers.parse(term, region)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_possible_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    # Saving: scheduling books a seat, and the patient gets a confirmation ---------

    def save_model(self, request, obj, form, change):
        services.handle(
            obj,
            status=obj.status,
            confirmed_slot=obj.confirmed_slot,
            assignee=obj.assignee,
            user=request.user,
            reason=form.cleaned_data.get("cancel_reason", ""),
        )
        if change and form.changed_data:
            audit.changed(request.user, obj, form.changed_data)

    def save_formset(self, request, form, formset, change):
        for note in formset.save(commit=False):
            services.add_note(form.instance, note.text, request.user)
            audit.changed(request.user, form.instance, ["note added"])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        zone = timezone.get_current_timezone()
        label = timezone.localtime(timezone.now(), zone).tzname()
        if "confirmed_slot" in form.base_fields:
            form.base_fields["confirmed_slot"].help_text = _(
                "In the clinic's own time: %(zone)s (%(abbreviation)s)."
            ) % {"zone": zone.key.replace("_", " "), "abbreviation": label}
        if not issubclass(form, RequestForm):
            raise TypeError("ConsultationRequestAdmin's form must be a RequestForm")
        form.slot_conflict = getattr(request, "_slot_conflict", None)
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Every time on the page is read and written in the location's own zone, on
        # whichever brand's host the back office was opened.
        with timezone.override(self._clinic_zone(request, object_id)):
            try:
                response = super().changeform_view(request, object_id, form_url, extra_context)
            except (booking.SlotFull, ValidationError) as refusal:
                # Taken by someone else (or refused by the services' scheduling rules)
                # between validation and saving: the save was rolled back. Show the
                # same form again, everything typed kept, with the reason on the time.
                request._slot_conflict = (
                    " ".join(refusal.messages)
                    if isinstance(refusal, ValidationError)
                    else str(refusal)
                )
                response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # now, while the clinic's zone is the current one
            if object_id and request.method == "GET" and response.status_code == 200:
                opened = self.get_queryset(request).filter(pk=unquote(object_id)).first()
                if opened is not None:
                    audit.opened(request.user, opened)  # who read this patient's request
            return response

    def _clinic_zone(self, request, object_id):
        from clinic.locations import primary_location

        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is None:
            return timezone.get_current_timezone()
        location = obj.location or primary_location(obj.brand)
        return location.zone if location else timezone.get_current_timezone()

    # Actions ---------------------------------------------------------------------

    def _set_status(self, request, queryset, status):
        count = 0
        changed = []
        for item in queryset:
            services.set_status(item, status)
            changed.append(item)
            count += 1
        audit.changed_many(request.user, changed, f"status: {status}")
        self.message_user(
            request,
            _("%(n)d request(s) marked “%(status)s”.")
            % {"n": count, "status": RequestStatus(status).label},
        )

    @admin.action(description=gettext_lazy("Mark as contacted"), permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._set_status(request, queryset, RequestStatus.CONTACTED)

    @admin.action(description=gettext_lazy("Mark as completed"), permissions=["change"])
    def mark_completed(self, request, queryset):
        self._set_status(request, queryset, RequestStatus.COMPLETED)

    @admin.action(description=gettext_lazy("Mark as declined"), permissions=["change"])
    def mark_declined(self, request, queryset):
        self._set_status(request, queryset, RequestStatus.DECLINED)

    @admin.action(
        description=gettext_lazy("Mark as spam (no e-mails are sent)"), permissions=["change"]
    )
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, RequestStatus.SPAM)

    @admin.action(description=gettext_lazy("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        count = services.assign_to_self(queryset, request.user)
        self.message_user(request, _("%(n)d request(s) assigned to you.") % {"n": count})

    # CSV export of the filtered list --------------------------------------------

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_csv),
            name="appointments_consultationrequest_export",
        )
        report_url = path(
            "report/",
            self.admin_site.admin_view(self.report_view),
            name="appointments_consultationrequest_report",
        )
        confirm = path(
            "<int:object_id>/confirm-time/",
            self.admin_site.admin_view(require_POST(self.confirm_time_view)),
            name="appointments_consultationrequest_confirm_time",
        )
        contact = path(
            "<int:object_id>/contact/",
            self.admin_site.admin_view(self.contact_view),
            name="appointments_consultationrequest_contact",
        )
        return [export, report_url, confirm, contact, *super().get_urls()]

    # Scheduling in one click: the free times on the request's page ----------------

    FREE_TIMES_SHOWN = 12

    @admin.display(description=gettext_lazy("free times"))
    def free_times(self, obj):
        """The location's free times (the public form's own, two weeks of them): the
        patient's preferred one first and the next few as buttons, then every free time
        of the two weeks day by day behind a disclosure. Each button confirms its time.
        The buttons belong to a form of their own (``confirm-time-form``), so Enter in a
        field never confirms a time."""
        from appointments.slots import open_slots

        if obj.location is None or obj.status in CLOSED_STATUSES:
            return "—"
        free = [
            slot.starts_at
            for slot in open_slots([obj.location])[obj.location.pk]
            if slot.starts_at != obj.confirmed_slot
        ]
        if not free:
            return _("No free time in the next two weeks.")
        zone = obj.location.zone
        wanted = obj.preferred_slot if obj.preferred_slot in free else None
        first = ([wanted] if wanted else []) + [at for at in free if at != wanted][
            : self.FREE_TIMES_SHOWN
        ]
        by_day: dict = {}
        for at in free:
            by_day.setdefault(timezone.localtime(at, zone).date(), []).append(at)
        days = format_html_join(
            "",
            '<div class="free-day"><span class="free-day-name">{}</span>{}</div>',
            (
                (
                    date_format(day, "l, N j"),
                    format_html_join(
                        "",
                        "{}",
                        (
                            (self._time_button(at, zone, at == wanted, clock_only=True),)
                            for at in times
                        ),
                    ),
                )
                for day, times in by_day.items()
            ),
        )
        return format_html(
            '<div class="free-times">{}</div><div class="help">{}</div>'
            '<details class="free-times-all"><summary>{}</summary>{}</details>',
            format_html_join(
                "", "{}", ((self._time_button(at, zone, at == wanted),) for at in first)
            ),
            _(
                "One click confirms that time and e-mails the patient. In %(location)s's "
                "own time (%(zone)s); the same times the public form offers."
            )
            % {"location": obj.location.name, "zone": timezone.localtime(free[0], zone).tzname()},
            ngettext(
                "Every free time of the next two weeks (%(count)d), day by day",
                "Every free time of the next two weeks (%(count)d), day by day",
                len(free),
            )
            % {"count": len(free)},
            days,
        )

    @staticmethod
    def _time_button(at, zone, preferred: bool, clock_only: bool = False):
        local = timezone.localtime(at, zone)
        prefix = _("Confirm the patient's preferred time: ") if preferred else ""
        label = (
            f"{local:%H:%M} {local.tzname()}"
            if clock_only
            else (f"{local:%a %b %d, %H:%M} {local.tzname()}")
        )
        return format_html(
            '<button type="submit" form="confirm-time-form" name="slot" value="{}" '
            'class="button free-time{}"{}>{}{}</button> ',
            at.isoformat(),
            " free-time-preferred" if preferred else "",
            format_html(' aria-label="{}{}"', prefix, f"{local:%A %B %d, %H:%M} {local.tzname()}")
            if clock_only
            else "",
            prefix,
            label,
        )

    def confirm_time_view(self, request, object_id):
        from django.core.exceptions import ValidationError

        item = self.get_object(request, str(object_id))
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        back = reverse("admin:appointments_consultationrequest_change", args=[item.pk])
        try:
            slot = datetime.fromisoformat(request.POST.get("slot", "")[:40])
            if slot.tzinfo is None:
                raise ValueError
        except ValueError:
            self.message_user(
                request, _("That is not a time. Choose one of the free times."), messages.ERROR
            )
            return HttpResponseRedirect(back)
        try:
            services.confirm_time(item, slot, user=request.user)
        except (ValidationError, booking.SlotFull) as refusal:
            text = (
                " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
            )
            self.message_user(request, text, messages.ERROR)
            return HttpResponseRedirect(back)
        audit.changed(request.user, item, ["status", "confirmed_slot"])
        self.message_user(
            request,
            _("Confirmed for %(when)s; the patient is told by e-mail.")
            % {"when": self._local(item, slot)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(back)

    # Putting right how to reach the patient -------------------------------------

    def contact_view(self, request, object_id):
        """Correct the patient's name, e-mail, phone or preferred contact. The access
        record says who changed which of them, and when (never the values)."""
        from appointments.forms import ContactCorrectionForm

        item = self.get_object(request, str(object_id))
        if item is None:
            raise Http404
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        back = reverse("admin:appointments_consultationrequest_change", args=[item.pk])
        initial = {name: getattr(item, name) for name in services.CONTACT_FIELDS}
        initial["phone"] = readable_phone(item.phone, item.brand.country)  # as people type it
        form = ContactCorrectionForm(
            request.POST if request.method == "POST" else None,
            initial=initial,
            country=item.brand.country,
        )
        if request.method == "POST" and form.is_valid():
            changed = services.correct_contact(item, user=request.user, **form.cleaned_data)
            if changed:
                audit.changed(request.user, item, [f"contact: {name}" for name in changed])
                self.message_user(
                    request,
                    _(
                        "Contact details corrected (%(fields)s). Later e-mails go to the "
                        "address now on the request."
                    )
                    % {"fields": ", ".join(str(form.fields[name].label) for name in changed)},
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, _("Nothing was changed."), messages.INFO)
            return HttpResponseRedirect(back)
        if request.method == "GET":
            audit.opened(request.user, item)  # the details are on this page too
        context = {
            **self.admin_site.each_context(request),
            "title": _("Correct the contact details of %(reference)s")
            % {"reference": item.reference},
            "opts": self.model._meta,
            "original": item,
            "form": form,
            "back": back,
        }
        return TemplateResponse(
            request, "admin/appointments/consultationrequest/contact.html", context
        )

    # Where requests come from ----------------------------------------------------

    def report_view(self, request):
        """Counts per source article, treatment, topic and location, for a period."""
        from clinic.models import Brand

        if not self.has_view_permission(request):
            raise PermissionDenied
        allowed = self.brand_ids(request, "view")
        brands = Brand.objects.order_by("name")
        if allowed is not None:
            brands = brands.filter(pk__in=allowed)
        form = report.PeriodForm(request.GET, brands=brands, today=timezone.localdate())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Where requests come from"),
            "form": form,
            "zone": timezone.get_current_timezone_name().replace("_", " "),
        }
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            chosen = form.cleaned_data["brand"]
            begin, finish = report.local_bounds(start, end, timezone.get_current_timezone())
            queryset = scope(ConsultationRequest.objects.all(), allowed).filter(
                created__gte=begin, created__lt=finish
            )
            if chosen is not None:
                queryset = queryset.filter(brand=chosen)
            total, tables = report.build(queryset, by_brand=chosen is None and len(brands) > 1)
            brand_label = chosen.name if chosen else ", ".join(b.name for b in brands)
            if request.GET.get("format") == "csv":
                response = StreamingHttpResponse(
                    report.csv_lines(tables, brand_label=brand_label, start=start, end=end),
                    content_type="text/csv; charset=utf-8",
                )
                response["Content-Disposition"] = (
                    f'attachment; filename="request-sources-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
                )
                response["Cache-Control"] = "no-store"
                return response
            query = request.GET.copy()
            query["format"] = "csv"
            context.update(
                total=total, tables=tables, brand_label=brand_label, csv_query=query.urlencode()
            )
        return TemplateResponse(
            request, "admin/appointments/consultationrequest/report.html", context
        )

    def has_export_permission(self, request):
        return request.user.has_perm("appointments.export_consultationrequest")

    def export_csv(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
            queryset = changelist.get_queryset(request)
            queryset = scope(queryset, self.brand_ids(request, "export"))
            counts = dict(queryset.order_by().values_list("brand_id").annotate(rows=Count("pk")))
        except IncorrectLookupParameters:
            # As the changelist answers a filter it does not know: back to the list,
            # which explains that the filter was wrong.
            changelist_url = reverse("admin:appointments_consultationrequest_changelist")
            return HttpResponseRedirect(f"{changelist_url}?{ERROR_FLAG}=1")
        # Who exported how many requests with which filter: an entry before the first
        # byte leaves (a download cut short was still a download), and one at the end
        # with what was actually sent.
        query = request.META.get("QUERY_STRING", "")
        audit.export_started(request.user, counts, query)
        user = request.user

        def ended(sent, finished):
            audit.export_ended(user, counts, sent, finished, query)

        response = StreamingHttpResponse(
            export.lines(
                queryset,
                several_brands=self.works_several_brands(request),
                # The reader's zone now: the file is written after this view has returned.
                zone=timezone.get_current_timezone(),
                on_end=ended,
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
        response["Cache-Control"] = "no-store"
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_export"] = self.has_export_permission(request)
        extra_context["closed_statuses"] = CLOSED_STATUSES
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if request.method == "GET" and response.status_code == 200 and changelist is not None:
            self._record_listing(request, changelist)
        return response

    def _record_listing(self, request, changelist) -> None:
        """Who listed or searched the inbox, when, how many rows, which kinds of filter:
        a page of names and phone numbers is read as much as an opened request."""
        shown = Counter(row.brand_id for row in changelist.result_list)
        if not shown:
            # Nothing found is still a search of the inbox: record it under this site's
            # brand when the user works there, else under the first of their brands.
            allowed = self.brand_ids(request, "view")
            here = getattr(getattr(request, "brand", None), "pk", None)
            brand_id = here if allowed is None or here in allowed else min(allowed, default=None)
            if brand_id is None:
                return
            shown[brand_id] = 0
        audit.listed(
            request.user, dict(shown), changelist.result_count, request.META.get("QUERY_STRING", "")
        )


@admin.register(AccessRecord)
class AccessRecordAdmin(BrandScopedAdmin):
    """Brand admins read their brands' record; nobody writes to it here."""

    list_display = ["at", "username", "action", "reference", "detail", "brand"]
    list_filter = ["action", "brand", ("at", admin.DateFieldListFilter)]
    search_fields = ["reference", "username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
