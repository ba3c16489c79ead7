"""Consultation requests, staff notes, confirmed slots and their access records."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from appointments.references import new_reference
from articles.models import Article, Topic
from clinic.models import Brand, Location
from clinic.scoped import BrandScopedQuerySet


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Consultation cancelled")
    SPAM = "spam", _("Spam")


CLOSED_STATUSES = (
    RequestStatus.COMPLETED,
    RequestStatus.DECLINED,
    RequestStatus.CANCELLED,
    RequestStatus.SPAM,
)


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("E-mail")


class ConsultationRequest(models.Model):
    """A patient's request for a consultation. Saved before anything else happens."""

    brand_lookup = "brand"

    brand = models.ForeignKey(
        Brand,
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        verbose_name=_("brand"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_requests",
        verbose_name=_("location"),
    )
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    # One per form shown: a second POST of the same form finds the first request.
    submission_token = models.UUIDField(unique=True, null=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = PhoneNumberField(_("phone"))
    contact_method = models.CharField(
        _("preferred contact"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.PHONE,
    )
    # The patient's language: every later message to them (e-mail, text, calendar file,
    # their own page) is written in it.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic"),
    )
    preferred_slot = models.DateTimeField(_("preferred time"), null=True, blank=True)
    preference_note = models.CharField(_("time preference"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True)
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=20, blank=True
    )
    source_article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("came from article"),
    )
    treatment = models.ForeignKey(
        "care.Treatment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("treatment asked about"),
    )
    client_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("assigned to"),
    )
    confirmed_slot = models.DateTimeField(_("confirmed time"), null=True, blank=True)
    # Each confirmation, move and cancellation of the time is a new version of the one
    # calendar event the patient was sent (its SEQUENCE; the UID is the reference).
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    # A cancelled consultation: the time that no longer holds, who, when and why (the
    # reason is for staff; the patient's e-mail gives none).
    cancelled_slot = models.DateTimeField(
        _("cancelled time"), null=True, blank=True, editable=False
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.CharField(
        _("reason for cancelling (staff only)"), max_length=500, blank=True
    )
    created = models.DateTimeField(_("received"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    # The messages about it in the outbox (deleted with it).
    notifications = GenericRelation(
        "outbox.Message",
        content_type_field="about_type",
        object_id_field="about_id",
        related_query_name="consultation",
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        permissions = [("export_consultationrequest", _("Can export consultation requests"))]
        # The inbox lists newest first, with the primary key as Django's tie-break, in
        # one brand or across all, and by each of its filters: each has an index that
        # gives its first page without sorting (bench/inbox_scale.py). Name and e-mail
        # search use trigram indexes on PostgreSQL (migration 0006).
        indexes = [
            models.Index(fields=["brand", "-created", "-id"], name="consult_brand_newest"),
            models.Index(fields=["-created", "-id"], name="consult_newest"),
            models.Index(
                fields=["brand", "status", "-created", "-id"], name="consult_brand_status"
            ),
            models.Index(
                fields=["brand", "location", "-created", "-id"], name="consult_brand_location"
            ),
            models.Index(fields=["brand", "topic", "-created", "-id"], name="consult_brand_topic"),
            models.Index(
                fields=["brand", "assignee", "-created", "-id"], name="consult_brand_assignee"
            ),
            models.Index(fields=["phone"], name="consult_phone"),
            # "Earlier requests from the same e-mail" (appointments.admin.same_patient).
            models.Index(models.F("brand"), Upper("email"), name="consult_brand_email_upper"),
            # The dashboard's consultations of today and tomorrow (staff/dashboard.py).
            models.Index(
                fields=["brand", "confirmed_slot"],
                condition=models.Q(status="scheduled"),
                name="consult_scheduled_time",
            ),
            # The rate limit counts a client's recent requests (appointments/ratelimit.py).
            models.Index(fields=["brand", "client_hash", "created"], name="consult_client_recent"),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self._save_with_new_reference(*args, **kwargs)
        else:
            super().save(*args, **kwargs)

    def _save_with_new_reference(self, *args, **kwargs):
        # A collision is about one in a billion; try again rather than fail the patient.
        for _attempt in range(5):
            self.reference = new_reference(self.brand.slug)
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                # References are unique across every brand: this check spans them.
                taken = ConsultationRequest.objects.across_brands()
                if not taken.filter(reference=self.reference).exists():
                    raise
        raise IntegrityError("could not find a free reference")

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_booked_ahead(self) -> bool:
        """Scheduled for a time still to come: what a reminder, the patient's page and
        its cancel button all mean by "booked"."""
        return (
            self.status == RequestStatus.SCHEDULED
            and self.confirmed_slot is not None
            and self.confirmed_slot > timezone.now()
        )


class RequestNote(models.Model):
    """An internal note by staff; never shown to the patient."""

    brand_lookup = "request__brand"

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"), max_length=4000)
    created = models.DateTimeField(_("written"), default=timezone.now, editable=False)

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        # No time here: the admin shows it, in the clinic's zone, right beside this.
        return self.request.reference


class SlotBooking(models.Model):
    """A confirmed consultation's hold on its location: from its start for the
    location's consultation length. The time it takes is held seat by seat in
    ``OccupiedSeat`` rows, whose unique constraint is what keeps overlapping
    consultations within the location's capacity (appointments.booking)."""

    brand_lookup = "location__brand"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    request = models.OneToOneField(
        ConsultationRequest, on_delete=models.CASCADE, related_name="booking"
    )

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["location", "starts_at"], name="booking_location_start")]

    def __str__(self):
        return f"{self.location} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class OccupiedSeat(models.Model):
    """One seat of a location for one five-minute step of a confirmed consultation.

    Unique per location, step and seat: whatever start minutes staff type, and however
    many of them confirm at the same moment, no step of a location ever holds more
    patients than it has seats (appointments.booking chooses seats 1..capacity)."""

    brand_lookup = "location__brand"

    booking = models.ForeignKey(SlotBooking, on_delete=models.CASCADE, related_name="seats")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    seat = models.PositiveSmallIntegerField()

    objects = BrandScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "at", "seat"], name="one_patient_per_seat_at_a_time"
            )
        ]

    def __str__(self):
        return f"{self.location_id} {self.at:%Y-%m-%d %H:%M} #{self.seat}"


