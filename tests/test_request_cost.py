"""The cost of every request: an empty logged-in page makes no query but the session's, and writes nothing.

With `cached_db` sessions, as in production, the session comes from the cache and the page makes
no query at all; with `db` sessions (development, tests) it makes one. The user Django's session
check loads (members.backends), and what the header and the middleware need to know about the
person (roles, two-step set up, member record, consent review), are cached between requests
(members.state) and must still change the moment the real ones do: a new password or a
deactivation logs the person's other sessions out at once. The idle timeout holds although
sessions are no longer saved on every request (members.middleware).
"""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, transaction
from django.shortcuts import render
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from involvement.urls import urlpatterns as portal_urlpatterns
from meetings.tests.factories import MeetingFactory, RegistrationFactory
from members.models import ConsentText
from members.privacy import erase_member
from members.roles import COMMISSIONERS
from members.services import new_consent_version, publish_consent_text, record_consent
from members.state import PERSON_GENERATION_KEY, USER_KEY
from members.tests.factories import DEFAULT_PASSWORD, CommissionerFactory, MemberFactory, give_consents
from members.tests.test_allauth_pages import logged_in_with_password
from members.tests.totp import activate_totp


def empty_page(request):
    return render(request, "base.html")


urlpatterns = [path("empty/", empty_page), *portal_urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

EMPTY_PAGE = "/empty/"
START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
WRITES = ("INSERT", "UPDATE", "DELETE")


def _group_data(size: int) -> None:
    """Other members (each with their consents) and meetings, some of them with registrations."""
    others = [MemberFactory(active=True) for _ in range(size)]
    for other in others:
        give_consents(other)
    for index in range(size):
        meeting = MeetingFactory()
        RegistrationFactory(meeting=meeting, member=others[index])


def _member_client(member) -> Client:
    """The member persona, onboarded with every consent given, logged in."""
    give_consents(MemberFactory(user=member, active=True))
    client = Client()
    client.force_login(member)
    return client


def _two_step_client(user) -> Client:
    activate_totp(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(params=["member", "coordinator", "commissioner"])
def person(request):
    """A logged-in client for each kind of person, and the link only their header shows."""
    user = request.getfixturevalue(request.param)
    if request.param == "member":
        return _member_client(user), "Your involvement"
    if request.param == "coordinator":
        return _two_step_client(user), "Admin"
    return _two_step_client(user), "Two-step security"


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def _logged_in(response) -> bool:
    return response.wsgi_request.user.is_authenticated


# --- Queries and writes --------------------------------------------------------------------


@pytest.fixture(params=["db", "cached_db"])
def session_engine(request, settings):
    """Both ways sessions are kept: rows (development, tests) and rows behind the cache (production)."""
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"
    return request.param


@pytest.mark.parametrize("size", [2, 40], ids=["few members and meetings", "many members and meetings"])
def test_an_empty_logged_in_page_makes_no_query_but_the_sessions(
    session_engine, person, size, django_assert_num_queries
):
    client, own_link = person
    _group_data(size)
    client.get(EMPTY_PAGE)  # the first page caches the user and the facts and renews the session

    # The session row when sessions are rows; nothing at all when they are cached, as in production.
    with django_assert_num_queries(1 if session_engine == "db" else 0):
        response = client.get(EMPTY_PAGE)

    assert response.status_code == 200
    assert own_link in response.content.decode()


def test_a_second_page_view_writes_nothing_to_the_database(person):
    client, _ = person
    client.get(EMPTY_PAGE)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(EMPTY_PAGE)

    assert response.status_code == 200
    assert _writes(queries) == []


# --- The idle timeout ----------------------------------------------------------------------


def test_an_idle_session_ends_after_the_idle_timeout(session_engine, member, settings, time_machine):
    time_machine.move_to(START, tick=False)
    client = _member_client(member)
    assert _logged_in(client.get(EMPTY_PAGE))

    time_machine.move_to(START + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1), tick=False)

    assert not _logged_in(client.get(EMPTY_PAGE))


def test_a_request_a_minute_later_renews_the_session(session_engine, member, settings, time_machine):
    time_machine.move_to(START, tick=False)
    client = _member_client(member)
    client.get(EMPTY_PAGE)
    time_machine.move_to(START + dt.timedelta(seconds=61), tick=False)
    client.get(EMPTY_PAGE)

    # Idle for less than the timeout since the second request, but more since the first.
    time_machine.move_to(START + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 30), tick=False)

    assert _logged_in(client.get(EMPTY_PAGE))


def test_requests_within_the_minute_leave_the_session_row_alone(member, time_machine):
    time_machine.move_to(START, tick=False)
    client = _member_client(member)
    client.get(EMPTY_PAGE)
    expiry = Session.objects.get().expire_date
    time_machine.move_to(START + dt.timedelta(seconds=59), tick=False)

    with CaptureQueriesContext(connection) as queries:
        assert _logged_in(client.get(EMPTY_PAGE))

    assert _writes(queries) == []
    assert Session.objects.get().expire_date == expiry


# --- Cached facts change as soon as the real ones do ---------------------------------------


