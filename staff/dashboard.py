"""What the admin index shows each member of staff first, by what their roles let them do.

- Reviewing (a clinician with a staff login): the articles sent to me for review.
- Writing articles, the editor's to-do list: changes a reviewer asked for (with the
  comments), approved articles ready to publish and approved changes ready to go live
  (each one click away), what waits for review, what is scheduled next, published
  articles whose medical review is overdue, and my drafts.
- The inbox: requests waiting longer than their brand promises (counted in the opening
  hours of the request's location, ``Brand.reply_hours``), and today's and tomorrow's
  consultations, each day in the location's own time zone.
- Changing a brand: what is missing from its set-up.

Each list is narrowed to the brands where the user holds the right, like the admin.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import ConsultationRequest, RequestStatus
from articles.models import Article, Decision, MedicalReview, ReviewComment, Status
from clinic.access import brand_ids_with
from clinic.locations import brand_locations
from clinic.models import Brand, Location
from clinic.scoping import scope

SHOWN = 8  # rows per list: the lists link to the full, filtered changelists
WAITING_LOOKED_AT = 500  # the oldest new requests examined for an overdue promise


@dataclass
class Panel:
    key: str
    title: str
    rows: list = field(default_factory=list)
    empty: str = ""
    more_url: str = ""


def _scoped(queryset, user, permission):
    brand_ids = brand_ids_with(user, permission)
    if brand_ids is not None and not brand_ids:
        return None
    return scope(queryset, brand_ids)


def reviewer_panels(user) -> list[Panel]:
    """For a clinician with a staff login: the articles sent to them for review."""
    pending = list(
        MedicalReview.objects.across_brands()
        .filter(clinician__account=user, decision=Decision.PENDING)
        .select_related("article")
        .order_by("requested_at")[:SHOWN]
    )
    if not pending:
        return []
    return [Panel("my-reviews", _("Waiting for your medical review"), pending)]


def editor_panels(user, now) -> list[Panel]:
    """The editor's to-do list: what the reviewer asked for, what can go live, what
    waits, what comes next and what needs a new review."""
    from articles.services import may_publish

    articles = _scoped(Article.objects.across_brands(), user, "articles.change_article")
    if articles is None:
        return []
    listed = articles.only("title", "status", "publish_at", "review_due")
    today = timezone.localdate(now)
    publisher = may_publish(user)
    return [
        Panel(
            "changes-asked",
            _("Changes asked for"),
            changes_asked(articles)[:SHOWN],
            _("No reviewer is waiting for changes."),
        ),
        Panel(
            "ready",
            _("Approved, ready to publish"),
            [(article, publisher) for article in approved_drafts(articles)[:SHOWN]],
            _("No approved article waits to be published."),
        ),
        Panel(
            "change-approved",
            _("Approved changes waiting to go live"),
            approved_changes(articles)[:SHOWN],
            _("No approved change waits to go live."),
        ),
        Panel(
            "in-review",
            _("Waiting for medical review"),
            list(waiting_for_review(articles)[:SHOWN]),
            _("Nothing is waiting for review."),
            "?status__exact=in_review",
        ),
        Panel(
            "scheduled",
            _("Scheduled next"),
            list(listed.scheduled(now).order_by("publish_at")[:SHOWN]),
            _("Nothing is scheduled."),
        ),
        Panel(
            "review-overdue",
            _("Medical review overdue"),
            list(listed.review_overdue(today).order_by("review_due")[:SHOWN]),
            _("Every published article's review is current."),
            "?review=overdue",
        ),
        Panel(
            "my-drafts",
            _("My drafts"),
            list(listed.filter(author=user, status=Status.DRAFT).order_by("-updated")[:SHOWN]),
            _("No drafts of yours."),
            "?status__exact=draft",
        ),
    ]


def _latest_round():
    """Rounds with no later round of the same article."""
    later = MedicalReview.objects.across_brands().filter(
        article=OuterRef("article"), requested_at__gt=OuterRef("requested_at")
    )
    return MedicalReview.objects.across_brands().exclude(Exists(later))


def changes_asked(articles) -> list:
    """The latest rounds that asked for changes, with their open comments counted."""
    return list(
        _latest_round()
        .filter(article__in=articles.values("pk"), decision=Decision.CHANGES)
        .select_related("article")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=ReviewComment.objects.across_brands().filter(resolved_at__isnull=True),
                to_attr="open_notes",
            )
        )
        .order_by("-decided_at")[:SHOWN]
    )


def waiting_for_review(articles):
    """Articles in review, and live ones whose change was sent: with the reviewer they
    wait for and since when (none: not sent to anyone yet)."""
    pending = MedicalReview.objects.across_brands().filter(
        article=OuterRef("pk"), decision=Decision.PENDING
    )
    return (
        articles.filter(Q(status=Status.IN_REVIEW) | Exists(pending))
        .only("title")
        .annotate(
            reviewer=Subquery(pending.order_by("-requested_at").values("reviewer_name")[:1]),
            sent=Subquery(pending.order_by("-requested_at").values("requested_at")[:1]),
        )
        .order_by(F("sent").asc(nulls_first=True), "updated")
    )


def _approved_fingerprints(ids) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    rows = MedicalReview.objects.across_brands().filter(
        article_id__in=ids, decision=Decision.APPROVED
    )
    for article_id, fingerprint in rows.values_list("article_id", "fingerprint"):
        found.setdefault(article_id, set()).add(fingerprint)
    return found


def approved_drafts(articles) -> list:
    """Articles off the site whose content, exactly as it is, a reviewer approved."""
    approved = MedicalReview.objects.across_brands().filter(
        article=OuterRef("pk"), decision=Decision.APPROVED
    )
    candidates = list(
        articles.filter(status__in=[Status.DRAFT, Status.IN_REVIEW])
        .filter(Exists(approved))
        .prefetch_related("topics")
        .order_by("-updated")[: SHOWN * 3]
    )
    fingerprints = _approved_fingerprints([a.pk for a in candidates])
    return [
        article
        for article in candidates
        if article.live_content(article.topics.all()).fingerprint()
        in fingerprints.get(article.pk, ())
    ]


def approved_changes(articles) -> list:
    """Live articles whose waiting change a reviewer approved: one step from live."""
    candidates = list(
        articles.filter(status=Status.PUBLISHED, proposed_at__isnull=False).order_by("proposed_at")[
            : SHOWN * 3
        ]
    )
    fingerprints = _approved_fingerprints([a.pk for a in candidates])
    return [
        article
        for article in candidates
        if article.proposed_content.fingerprint() in fingerprints.get(article.pk, ())
    ]


class Calendars:
    """Each location's hours from its brand's cached locations (no query per request)."""

    def __init__(self):
        self.by_location: dict = {}
        self.brands_seen: set = set()

    def of(self, request):
        if request.brand_id not in self.brands_seen:
            self.brands_seen.add(request.brand_id)
            for location in brand_locations(request.brand):
                self.by_location[location.pk] = location.calendar()
        found = self.by_location.get(request.location_id)
        if found is None and request.location is not None:  # an inactive location
            found = self.by_location[request.location_id] = request.location.calendar()
        return found


# How far back opening hours are counted: a request older than this has waited at
# least the hours of these weeks ("over N hours"), which already breaks any promise.
COUNTED_BACK = timedelta(weeks=8)


@dataclass
class Waiting:
    request: ConsultationRequest
    hours: int
    at_least: bool  # received before COUNTED_BACK: "over ``hours`` opening hours"


def waiting_too_long(requests, now, calendars) -> list[Waiting]:
    """New requests past their brand's promise, with the opening hours they waited.

    Each location's hours are laid out once for all its requests, and only as far back
    as COUNTED_BACK: a backlog of two years costs what eight weeks do."""
    horizon = now - COUNTED_BACK
    by_calendar: dict[int, tuple] = {}
    for request in requests:
        calendar = calendars.of(request)
        if calendar is not None:
            by_calendar.setdefault(id(calendar), (calendar, []))[1].append(request)
    waited: dict[int, tuple[int, bool]] = {}
    for calendar, waiting in by_calendar.values():
        starts = [max(request.created, horizon) for request in waiting]
        minutes = calendar.open_minutes_from_each(starts, now)
        unsure = []
        for request, counted in zip(waiting, minutes, strict=True):
            older = request.created < horizon
            if older and counted <= request.brand.reply_hours * 60:
                unsure.append(request)  # closed most of those weeks (a long holiday)
            waited[request.pk] = (counted, older)
        if unsure:  # rare: count their whole wait, once for all of them
            whole = calendar.open_minutes_from_each([request.created for request in unsure], now)
            waited.update(
                (request.pk, (m, False)) for request, m in zip(unsure, whole, strict=True)
            )
    late = []
    for request in requests:  # oldest first, as the list comes
        if request.pk not in waited:
            continue
        counted, older = waited[request.pk]
        if counted > request.brand.reply_hours * 60:
            late.append(Waiting(request, counted // 60, older))
    return late


def inbox_panels(user, now) -> list[Panel]:
    requests = _scoped(
        ConsultationRequest.objects.across_brands(),
        user,
        "appointments.view_consultationrequest",
    )
    if requests is None:
        return []
    new = (
        requests.filter(status=RequestStatus.NEW)
        .select_related("brand", "location")
        .order_by("created")[:WAITING_LOOKED_AT]
    )
    calendars = Calendars()
    late = waiting_too_long(new, now, calendars)
    # Today and tomorrow where each location is: fetch a generous window, then keep
    # what falls on those two local days.
    window = requests.filter(
        status=RequestStatus.SCHEDULED,
        confirmed_slot__gte=now - timedelta(days=1),
        confirmed_slot__lt=now + timedelta(days=3),
    ).select_related("location", "brand")
    days: dict[str, list] = {}
    for request in window.order_by("confirmed_slot"):
        calendar = calendars.of(request)
        if calendar is None:
            continue
        local = calendar.local(request.confirmed_slot)
        today = calendar.local(now).date()
        if local.date() in (today, today + timedelta(days=1)):
            label = _("Today") if local.date() == today else _("Tomorrow")
            days.setdefault(label, []).append((request, local))
    return [
        Panel(
            "waiting",
            _("Waiting longer than promised"),
            late[:SHOWN],
            _("Every new request is within its promised reply time."),
            "?status__exact=new",
        ),
        Panel(
            "consultations",
            _("Today's and tomorrow's consultations"),
            list(days.items()),
            _("No consultations today or tomorrow."),
            "?status__exact=scheduled",
        ),
    ]


def setup_problems(brand, locations_without_hours) -> list[str]:
    problems = []
    if not brand.notification_email:
        problems.append(_("No notification address: new requests are announced to admins."))
    if not brand.logo:
        problems.append(_("No logo."))
    for name in locations_without_hours:
        problems.append(_("%(location)s has no opening hours.") % {"location": name})
    return problems


def admin_panels(user) -> list[Panel]:
    brands = _scoped(Brand.objects.all(), user, "clinic.change_brand")
    if brands is None:
        return []
    bare = (
        Location.objects.across_brands()
        .filter(brand__in=brands, is_active=True)
        .annotate(rules=Count("opening_hours"))
        .filter(Q(rules=0))
        .values_list("brand_id", "name")
    )
    without_hours: dict[int, list[str]] = {}
    for brand_id, name in bare:
        without_hours.setdefault(brand_id, []).append(name)
    rows = []
    for brand in brands.order_by("name"):
        problems = setup_problems(brand, without_hours.get(brand.pk, []))
        if problems:
            rows.append((brand, problems))
    return [Panel("setup", _("Set-up to finish"), rows, _("Every brand is fully set up."))]


def panels_for(user, now=None) -> list[Panel]:
    now = now or timezone.now()
    return [
        *reviewer_panels(user),
        *editor_panels(user, now),
        *inbox_panels(user, now),
        *admin_panels(user),
    ]
