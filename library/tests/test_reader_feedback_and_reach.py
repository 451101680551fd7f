"""Readers' feedback ("Was this useful?", "What was missing or unclear?"): no login, nothing
about the reader kept, rate-limited, shown to staff beside the resource. Reach: views and
downloads counted per resource per month, without cookies and without addresses."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from library.models import ReaderFeedback, ResourceReach
from library.reach import reach_between
from library.tests.factories import published_resource, resource
from library.views import FEEDBACK_LIMIT
from nhsuk_forms.tests.html import Page

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"}


def feedback_url(item) -> str:
    return reverse("library:feedback", args=[item.pk])


def test_a_reader_says_whether_it_was_useful_and_only_the_answers_and_date_are_kept(anonymous):
    item = published_resource()

    response = anonymous.post(
        feedback_url(item),
        {"useful": "partly", "missing": "The phone number for nights."},
        REMOTE_ADDR="203.0.113.9",
        **BROWSER,
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?feedback=thanks#feedback")
    saved = ReaderFeedback.objects.get()
    fields = {field.name for field in ReaderFeedback._meta.get_fields()}
    assert fields == {"id", "resource", "version_number", "useful", "missing", "given_on"}
    assert (saved.useful, saved.missing, saved.version_number) == ("partly", "The phone number for nights.", 1)
    thanks = anonymous.get(response["Location"]).content.decode()
    assert "Thank you. Your feedback helps us make this better." in thanks


def test_a_missing_answer_is_shown_by_the_field_with_the_words_kept(anonymous):
    item = published_resource()
    response = anonymous.post(feedback_url(item), {"missing": "Something about partners."})
    page = Page(response.content.decode())
    assert response.status_code == 200
    assert "Say whether this was useful." in page.html
    assert page.all("textarea", name="missing")[0]["text"].strip() == "Something about partners."
    assert not ReaderFeedback.objects.exists()


def test_feedback_is_rate_limited_per_browser_and_network(anonymous):
    item = published_resource()
    for _ in range(FEEDBACK_LIMIT):
        assert anonymous.post(feedback_url(item), {"useful": "yes"}, REMOTE_ADDR="203.0.113.9").status_code == 302

    refused = anonymous.post(
        feedback_url(item), {"useful": "no", "missing": "Kept on screen."}, REMOTE_ADDR="203.0.113.9"
    )
    other = Client().post(feedback_url(item), {"useful": "no"}, REMOTE_ADDR="198.51.100.7")

    assert refused.status_code == 429
    assert "You have sent a lot of feedback" in refused.content.decode()
    assert "Kept on screen." in refused.content.decode()
    assert other.status_code == 302
    assert ReaderFeedback.objects.count() == FEEDBACK_LIMIT + 1


def test_a_draft_takes_no_feedback(anonymous):
    assert anonymous.post(feedback_url(resource()), {"useful": "yes"}).status_code == 404


def test_staff_see_reader_feedback_beside_the_resource(coordinator_client, anonymous):
    item = published_resource()
    anonymous.post(feedback_url(item), {"useful": "no", "missing": "Nothing about fathers."})
    anonymous.post(feedback_url(item), {"useful": "yes"})

    page = coordinator_client.get(reverse("admin:library_resource_change", args=[item.pk])).content.decode()

    assert "Yes: 1, Partly: 0, No: 1" in page
    assert "Nothing about fathers." in page


def test_views_are_counted_per_month_without_a_cookie_or_an_address(anonymous):
    item = published_resource()
    with time_machine.travel(dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC)):
        anonymous.get(reverse("library:resource", args=[item.pk]), **BROWSER)
        response = Client().get(reverse("library:resource", args=[item.pk]), **BROWSER)
    with time_machine.travel(dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)):
        Client().get(reverse("library:resource", args=[item.pk]), **BROWSER)

    rows = list(ResourceReach.objects.order_by("month").values_list("month", "views", "downloads"))
    assert rows == [(dt.date(2027, 1, 1), 2, 0), (dt.date(2027, 2, 1), 1, 0)]
    assert {field.name for field in ResourceReach._meta.get_fields()} == {
        "id",
        "resource",
        "month",
        "views",
        "downloads",
    }
    assert "sessionid" not in response.cookies


def test_robots_are_not_counted(anonymous):
    item = published_resource()
    anonymous.get(
        reverse("library:resource", args=[item.pk]), HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)"
    )
    anonymous.get(reverse("library:resource", args=[item.pk]))  # no user agent at all
    assert not ResourceReach.objects.exists()


def test_downloads_of_the_pdf_are_counted(anonymous):
    item = published_resource()
    anonymous.get(reverse("library:pdf", args=[item.pk]), **BROWSER)
    assert ResourceReach.objects.get().downloads == 1


def test_a_view_is_one_update_once_the_months_row_exists(anonymous):
    item = published_resource()
    anonymous.get(reverse("library:resource", args=[item.pk]), **BROWSER)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        anonymous.get(reverse("library:resource", args=[item.pk]), **BROWSER)
    writes = [q["sql"] for q in queries.captured_queries if "library_resourcereach" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("UPDATE")
    assert ResourceReach.objects.get().views == 2


def test_reach_between_sums_the_months_for_the_reports():
    first, second = published_resource(title="First"), published_resource(title="Second")
    ResourceReach.objects.create(resource=first, month=dt.date(2027, 1, 1), views=10, downloads=2)
    ResourceReach.objects.create(resource=first, month=dt.date(2027, 2, 1), views=5, downloads=1)
    ResourceReach.objects.create(resource=second, month=dt.date(2027, 2, 1), views=30, downloads=0)
    ResourceReach.objects.create(resource=second, month=dt.date(2027, 4, 1), views=99, downloads=9)

    rows = reach_between(dt.date(2027, 1, 15), dt.date(2027, 3, 31))

    assert rows == [
        {"resource_id": second.pk, "title": "Second", "views": 30, "downloads": 0},
        {"resource_id": first.pk, "title": "First", "views": 15, "downloads": 3},
    ]


def test_reading_a_resource_and_giving_feedback_set_no_cookie():
    item = published_resource()
    reader = Client(enforce_csrf_checks=True)

    page = reader.get(reverse("library:resource", args=[item.pk]), **BROWSER)
    sent = reader.post(feedback_url(item), {"useful": "yes"}, **BROWSER)
    thanks = reader.get(sent["Location"], **BROWSER)

    assert sent.status_code == 302
    assert not page.cookies and not sent.cookies and not thanks.cookies
    assert ReaderFeedback.objects.count() == 1


def test_feedback_sent_from_another_site_is_refused_and_not_kept():
    item = published_resource()
    reader = Client()

    forged = reader.post(feedback_url(item), {"useful": "yes"}, HTTP_ORIGIN="https://elsewhere.example", **BROWSER)
    also_forged = reader.post(feedback_url(item), {"useful": "no"}, HTTP_SEC_FETCH_SITE="cross-site", **BROWSER)
    ours = reader.post(feedback_url(item), {"useful": "yes"}, HTTP_ORIGIN="http://testserver", **BROWSER)

    assert forged.status_code == 403
    assert also_forged.status_code == 403
    assert ours.status_code == 302
    assert list(ReaderFeedback.objects.values_list("useful", flat=True)) == ["yes"]
