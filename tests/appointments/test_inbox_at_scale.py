"""An inbox that costs the same with a million requests as with ten (issue 16, item 3).

Its filters offer rows of the small tables (locations, staff, topics), never a pass
over the requests; it counts once; each row is drawn from what the page query brought;
and on PostgreSQL every list order and the name search have an index. The figures at a
million requests come from bench/inbox_scale.py.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appointments.models import ConsultationRequest
from articles.models import Topic
from clinic.models import Role
from tests.appointments.test_inbox_admin import make_request
from tests.conftest import client_for
from tests.factories import reference_location, staff

LIST = "/admin/appointments/consultationrequest/"
REQUESTS = '"appointments_consultationrequest"'


def reads_of_requests(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith("SELECT") and REQUESTS in query["sql"]
    ]


def opened(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, queries.captured_queries


def filter_choices(response, parameter) -> dict[str, str]:
    page = BeautifulSoup(response.content, "html.parser")
    return {
        link.get_text(strip=True): link["href"]
        for link in page.select("#changelist-filter a")
        if f"{parameter}=" in link["href"]
    }


@pytest.fixture
def inbox(brand_a, brand_b):
    """Brand A's requests over two locations, topics and assignees; one of brand B's."""
    main = reference_location(brand_a)
    quiet = reference_location(brand_a, slug="quiet", name="Quiet clinic")  # no requests
    other = reference_location(brand_b, slug="other", name="Beta's own clinic")
    sleep = Topic.objects.create(name="Sleep", slug="sleep")
    desk = staff("desk_a", (brand_a, Role.FRONT_DESK))
    beta_desk = staff("desk_b", (brand_b, Role.FRONT_DESK))
    for number in range(3):
        make_request(
            brand_a,
            main,
            name=f"Patient {number}",
            topic=sleep,
            assignee=desk,
            preferred_slot=timezone.now() + timedelta(days=3 + number),
        )
    make_request(brand_b, other, name="Beta patient", assignee=beta_desk)
    return {"main": main, "quiet": quiet, "other": other, "sleep": sleep, "desk": desk}


class TestWhatTheInboxAsksTheDatabase:
    @pytest.mark.parametrize(
        "query",
        ["", "status__exact=new", "location__id__exact={main}", "topic__id__exact={sleep}"],
    )
    def test_each_list_reads_the_requests_twice_a_count_and_a_page(
        self, query, inbox, front_desk_a
    ):
        path = f"{LIST}?" + query.format(main=inbox["main"].pk, sleep=inbox["sleep"].pk)
        response, queries = opened(client_for(front_desk_a), path)
        reads = reads_of_requests(queries)
        assert len(reads) == 2, reads  # no second, unfiltered count; no filter's scan
        assert reads[0].startswith("SELECT COUNT(*)")
        assert "3 consultation requests" in response.content.decode()

    def test_more_rows_cost_no_more_queries(self, inbox, brand_a, front_desk_a):
        client = client_for(front_desk_a)
        client.get(LIST)  # what a first request looks up once (the brand's host)
        _response, few = opened(client, LIST)
        for number in range(12):
            make_request(
                brand_a,
                inbox["main"] if number % 2 else inbox["quiet"],
                name=f"Later {number}",
                topic=inbox["sleep"],
                preferred_slot=timezone.now() + timedelta(days=1, hours=number),
            )
        response, many = opened(client, LIST)
        assert response.content.decode().count('class="field-when"') == 15
        assert len(many) == len(few)  # each row's time zone without its hours' queries


class TestTheCountShown:
    def test_the_whole_inbox_offers_no_show_all_of_itself(self, inbox, front_desk_a):
        page = BeautifulSoup(opened(client_for(front_desk_a), LIST)[0].content, "html.parser")
        assert "Show all" not in page.select_one("#changelist-search").get_text()
        assert "3 consultation requests" in page.select_one(".paginator").get_text()

    def test_a_filtered_list_says_how_many_and_leads_back_to_all(self, inbox, front_desk_a):
        path = f"{LIST}?location__id__exact={inbox['main'].pk}"
        search = BeautifulSoup(opened(client_for(front_desk_a), path)[0].content, "html.parser")
        counted = search.select_one("#changelist-search")
        assert "3 results" in counted.get_text() and counted.find("a", string="Show all")


class TestTheFiltersOfferTheUsersOwnRows:
    def test_locations_and_staff_of_the_own_brand_even_without_requests(self, inbox, front_desk_a):
        response, _queries = opened(client_for(front_desk_a), LIST)
        locations = filter_choices(response, "location__id__exact")
        assert {"Main clinic", "Quiet clinic"} <= set(locations)
        assert "Beta's own clinic" not in locations  # another clinic's names never show
        assignees = filter_choices(response, "assignee__id__exact")
        assert "desk_a" in assignees and "desk_b" not in assignees

    def test_assigned_to_offers_only_people_requests_are_assigned_to(
        self, inbox, front_desk_a, editor_a, brand_admin_a
    ):
        """Issue 30, item 6: editors and reviewers, who cannot be assigned, were listed."""
        response, _queries = opened(client_for(front_desk_a), LIST)
        assignees = filter_choices(response, "assignee__id__exact")
        assert "editor_a" not in assignees
        assert "brand_admin_a" in assignees and "front_desk_a" in assignees

    def test_a_filter_still_narrows_the_list(self, inbox, front_desk_a):
        client = client_for(front_desk_a)
        quiet = filter_choices(opened(client, LIST)[0], "location__id__exact")["Quiet clinic"]
        empty = BeautifulSoup(client.get(f"{LIST}{quiet}").content, "html.parser")
        assert empty.select("td.field-name") == []
        main = filter_choices(opened(client, LIST)[0], "location__id__exact")["Main clinic"]
        listed = BeautifulSoup(client.get(f"{LIST}{main}").content, "html.parser")
        names = {cell.get_text() for cell in listed.select("td.field-name")}
        assert names == {"Patient 0", "Patient 1", "Patient 2"}

    def test_the_group_admin_gets_one_brand_filter_and_column(self, inbox, group_admin):
        response, _queries = opened(client_for(group_admin), LIST)
        page = BeautifulSoup(response.content, "html.parser")
        titles = [
            summary.get_text(strip=True) for summary in page.select("#changelist-filter summary")
        ]
        assert titles.count("By brand") == 1
        headers = [th.get_text(" ", strip=True) for th in page.select("#result_list thead th")]
        assert headers.count("Brand") == 1
        assert headers.index("Brand") == headers.index("Reference") + 1
        locations = filter_choices(response, "location__id__exact")
        assert {"Main clinic", "Quiet clinic", "Beta's own clinic"} <= set(locations)


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the indexes are PostgreSQL's query plans"
)


def plan_of(sql: str, *, sorting_last=True) -> str:
    """PostgreSQL's plan for ``sql`` when reading every row (and sorting) is a last
    resort: on a handful of test rows it would rather read them all."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if sorting_last:
            cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def page_query(client, path) -> str:
    _response, queries = opened(client, path)
    return next(sql for sql in reads_of_requests(queries) if "ORDER BY" in sql)