class NotificationKind(models.TextChoices):
    INBOX = "inbox", _("Brand inbox")
    ACKNOWLEDGMENT = "acknowledgment", _("Acknowledgment to patient")
    CONFIRMATION = "confirmation", _("Confirmation to patient")
    RESCHEDULE = "reschedule", _("New time to patient")
    CANCELLATION = "cancellation", _("Cancellation to patient")
    # The day before a confirmed consultation (due then: ``next_attempt_at``).
    REMINDER = "reminder", _("Reminder to patient")
    # The clinic's inbox hears what a patient changed through their own link.
    PATIENT_CHANGE = "patient_change", _("Patient's change to brand inbox")


class AccessAction(models.TextChoices):
    VIEW = "view", _("Opened")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    LIST = "list", _("Listed or searched")


class AccessRecordQuerySet(BrandScopedQuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access record is append-only.")

    def delete(self):
        raise PermissionError("The access record is append-only.")

    def purge(self) -> int:
        """Delete these entries: only for the retention period's end (audit.purge_older_than)."""
        return models.QuerySet.delete(self)[0]


class AccessRecord(models.Model):
    """Who opened, changed or exported consultation requests, and when: append-only.

    It names the request by its reference and says what happened (the fields changed,
    the filter and number of rows exported), never what the patient wrote.
    """

    brand_lookup = "brand"

    brand = models.ForeignKey(
        Brand, on_delete=models.CASCADE, related_name="+", verbose_name=_("brand")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    username = models.CharField(_("user name"), max_length=150)  # kept if the user goes
    action = models.CharField(_("what"), max_length=10, choices=AccessAction.choices)
    reference = models.CharField(_("request"), max_length=20, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access record entry")
        verbose_name_plural = _("access record")
        indexes = [models.Index(fields=["brand", "-at"], name="access_record_brand_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.reference}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access record is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access record is append-only.")


class TextOptOut(models.Model):
    """A number that answered STOP to our texts: nothing more is texted to it until it
    answers START. One list for every brand: they text from the same number."""

    phone = PhoneNumberField(_("phone"), unique=True)
    opted_out_at = models.DateTimeField(_("opted out"), default=timezone.now)

    class Meta:
        verbose_name = _("text message opt-out")
        verbose_name_plural = _("text message opt-outs")

    def __str__(self):
        return str(self.phone)
