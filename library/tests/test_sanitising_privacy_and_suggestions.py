"""Rich text is sanitised (no scripts, event handlers or javascript: links) wherever it is shown;
a member's part in the library is in their data download and erasure cleans it; suggestions;
the "Drafts to review" entry on a member's dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from library import services
from library.models import ReviewFeedback, Suggestion
from library.privacy import REMOVED
from library.tests.factories import credit, draft_in_review, publish, published_resource, resource, reviewer
from members.privacy import erase_member, member_export_json
from members.tests.factories import MemberFactory, give_consents

pytestmark = pytest.mark.django_db

HOSTILE = (
    "# Hello\n\n<script>alert('body')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[Click me](javascript:alert(document.cookie))\n\n"
    '<a href="javascript:alert(2)" onclick="alert(3)">Another</a>\n\n'
    '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>\n\n'
    '<svg onload="alert(4)"></svg> Plain words that stay. ' + "More words. " * 10
)


def assert_clean(html: str) -> None:
    lowered = html.lower()
    for bad in ("alert(", "onerror", "onclick", "onload", "javascript:", "<iframe", "evil.example", "display:none"):
        assert bad not in lowered, bad


def test_a_hostile_body_is_cleaned_on_the_public_page_the_pdf_source_and_the_review_page(anonymous):
    member = reviewer()
    item = published_resource(body=HOSTILE, summary="<b onmouseover=alert(5)>Summary</b>")
    round_ = services.start_review_round(
        resource=item, questions=["Clear?"], deadline=timezone.now() + dt.timedelta(days=30), members=[member]
    )
    reader = Client()
    reader.force_login(member.user)

    public = anonymous.get(reverse("library:resource", args=[item.pk])).content.decode()
    body = public[public.index('<div class="library-body"') : public.index("About this resource")]
    review_page = reader.get(reverse("library:review", args=[round_.invitations.get().pk])).content.decode()
    review_body = review_page[review_page.index('<div class="library-body"') :]

    assert "Plain words that stay." in body and "Plain words that stay." in review_body
    assert_clean(body)
    assert_clean(review_body)
    assert "&lt;b onmouseover" in public  # the summary is plain text, shown escaped
    assert item.current_version.body_html.count("<a") == 2  # the links stay, without their scripts


def test_a_members_part_is_in_their_data_download():
    member = reviewer(name="Grace Obi")
    round_ = draft_in_review(members=[member], title="Bonding")
    services.submit_feedback(invitation=round_.invitations.get(), ratings={1: "yes"}, overall="Lovely.")
    services.suggest_resource(by=member.user, kind="write", title="A leaflet for grandparents")

    section = member_export_json(member)["library"]

    assert {row["what"] for row in section} == {"Review invitation", "Credit", "Suggestion"}
    invitation = next(row for row in section if row["what"] == "Review invitation")
    assert invitation["feedback"][0]["comment"] == "Lovely."
    assert invitation["ratings"] == [{"question": "Is the language clear and kind?", "rating": "Yes"}]


def test_erasure_removes_their_words_their_credit_and_open_invitations_but_keeps_staffs_answers():
    member = reviewer(name="Grace Obi")
    closed_round = draft_in_review(members=[member], title="Closed round")
    point = services.submit_feedback(invitation=closed_round.invitations.get(), ratings={}, overall="My own story.")[0]
    services.respond_to_feedback(feedback=point, response="changed", reason="We added it.", by=None)
    services.close_review_round(round_=closed_round)
    open_round = draft_in_review(members=[member], title="Open round")
    suggestion = services.suggest_resource(by=member.user, kind="write", title="Grandparents")

    erase_member(member=member)

    point.refresh_from_db()
    assert (point.comment, point.response_reason) == (REMOVED, "We added it.")
    assert not open_round.invitations.exists()
    assert closed_round.invitations.exists()
    assert not member.library_credits.exists()
    suggestion.refresh_from_db()
    assert suggestion.suggested_by is None and suggestion.title == "Grandparents"
    assert not ReviewFeedback.objects.filter(comment="My own story.").exists()


def test_a_member_suggests_a_resource_and_staff_turn_it_into_an_idea(member, coordinator_client):
    MemberFactory(user=member, active=True)
    client = Client()
    client.force_login(member)

    blank = client.post(reverse("library:suggest"), {"kind": "write", "title": "", "details": "Kept text."})
    assert "Tell us what it is about." in blank.content.decode() and "Kept text." in blank.content.decode()
    assert (
        client.post(
            reverse("library:suggest"), {"kind": "review", "title": "The discharge letter", "details": "Confusing."}
        ).status_code
        == 302
    )

    suggestion = Suggestion.objects.get()
    response = coordinator_client.post(
        reverse("admin:library_suggestion_changelist"),
        {"action": "turn_into_ideas", "_selected_action": [suggestion.pk]},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.IDEA
    assert suggestion.resource.title == "The discharge letter"
    assert suggestion.resource.status == "idea"
    assert services.turn_suggestion_into_idea(suggestion=suggestion) == suggestion.resource  # once only


def _suggestions_turned_into_ideas(count: int, by) -> None:
    for number in range(count):
        suggestion = services.suggest_resource(by=by, kind="write", title=f"Idea {number}")
        services.turn_suggestion_into_idea(suggestion=suggestion)


def test_the_suggestions_list_costs_the_same_queries_at_two_sizes(
    coordinator, coordinator_client, django_assert_max_num_queries
):
    url = reverse("admin:library_suggestion_changelist")
    _suggestions_turned_into_ideas(2, coordinator)
    coordinator_client.get(url)  # warm caches
    with django_assert_max_num_queries(50) as small:
        coordinator_client.get(url)
    _suggestions_turned_into_ideas(10, coordinator)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = coordinator_client.get(url)
    assert "Idea 9" in response.content.decode()


def test_suggesting_is_for_members_and_coordinators_only(anonymous, commissioner_client, coordinator_client):
    url = reverse("library:suggest")
    assert anonymous.get(url).status_code == 302
    assert commissioner_client.get(url).status_code == 403
    assert coordinator_client.get(url).status_code == 200


def test_the_dashboard_says_how_many_drafts_are_waiting(member, django_assert_max_num_queries):
    me = MemberFactory(user=member, active=True)
    give_consents(me)
    client = Client()
    client.force_login(member)
    draft_in_review(members=[me])

    page = client.get(reverse("members:dashboard")).content.decode()
    assert "Drafts to review" in page and "1 waiting for you" in page

    from library.dashboard import dashboard_entries

    for number in range(5):
        draft_in_review(members=[me], title=f"Draft {number}")
    with django_assert_max_num_queries(1):
        entries = dashboard_entries(me)
    assert entries[0].highlight == "6 waiting for you"


def test_the_nav_has_the_library_for_everyone(anonymous):
    page = anonymous.get(reverse("home")).content.decode()
    assert f'href="{reverse("library:home")}"' in page


def test_a_credit_to_someone_who_never_agreed_is_counted_not_named(anonymous):
    item = resource()
    credit(item, reviewer(name="Priya Sandhu"))
    publish(item)
    assert "Priya" not in anonymous.get(reverse("library:resource", args=[item.pk])).content.decode()