@postgresql_only
class TestIndexesOnPostgreSQL:
    @pytest.mark.parametrize(
        ("query", "index"),
        [
            ("", "consult_brand_newest"),
            ("status__exact=new", "consult_brand_status"),
            ("location__id__exact={main}", "consult_brand_location"),
            ("topic__id__exact={sleep}", "consult_brand_topic"),
            ("assignee__id__exact={desk}", "consult_brand_assignee"),
        ],
    )
    def test_each_first_page_comes_from_an_index_in_order(self, query, index, inbox, front_desk_a):
        ids = {key: inbox[key].pk for key in ("main", "sleep", "desk")}
        plan = plan_of(page_query(client_for(front_desk_a), f"{LIST}?{query.format(**ids)}"))
        assert index in plan and "Sort" not in plan, plan

    @pytest.mark.parametrize(
        ("lookup", "term"),
        [("name", "patient"), ("email", "one1234@"), ("reference", "1234-x"), ("phone", "5551234")],
    )
    def test_the_admin_search_of_each_column_can_use_its_trigram_index(
        self, lookup, term, inbox, brand_a
    ):
        # The index must be on the very expression the admin's search compares
        # (UPPER(column::text) LIKE UPPER('%term%')), or PostgreSQL reads every row.
        ConsultationRequest.objects.bulk_create(
            ConsultationRequest(
                brand=brand_a,
                reference=f"ALP-{number:04d}-XX",
                name=f"Someone Else {number}",
                email=f"someone{number}@example.org",
                phone=f"+1305555{number:04d}",
            )
            for number in range(2000)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE appointments_consultationrequest")
            cursor.execute("SET LOCAL enable_seqscan = off")
        searched = ConsultationRequest.objects.filter(**{f"{lookup}__icontains": term})
        searched = searched.order_by()  # which rows, not in which order
        assert f"consult_{lookup}_trgm" in searched.explain()