def test_consent_review_asks_right_after_a_new_text_version_is_published(member):
    client = _member_client(member)
    assert client.get(EMPTY_PAGE).status_code == 200

    text = new_consent_version(
        purpose=ConsentText.Purpose.CONTACT, title="Contacting you", summary="We may text you.", body="New wording."
    )
    publish_consent_text(text=text)
    response = client.get(EMPTY_PAGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("members:consent_review"))


def test_deciding_on_the_new_text_ends_the_review_at_once(member):
    client = _member_client(member)
    text = new_consent_version(
        purpose=ConsentText.Purpose.CONTACT, title="Contacting you", summary="We may text you.", body="New wording."
    )
    publish_consent_text(text=text)
    assert client.get(EMPTY_PAGE).status_code == 302

    record_consent(member=member.member, purpose=ConsentText.Purpose.CONTACT, given=True)

    assert client.get(EMPTY_PAGE).status_code == 200


def test_a_coordinator_without_two_step_is_sent_to_set_it_up(coordinator):
    client = Client()
    client.force_login(coordinator)

    response = client.get(EMPTY_PAGE)

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_setting_up_two_step_lets_the_coordinator_in_at_once(coordinator):
    client = Client()
    client.force_login(coordinator)
    assert client.get(EMPTY_PAGE).status_code == 302

    activate_totp(coordinator)

    assert client.get(EMPTY_PAGE).status_code == 200


def test_removing_the_authenticator_app_sends_the_coordinator_back_to_set_it_up(coordinator_client, coordinator):
    assert coordinator_client.get(EMPTY_PAGE).status_code == 200

    Authenticator.objects.filter(user=coordinator).delete()

    assert coordinator_client.get(EMPTY_PAGE).url == reverse("mfa_activate_totp")


def test_a_member_made_commissioner_must_set_up_two_step_at_once(member):
    client = _member_client(member)
    assert client.get(EMPTY_PAGE).status_code == 200

    member.groups.add(Group.objects.get(name=COMMISSIONERS))

    assert client.get(EMPTY_PAGE).url == reverse("mfa_activate_totp")


def test_a_commissioner_removed_from_the_role_loses_it_at_once(db):
    commissioner = CommissionerFactory(email="leaving.commissioner@example.org")
    client = _two_step_client(commissioner)
    assert "Two-step security" in client.get(EMPTY_PAGE).content.decode()

    Group.objects.get(name=COMMISSIONERS).user_set.remove(commissioner)

    assert "Two-step security" not in client.get(EMPTY_PAGE).content.decode()


# --- The cached user changes as soon as the real one does ----------------------------------


def _warm(client) -> None:
    """A page, so that the user is cached, then a check that the next one really uses the cache."""
    assert _logged_in(client.get(EMPTY_PAGE))
    with CaptureQueriesContext(connection) as queries:
        assert _logged_in(client.get(EMPTY_PAGE))
    assert not [q for q in queries.captured_queries if 'FROM "members_user"' in q["sql"]]


def test_changing_the_password_logs_the_other_sessions_out_at_once(session_engine, member):
    elsewhere = _member_client(member)
    here = logged_in_with_password(member)
    _warm(elsewhere)
    _warm(here)

    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": DEFAULT_PASSWORD, "password1": "a-new-long-password", "password2": "a-new-long-password"},
    )

    assert response.status_code == 302
    assert not _logged_in(elsewhere.get(EMPTY_PAGE))
    assert _logged_in(here.get(EMPTY_PAGE))  # the session that changed it carries on


def test_a_deactivated_account_is_logged_out_on_its_next_request(session_engine, member):
    client = _member_client(member)
    _warm(client)

    member.is_active = False
    member.save()

    assert not _logged_in(client.get(EMPTY_PAGE))


def test_a_changed_email_address_is_seen_on_the_next_request(member):
    client = _member_client(member)
    _warm(client)

    member.email = "amira.new@example.org"
    member.save()

    assert client.get(EMPTY_PAGE).wsgi_request.user.email == "amira.new@example.org"


def test_an_erased_member_is_logged_out_although_their_session_is_still_cached(settings, member):
    # Erasure deletes the session rows, which leaves cached sessions in the cache, and changes the
    # account with update(), which sends no signal: the cached user must be dropped by hand.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = _member_client(member)
    _warm(client)

    erase_member(member=member.member)

    assert not _logged_in(client.get(EMPTY_PAGE))


def test_a_user_row_read_before_a_change_committed_is_not_used_after_it(member, django_capture_on_commit_callbacks):
    """Another process may read the old row after the change replaced the token but before it
    committed, and cache it under the new token; the token is replaced again on commit."""
    client = _member_client(member)
    _warm(client)
    user_key = USER_KEY.format(member.pk)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        member.set_password("a-new-long-password")
        member.save()
        # What that other process would cache: the row as it was, under the token now current.
        _, fields, old_values = cache.get(user_key)
        cache.set(user_key, (cache.get(PERSON_GENERATION_KEY.format(member.pk)), fields, old_values), 60)

    assert not _logged_in(client.get(EMPTY_PAGE))


def test_a_user_deleted_elsewhere_is_logged_out(coordinator):
    client = _two_step_client(coordinator)
    _warm(client)

    type(coordinator).objects.get(pk=coordinator.pk).delete()

    assert not _logged_in(client.get(EMPTY_PAGE))
