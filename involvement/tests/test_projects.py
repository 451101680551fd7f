"""Projects and "you said, we did" items as coordinators keep them: moves on the ladder are
recorded, each rung is explained where it is chosen, a name is shown only if the member agreed,
a member's words only with their consent, and a bad item is refused with a message by the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from involvement import impact
from involvement.models import RUNG_MEANINGS, ImpactItem, Project, ProjectMember, Quote, Rung, RungChange
from involvement.projects import quotes_with_consent, save_project
from library.tests.factories import published_resource
from meetings.tests.factories import MeetingFactory
from members.services import record_consent
from members.tests.admin_post import admin_form_post
from members.tests.factories import MemberFactory
from surveys.tests.factories import SurveyFactory

from .project_factories import involve, item, project, quote

pytestmark = pytest.mark.django_db

Status = ImpactItem.Status
Source = ImpactItem.Source


def _change_url(obj) -> str:
    return reverse(f"admin:involvement_{obj._meta.model_name}_change", args=[obj.pk])


def _post(client, obj, **changes):
    page = client.get(_change_url(obj))
    assert page.status_code == 200
    return client.post(_change_url(obj), admin_form_post(page, **changes))


def _errors(response) -> dict:
    assert response.status_code == 200, "the form should come back with errors"
    form = response.context["adminform"].form
    return {name: " ".join(messages) for name, messages in form.errors.items()}


# --- Moves on the ladder ---------------------------------------------------------------------


def test_creating_a_project_records_its_starting_rung(coordinator):
    made = save_project(Project(title="A new leaflet", rung_now=Rung.INFORMING), by=coordinator)

    (start,) = made.rung_changes.all()
    assert (start.rung_from, start.rung_to, start.recorded_by) == (None, Rung.INFORMING, coordinator)
    assert start.changed_on == timezone.localdate()


def test_changing_the_rung_in_the_admin_records_the_move_with_who_when_and_why(coordinator, coordinator_client):
    made = project(rung_now=Rung.CONSULTATION)

    response = _post(coordinator_client, made, rung_now=str(Rung.CO_DESIGN.value), rung_note="Members now lead it.")

    assert response.status_code == 302
    move = made.rung_changes.order_by("pk").last()
    assert (move.rung_from, move.rung_to) == (Rung.CONSULTATION, Rung.CO_DESIGN)
    assert move.recorded_by == coordinator
    assert move.note == "Members now lead it."
    assert move.changed_on == timezone.localdate()
    # Audited: the change is in the project's history, by the coordinator.
    assert made.history.latest().history_user == coordinator


def test_saving_a_project_without_moving_it_records_no_move(coordinator_client):
    made = project(rung_now=Rung.CONSULTATION)

    response = _post(coordinator_client, made, title="A better title")

    assert response.status_code == 302
    assert RungChange.objects.filter(project=made).count() == 1


def test_each_rung_is_chosen_from_radios_that_say_what_it_means(coordinator_client):
    page = coordinator_client.get(reverse("admin:involvement_project_add")).content.decode()

    assert page.count('type="radio" name="rung_now"') == 7
    assert page.count('type="radio" name="rung_target"') == 7
    for rung in Rung:
        assert f"{rung.value}. {rung.label}: {RUNG_MEANINGS[rung]}" in page


def test_the_rung_history_is_shown_on_the_project_page_and_cannot_be_edited(coordinator_client):
    made = project(rung_now=Rung.INFORMING)
    made.rung_now = Rung.ENGAGEMENT
    save_project(made, note="Members joined the planning group.")

    page = coordinator_client.get(_change_url(made)).content.decode()

    assert "Members joined the planning group." in page
    assert 'name="rung_changes-0-note"' not in page


# --- Members involved, named only if they agreed --------------------------------------------


def test_a_member_ticked_as_named_with_no_name_is_refused_by_the_field(coordinator_client):
    made = project()
    involve(made, MemberFactory(active=True))

    response = _post(coordinator_client, made, **{"involved-0-named": "on", "involved-0-credited_as": " "})

    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is ProjectMember)
    assert "Write the name to show" in " ".join(formset.formset.forms[0].errors["credited_as"])
    assert not ProjectMember.objects.get(project=made).named


def test_agreeing_to_be_named_records_when_the_decision_was_made(coordinator_client):
    made = project()
    involvement = involve(made, MemberFactory(active=True))
    ProjectMember.objects.filter(pk=involvement.pk).update(named_decided_at=None)

    response = _post(coordinator_client, made, **{"involved-0-named": "on", "involved-0-credited_as": "Sam T."})

    assert response.status_code == 302
    involvement.refresh_from_db()
    assert involvement.named and involvement.credited_as == "Sam T."
    assert involvement.named_decided_at is not None


# --- Members' words ----------------------------------------------------------------------------


def test_the_quotes_table_says_whether_each_can_be_used(coordinator_client):
    made = project()
    quote(project=made, words="Agreed words.")
    quote(project=made, words="Refused words.", consent=False)

    page = coordinator_client.get(_change_url(made)).content.decode()

    assert page.count("Can be used") == 1
    assert page.count("Not used: no consent") == 1


def test_words_are_used_only_while_the_member_consents(db):
    agreed = quote(words="Agreed words.")
    quote(words="Refused words.", consent=False)
    quote(words="Never asked.", consent=None)

    assert [q.text for q in quotes_with_consent()] == ["Agreed words."]

    record_consent(member=agreed.member, purpose="anonymised_words", given=False)
    assert not quotes_with_consent().exists()
    record_consent(member=agreed.member, purpose="anonymised_words", given=True)
    assert quotes_with_consent().count() == 1


# --- "You said, we did" items: the rules -------------------------------------------------


def _item_form(client, **data):
    base = {
        "you_said": "The letter came late.",
        "we_did": "",
        "source": Source.OTHER,
        "status": Status.HEARD,
        "raised_on": (timezone.localdate() - dt.timedelta(days=10)).isoformat(),
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "1000",
    }
    base.update(data)
    return client.post(reverse("admin:involvement_impactitem_add"), base)


def test_not_possible_needs_a_reason_shown_by_the_field(coordinator_client):
    response = _item_form(coordinator_client, status=Status.NOT_POSSIBLE, you_said="Weekend meetings.")

    assert "Say why it was not possible" in _errors(response)["why_not_possible"]
    assert "Weekend meetings." in response.content.decode()  # nothing typed is lost
    assert not ImpactItem.objects.exists()


def test_done_closes_the_item_today_unless_the_coordinator_gives_a_date(coordinator_client):
    assert _item_form(coordinator_client, status=Status.DONE, you_said="First.").status_code == 302
    assert ImpactItem.objects.get(you_said="First.").closed_on == timezone.localdate()

    chosen = timezone.localdate() - dt.timedelta(days=3)
    assert (
        _item_form(coordinator_client, status=Status.DONE, you_said="Second.", closed_on=chosen.isoformat()).status_code
        == 302
    )
    assert ImpactItem.objects.get(you_said="Second.").closed_on == chosen


def test_reopening_an_item_clears_the_date_it_closed(coordinator_client):
    closed = item(status=Status.DONE)
    assert closed.closed_on == timezone.localdate()

    response = _post(coordinator_client, closed, status=Status.IN_PROGRESS)

    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.closed_on is None


def test_a_closing_date_before_the_item_was_raised_is_refused_by_the_field(coordinator_client):
    raised = timezone.localdate() - dt.timedelta(days=5)
    response = _item_form(
        coordinator_client,
        status=Status.DONE,
        raised_on=raised.isoformat(),
        closed_on=(raised - dt.timedelta(days=1)).isoformat(),
    )
    assert "on or after the date raised" in _errors(response)["closed_on"]


@pytest.mark.parametrize(
    ("source", "field", "message"),
    [
        (Source.MEETING, "meeting", "Choose the meeting where this was raised."),
        (Source.SURVEY, "survey", "Choose the survey where this was raised."),
        (Source.REVIEW, "resource", "Choose the resource where this was raised."),
    ],
)
def test_the_source_needs_its_record(coordinator_client, source, field, message):
    response = _item_form(coordinator_client, source=source)
    assert message in _errors(response)[field]


def test_a_record_that_does_not_fit_the_source_is_refused_by_its_field(coordinator_client):
    meeting = MeetingFactory(past=True)
    survey = SurveyFactory()
    response = _item_form(coordinator_client, source=Source.SURVEY, survey=survey.pk, meeting=meeting.pk)

    errors = _errors(response)
    assert "raised in a survey, so it cannot point at a meeting" in errors["meeting"]
    assert "survey" not in errors


def test_a_fitting_record_is_saved(coordinator_client):
    leaflet = published_resource()
    response = _item_form(coordinator_client, source=Source.REVIEW, resource=leaflet.pk, is_public="on")
    assert response.status_code == 302
    saved = ImpactItem.objects.get()
    assert saved.resource == leaflet and saved.is_public


def test_the_service_refuses_what_the_admin_refuses(db):
    with pytest.raises(ValidationError) as refused:
        impact.save_impact_item(
            ImpactItem(you_said="x", source=Source.MEETING, status=Status.NOT_POSSIBLE, raised_on=timezone.localdate())
        )
    assert set(refused.value.message_dict) == {"why_not_possible", "meeting"}


def test_every_item_change_is_audited(coordinator, coordinator_client):
    made = item()
    response = _post(coordinator_client, made, we_did="We changed the letter.", status=Status.DONE)
    assert response.status_code == 302
    latest = made.history.latest()
    assert latest.history_user == coordinator
    assert (latest.we_did, latest.status) == ("We changed the letter.", Status.DONE)


# --- Who may use these admin pages ----------------------------------------------------------


@pytest.fixture
def admin_urls():
    made = project()
    quote(project=made)
    entry = item()
    return [
        reverse("admin:involvement_project_changelist"),
        reverse("admin:involvement_project_add"),
        _change_url(made),
        reverse("admin:involvement_project_history", args=[made.pk]),
        reverse("admin:involvement_impactitem_changelist"),
        reverse("admin:involvement_impactitem_changelist") + "?closed=no",
        reverse("admin:involvement_impactitem_add"),
        _change_url(entry),
    ]


def test_coordinators_open_every_project_and_item_admin_page(coordinator_client, admin_urls):
    for url in admin_urls:
        assert coordinator_client.get(url).status_code == 200, url


def test_members_commissioners_and_the_public_are_kept_out_of_the_project_admin(
    member_client, commissioner_client, anonymous, admin_urls
):
    for url in admin_urls:
        for client in (member_client, commissioner_client, anonymous):
            response = client.get(url)
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert "login" in response["Location"], url


def test_quote_rows_are_deleted_with_their_project(db):
    made = project()
    quote(project=made)
    made.delete()
    assert not Quote.objects.exists()
