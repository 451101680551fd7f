"""The "you said, we did" page, the projects pages, the dashboard line and a member's data.

Who sees what: members who have not left and coordinators see every item; the public,
commissioners and members who have left only the items marked public. Projects are for the
group only (commissioners and members who have left are refused). Nobody is named unless they
agreed, and a member's words show only while they consent.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from involvement.dashboard import dashboard_entries
from involvement.models import ImpactItem, ProjectMember, Quote, Rung
from library.models import Resource
from library.tests.factories import published_resource, resource
from meetings.tests.factories import MeetingFactory
from members import dashboard
from members.models import Member
from members.privacy import erase_member, member_export_json
from members.services import record_consent
from members.tests.factories import MemberFactory, UserFactory, give_consents
from surveys.tests.factories import SurveyFactory

from .project_factories import involve, item, project, quote

pytestmark = pytest.mark.django_db

LIST = reverse("impact:list")
PROJECTS = reverse("impact:projects")
Status = ImpactItem.Status
Source = ImpactItem.Source


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def joined(member):
    """The ``member`` persona as an active member of the group."""
    record = MemberFactory(user=member, active=True)
    give_consents(record)
    return record


@pytest.fixture
def items():
    return {
        "public": item(you_said="The letter came too late.", we_did="We send it sooner.", is_public=True),
        "members_only": item(you_said="The waiting room is noisy.", we_did="We asked for a quiet room."),
    }


# --- "You said, we did": who sees which items ----------------------------------------------


@pytest.mark.parametrize("status", [Member.Status.INTERESTED, Member.Status.ACTIVE, Member.Status.PAUSED])
def test_members_who_have_not_left_see_every_item(member, items, status):
    MemberFactory(user=member, status=status)

    page = _html(_client_for(member).get(LIST))

    assert "The letter came too late." in page
    assert "The waiting room is noisy." in page


def test_coordinators_see_every_item(coordinator_client, items):
    page = _html(coordinator_client.get(LIST))
    assert "The waiting room is noisy." in page


def test_the_public_see_only_the_items_marked_public(anonymous, items):
    page = _html(anonymous.get(LIST))
    assert "The letter came too late." in page
    assert "The waiting room is noisy." not in page
    assert "Members of the group can log in to see them all." in page


def test_commissioners_see_only_the_items_marked_public(commissioner_client, items):
    page = _html(commissioner_client.get(LIST))
    assert "The letter came too late." in page
    assert "The waiting room is noisy." not in page


def test_a_member_who_has_left_sees_only_the_items_marked_public(member, items):
    MemberFactory(user=member, left=True)
    page = _html(_client_for(member).get(LIST))
    assert "The letter came too late." in page
    assert "The waiting room is noisy." not in page


def test_items_can_be_shown_by_status_with_a_count_of_each(joined, member_client):
    item(you_said="Done one.", status=Status.DONE)
    item(you_said="Still heard.", status=Status.HEARD)
    item(you_said="Not this one.", status=Status.NOT_POSSIBLE, why_not_possible="There is no room in the building.")

    page = _html(member_client.get(LIST, {"status": "not_possible"}))

    assert "Not this one." in page and "Done one." not in page and "Still heard." not in page
    assert "Why it was not possible:</strong> There is no room in the building." in page
    assert "<strong>Not possible (1)</strong>" in page
    assert "All (3)</a>" in page
    assert "Done (1)</a>" in page


def test_an_unknown_status_shows_everything_rather_than_an_error(anonymous, items):
    page = _html(anonymous.get(LIST, {"status": "<script>", "page": "banana"}))
    assert "The letter came too late." in page


def test_items_are_newest_first_with_their_dates(anonymous):
    today = timezone.localdate()
    item(you_said="Older item.", raised_on=today - dt.timedelta(days=300), is_public=True)
    item(
        you_said="Newer item.",
        raised_on=today - dt.timedelta(days=20),
        status=Status.DONE,
        closed_on=today - dt.timedelta(days=2),
        is_public=True,
    )

    page = _html(anonymous.get(LIST))

    assert page.index("Newer item.") < page.index("Older item.")
    assert f"{today - dt.timedelta(days=2):%-d %B %Y}" in page


def test_where_an_item_was_raised_links_to_what_the_viewer_may_open(joined, member_client, anonymous):
    meeting = MeetingFactory(past=True, title="Group meeting in spring")
    member_survey = SurveyFactory(named=True, title="A survey for members")
    draft = resource(title="A leaflet still being written")
    leaflet = published_resource(title="A published leaflet")
    item(you_said="Raised at a meeting.", source=Source.MEETING, meeting=meeting, is_public=True)
    item(you_said="Raised in a survey.", source=Source.SURVEY, survey=member_survey, is_public=True)
    item(you_said="Raised on a draft.", source=Source.REVIEW, resource=draft, is_public=True)
    item(you_said="Raised on a leaflet.", source=Source.REVIEW, resource=leaflet, is_public=True)

    for_member = _html(member_client.get(LIST))
    for_public = _html(anonymous.get(LIST))

    meeting_link = f'<a href="{reverse("meetings:detail", args=[meeting.pk])}">Group meeting in spring</a>'
    survey_link = f'<a href="{reverse("surveys:start", args=[member_survey.pk])}">A survey for members</a>'
    leaflet_link = f'<a href="{reverse("library:resource", args=[leaflet.pk])}">A published leaflet</a>'
    assert meeting_link in for_member and meeting_link in for_public
    assert survey_link in for_member
    # The public cannot open a member survey: its title shows without a link.
    assert survey_link not in for_public and "A survey for members" in for_public
    assert leaflet_link in for_member and leaflet_link in for_public
    # A draft is nobody's business outside the team: not even its title.
    assert "A leaflet still being written" not in for_member + for_public


def test_a_leaflet_being_revised_shows_its_published_title_not_the_working_one(anonymous):
    leaflet = published_resource(title="Your first appointment")
    Resource.objects.filter(pk=leaflet.pk).update(title="Working title staff have not published")
    item(you_said="Raised on a leaflet.", source=Source.REVIEW, resource=leaflet, is_public=True)

    page = _html(anonymous.get(LIST))

    assert f'<a href="{reverse("library:resource", args=[leaflet.pk])}">Your first appointment</a>' in page
    assert "Working title staff have not published" not in page


def _many_items(count: int) -> None:
    meeting = MeetingFactory(past=True)
    survey = SurveyFactory()
    leaflet = published_resource()
    owner = project()
    for number in range(count):
        source = [Source.MEETING, Source.SURVEY, Source.REVIEW, Source.OTHER][number % 4]
        item(
            source=source,
            meeting=meeting if source == Source.MEETING else None,
            survey=survey if source == Source.SURVEY else None,
            resource=leaflet if source == Source.REVIEW else None,
            project=owner,
            is_public=True,
            status=[Status.HEARD, Status.IN_PROGRESS, Status.DONE][number % 3],
        )


@pytest.mark.parametrize("who", ["public", "member"])
def test_the_page_costs_the_same_queries_however_many_items(who, member, django_assert_max_num_queries):
    if who == "member":
        MemberFactory(user=member, active=True)
    client = _client_for(member) if who == "member" else Client()
    client.get(LIST)  # the session and the person's facts are cached after the first page

    counts = []
    for size in (3, 30):
        _many_items(size)
        with django_assert_max_num_queries(8) as captured:
            _html(client.get(LIST))
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


# --- Projects: who may see them -----------------------------------------------------------


def test_members_see_the_projects_shown_to_members(joined, member_client):
    shown = project(title="A new welcome leaflet")
    project(title="A project still being set up", shown_to_members=False)

    page = _html(member_client.get(PROJECTS))

    assert "A new welcome leaflet" in page
    assert "A project still being set up" not in page
    assert _html(member_client.get(reverse("impact:project", args=[shown.pk])))


def test_a_project_not_shown_to_members_is_not_found_for_a_member(joined, member_client):
    hidden = project(shown_to_members=False)
    assert member_client.get(reverse("impact:project", args=[hidden.pk])).status_code == 404


def test_coordinators_see_every_project_marked_when_members_cannot(coordinator_client):
    hidden = project(title="A project still being set up", shown_to_members=False)

    assert "Not shown to members" in _html(coordinator_client.get(PROJECTS))
    page = _html(coordinator_client.get(reverse("impact:project", args=[hidden.pk])))
    assert "Members cannot see this project yet." in page


def test_logged_out_visitors_are_sent_to_log_in_for_projects(anonymous):
    shown = project()
    for url in (PROJECTS, reverse("impact:project", args=[shown.pk])):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_commissioners_members_who_left_and_accounts_without_a_member_record_are_refused_projects(
    commissioner_client, member
):
    shown = project()
    left = MemberFactory(left=True).user
    no_record = UserFactory()
    for client in (commissioner_client, _client_for(left), _client_for(no_record)):
        for url in (PROJECTS, reverse("impact:project", args=[shown.pk])):
            assert client.get(url).status_code == 403, url


def test_a_huge_project_number_is_not_found(joined, member_client):
    assert member_client.get("/projects/99999999999999999999/").status_code == 404


# --- A project's page -----------------------------------------------------------------------


def test_the_ladder_shows_all_seven_rungs_with_their_meaning_and_marks_now_and_aimed_for(joined, member_client):
    shown = project(rung_now=Rung.CONSULTATION, rung_target=Rung.CO_DESIGN)

    page = _html(member_client.get(reverse("impact:project", args=[shown.pk])))

    ladder = page[page.index('<ol class="involvement-ladder') : page.index("</ol>", page.index("involvement-ladder"))]
    assert ladder.count("<li") == 7
    assert ladder.index("7. Co-production") < ladder.index("1. Coercion")
    assert "People are asked for their views" in ladder
    now = ladder[ladder.index("4. Consultation") : ladder.index("3. Informing")]
    assert "Where it is now" in now
    target = ladder[ladder.index("6. Co-design") : ladder.index("5. Engagement")]
    assert "Aiming for" in target
    assert "It is on step 4 of 7 now" in page


def test_members_involved_are_counted_and_named_only_if_they_agreed_by_the_name_they_chose(joined, member_client):
    shown = project()
    agreed = MemberFactory(active=True, user__name="Nadia Brookfield")
    declined = MemberFactory(active=True, user__name="Orla Fitzgerald")
    involve(shown, agreed, named=True, credited_as="Nadia B.")
    involve(shown, declined, named=False, credited_as="Orla")  # a name typed, but she did not agree

    page = _html(member_client.get(reverse("impact:project", args=[shown.pk])))

    assert "2 members of the group" in page
    assert "Including Nadia B." in page
    assert "Orla" not in page
    assert "Nadia Brookfield" not in page


def test_a_members_words_show_only_while_they_agree_to_their_use(joined, member_client):
    shown = project()
    agreed = quote(words="It helped to be asked.", project=shown)
    quote(words="Words from someone who said no.", project=shown, consent=False)
    quote(words="Words from someone never asked.", project=shown, consent=None)
    url = reverse("impact:project", args=[shown.pk])

    page = _html(member_client.get(url))
    assert "It helped to be asked." in page
    assert "Words from someone who said no." not in page
    assert "Words from someone never asked." not in page

    record_consent(member=agreed.member, purpose="anonymised_words", given=False, method="online")
    assert "It helped to be asked." not in _html(member_client.get(url))


def test_a_project_links_only_what_the_member_may_open(joined, member_client):
    shown = project()
    meeting = MeetingFactory(title="Focus group on the leaflet")
    open_survey = SurveyFactory(named=True, title="Tell us about the leaflet")
    draft_survey = SurveyFactory(draft=True, title="A survey still being written")
    leaflet = published_resource(title="The welcome leaflet")
    draft = resource(title="The next leaflet, in draft")
    shown.meetings.add(meeting)
    shown.surveys.add(open_survey, draft_survey)
    shown.resources.add(leaflet, draft)

    page = _html(member_client.get(reverse("impact:project", args=[shown.pk])))

    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}"' in page
    assert f'href="{reverse("surveys:start", args=[open_survey.pk])}"' in page
    assert f'href="{reverse("library:resource", args=[leaflet.pk])}"' in page
    assert "A survey still being written" not in page
    assert "The next leaflet, in draft" not in page


def test_a_project_shows_its_own_you_said_we_did_items(joined, member_client):
    shown = project()
    item(you_said="Belongs to the project.", project=shown)
    item(you_said="Belongs elsewhere.")

    page = _html(member_client.get(reverse("impact:project", args=[shown.pk])))

    assert "Belongs to the project." in page
    assert "Belongs elsewhere." not in page


def test_the_projects_list_costs_the_same_queries_however_many_projects(
    joined, member_client, django_assert_max_num_queries
):
    member_client.get(PROJECTS)
    counts = []
    for size in (2, 20):
        for _ in range(size):
            project()
        with django_assert_max_num_queries(6) as captured:
            _html(member_client.get(PROJECTS))
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


# --- The dashboard, navigation and a member's data ------------------------------------------


def test_the_dashboard_says_what_changed_lately_and_links_to_the_page(joined, member_client):
    today = timezone.localdate()
    item(
        you_said="Old news.",
        we_did="Something done long ago.",
        status=Status.DONE,
        raised_on=today - dt.timedelta(days=400),
        closed_on=today - dt.timedelta(days=300),
    )
    item(we_did="Letters now go out two weeks before.", status=Status.DONE, closed_on=today - dt.timedelta(days=5))

    page = _html(member_client.get(reverse("members:dashboard")))

    assert f'<a href="{LIST}">You said, we did</a>' in page
    assert "1 done lately" in page
    assert "Latest: Letters now go out two weeks before." in page
    assert f'<a href="{PROJECTS}">Our projects</a>' in page


def test_the_dashboard_entry_costs_the_same_queries_however_many_items(joined, django_assert_num_queries):
    today = timezone.localdate()
    for size in (2, 20):
        for _ in range(size):
            item(status=Status.DONE, closed_on=today)
        with django_assert_num_queries(2):
            entries = dashboard_entries(joined)
        assert entries[0].highlight == f"{size + (2 if size == 20 else 0)} done lately"


def test_a_member_who_has_left_gets_no_dashboard_entry(member):
    left = MemberFactory(user=member, left=True)
    assert not [entry for entry in dashboard.entries_for(left) if entry.url in (LIST, PROJECTS)]


def test_everyone_finds_you_said_we_did_in_the_menu_and_members_find_projects(anonymous, joined, member_client):
    public_page = _html(anonymous.get("/"))
    assert f'href="{LIST}"' in public_page and f'href="{PROJECTS}"' not in public_page
    member_page = _html(member_client.get("/"))
    assert f'href="{LIST}"' in member_page and f'href="{PROJECTS}"' in member_page


def test_a_members_download_has_their_projects_and_words(joined):
    shown = project(title="A new welcome leaflet")
    involve(shown, joined, named=True, credited_as="Amira", role="Focus group")
    quote(member=joined, words="It helped to be asked.", project=shown)

    rows = member_export_json(joined)["involvement"]

    assert {"what": "Project", "project": "A new welcome leaflet", "how_involved": "Focus group"}.items() <= rows[
        0
    ].items()
    assert rows[0]["name_shown"] == "Amira"
    assert rows[1]["words"] == "It helped to be asked."


def test_erasure_removes_a_members_credits_and_words_from_every_project(joined, coordinator_client):
    shown = project()
    involve(shown, joined, named=True, credited_as="Amira")
    involve(shown, MemberFactory(active=True))
    quote(member=joined, words="It helped to be asked.", project=shown)
    url = reverse("impact:project", args=[shown.pk])
    assert "2 members of the group" in _html(coordinator_client.get(url))

    erase_member(member=joined)

    assert not ProjectMember.objects.filter(member=joined).exists()
    assert not Quote.objects.filter(member=joined).exists()
    assert ProjectMember.objects.filter(project=shown).count() == 1
    page = _html(coordinator_client.get(url))
    assert "1 member of the group" in page
    assert "Amira" not in page
    assert "It helped to be asked." not in page
