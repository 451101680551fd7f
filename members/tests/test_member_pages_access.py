"""Who may use each member page, including every onboarding step and every form that writes.

Every /my/ page is the logged-in member's own. Anonymous visitors are sent to log in;
commissioners (even one who was once a member) and staff without a member record are refused
(403). A POST from any of them changes nothing in the database. Each POST below is checked
first as the member it belongs to, to show it does change something, so "nothing changed"
means the refusal stopped it, not that the request was empty.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Consent, ConsentText, EqualityMonitoring, ErasureRecord, Member, User
from members.services import get_or_create_member, save_equality_answers
from members.tests.totp import activate_totp

pytestmark = pytest.mark.django_db

CONSENT_PURPOSES = [purpose.value for purpose in ConsentText.CONSENT_PURPOSES]


def _step(step: str) -> str:
    return reverse("members:onboarding_step", args=[step])


def _consent(purpose: str) -> str:
    return reverse("members:onboarding_consent", args=[purpose])


def _profile(section: str) -> str:
    return reverse("members:profile_change", args=[section])


# Every onboarding page a GET can open.
ONBOARDING_PAGES = [
    *(_step(step) for step in Member.ONBOARDING_STEPS),
    *(_consent(purpose) for purpose in CONSENT_PURPOSES),
    reverse("members:onboarding_done"),
]

# Every form that writes: (url, data, onboarding step the member must have reached, or None
# for the pages of someone who has finished joining).
CONTACT = {"channels": ["email", "sms"], "phone": "07700 900982", "contact_frequency": "monthly"}
POSTS = [
    pytest.param(_step("contact"), CONTACT, 0, id="onboarding-contact"),
    *(
        pytest.param(_consent(purpose), {"given": "yes"}, 1, id=f"onboarding-consent-{purpose}")
        for purpose in CONSENT_PURPOSES
    ),
    pytest.param(_step("respect"), {}, 2, id="onboarding-respect"),
    pytest.param(
        _step("access"), {"needs": ["needs_step_free"], "preferred_language": "Polish"}, 3, id="onboarding-access"
    ),
    pytest.param(_step("about"), {"relationship": "partner"}, 4, id="onboarding-about"),
    pytest.param(_step("equality"), {"age_band": "30_34"}, 5, id="onboarding-equality"),
    pytest.param(_step("equality"), {"skip": "1"}, 5, id="onboarding-equality-skip"),
    pytest.param(_profile("name"), {"name": "Someone Else", "pronouns": "they/them"}, None, id="profile-name"),
    pytest.param(_profile("contact"), {**CONTACT, "phone": "07700 900111"}, None, id="profile-contact"),
    pytest.param(_profile("access"), {"needs": ["needs_bsl"], "preferred_language": "Urdu"}, None, id="profile-access"),
    pytest.param(_profile("about"), {"relationship": "family"}, None, id="profile-about"),
    pytest.param(_profile("equality"), {"age_band": "40_plus"}, None, id="profile-equality"),
    pytest.param(
        reverse("members:consent_change", args=["contact"]), {"given": "no"}, None, id="consent-change-contact"
    ),
    pytest.param(reverse("members:consent_change", args=["photos"]), {"given": "no"}, None, id="consent-change-photos"),
    pytest.param(reverse("members:break"), {"action": "pause"}, None, id="break"),
    pytest.param(reverse("members:leave"), {"choice": "keep"}, None, id="leave"),
    pytest.param(reverse("members:erase"), {}, None, id="erase"),
]


def _snapshot() -> dict:
    """Everything these pages can change, for every person in the database."""
    return {
        "members": list(Member.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("pk", "name", "email", "is_active", "password")),
        "consents": list(Consent.objects.order_by("pk").values("pk", "member_id", "purpose", "given")),
        "equality": list(EqualityMonitoring.objects.order_by("pk").values()),
        "erasures": ErasureRecord.objects.count(),
        "member_history": Member.history.count(),
    }


def _joined(member: Member) -> Member:
    """A member who has finished joining, with every consent given and some equality answers."""
    for purpose in [*CONSENT_PURPOSES, "respect_agreement"]:
        Consent.objects.create(
            member=member, text=ConsentText.objects.filter(purpose=purpose).order_by("-version").first(), given=True
        )
    Member.objects.filter(pk=member.pk).update(
        status=Member.Status.ACTIVE,
        onboarding_step=len(Member.ONBOARDING_STEPS),
        onboarding_completed_at="2026-01-05T10:00:00Z",
        phone="07700900982",
        contact_by_email=True,
    )
    save_equality_answers(member=member, answers={"age_band": "25_29"})
    return Member.objects.select_related("user").get(pk=member.pk)


def _at_step(member: Member, step: int | None) -> Member:
    if step is None:
        return _joined(member)
    Member.objects.filter(pk=member.pk).update(onboarding_step=step)
    if step >= 1:
        Member.objects.filter(pk=member.pk).update(contact_by_email=True, contact_frequency="monthly")
    return Member.objects.select_related("user").get(pk=member.pk)


@pytest.fixture
def target(member):
    """The member whose pages everyone else tries: the ``member`` persona, with a record."""
    return get_or_create_member(member)


def _client_for(request, who: str) -> Client:
    client = Client()
    if who == "anonymous":
        return client
    user = request.getfixturevalue(who)
    activate_totp(user)  # so only the member pages' own check stands in the way
    if who == "commissioner":
        get_or_create_member(user)  # even a commissioner who was once a member
    client.force_login(user)
    return client


# --- Pages a GET opens ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ONBOARDING_PAGES)
def test_anonymous_visitors_are_sent_to_log_in_from_every_onboarding_page(anonymous, target, url):
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("who", ["commissioner", "coordinator"])
@pytest.mark.parametrize("url", ONBOARDING_PAGES)
def test_commissioners_and_staff_without_a_member_record_are_refused_every_onboarding_page(request, target, who, url):
    _joined(target)
    response = _client_for(request, who).get(url)
    assert response.status_code == 403
    html = response.content.decode()
    for personal in ("Amira", "member@example.org", "07700"):
        assert personal not in html.split("<main")[1], personal


@pytest.mark.parametrize("url", ONBOARDING_PAGES)
def test_a_member_can_open_every_onboarding_page_of_their_own(member_client, target, url):
    # (The page for a step not reached yet sends them on to the next one: still their own.)
    assert member_client.get(url).status_code in (200, 302)


# --- Forms that write -------------------------------------------------------------------------


@pytest.mark.parametrize("url, data, step", POSTS)
def test_each_post_changes_the_members_own_record_when_they_send_it(member_client, target, url, data, step):
    _at_step(target, step)
    before = _snapshot()

    response = member_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _snapshot() != before


@pytest.mark.parametrize("who", ["anonymous", "commissioner", "coordinator"])
@pytest.mark.parametrize("url, data, step", POSTS)
def test_no_one_but_the_member_can_post_and_nothing_changes(request, target, who, url, data, step):
    _at_step(target, step)
    client = _client_for(request, who)
    before = _snapshot()

    response = client.post(url, data)

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    else:
        assert response.status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("url, data, step", POSTS)
def test_another_members_post_changes_only_their_own_record(request, other_member, target, url, data, step):
    mine = _at_step(target, step)
    _at_step(get_or_create_member(other_member), step)
    client = Client()
    client.force_login(other_member)
    before = list(Member.objects.filter(pk=mine.pk).values())
    name = User.objects.get(pk=mine.user_id).name
    consents = Consent.objects.filter(member=mine).count()
    answers = list(EqualityMonitoring.objects.filter(key=mine.equality_key).values())

    client.post(url, {**data, "member": mine.pk, "user": mine.user_id, "id": mine.pk})

    assert list(Member.objects.filter(pk=mine.pk).values()) == before
    assert User.objects.get(pk=mine.user_id).name == name
    assert Consent.objects.filter(member=mine).count() == consents
    assert list(EqualityMonitoring.objects.filter(key=mine.equality_key).values()) == answers
