"""Consent: `can_contact` is the one question every sender asks, and withdrawal works at once."""

import datetime
import itertools

import pytest
from django.core import mail
from django.utils import timezone

from members.consent import ContactPurpose, can_contact, contactable_members, members_needing_review
from members.contact_lists import contact_list
from members.models import Channel, Consent, ConsentText, Member, User
from members.privacy import erase_member
from members.services import (
    leave_group,
    new_consent_version,
    pause_membership,
    publish_consent_text,
    record_consent,
    resume_membership,
)
from members.tests.factories import MemberFactory, UserFactory, give_consents
from outbox import kinds, sending
from outbox.models import Message
from outbox.rendering import render_for

pytestmark = pytest.mark.django_db

NEWS = ContactPurpose.NEWS
# A test kind (not an app's): the real kinds are checked across apps in tests/test_one_outbox.py.
NEWS_KIND = "members_tests.news"


def _build_news(message):
    return render_for(message, "emails/test/news", {"user": message.recipient})


@pytest.fixture
def reachable():
    """An active member who chose every channel, has every way to be reached, and consents."""
    member = MemberFactory(active=True, reachable=True)
    give_consents(member)
    return member


def _publish_new_version(purpose: str) -> ConsentText:
    old = ConsentText.objects.filter(purpose=purpose, published_at__isnull=False).order_by("-version").first()
    draft = new_consent_version(purpose=purpose, title=old.title, summary=old.summary, body=old.body + " Changed.")
    return publish_consent_text(text=draft)


# --- The can_contact matrix ------------------------------------------------------------------


@pytest.mark.parametrize("channel", list(Channel))
def test_a_consenting_member_can_be_contacted_on_every_channel_they_chose(reachable, channel):
    assert can_contact(reachable, NEWS, channel)


@pytest.mark.parametrize("channel", ["sms", "phone", "post"])
def test_cannot_contact_on_a_channel_the_member_did_not_choose(reachable, channel):
    Member.objects.filter(pk=reachable.pk).update(**{f"contact_by_{channel}": False})
    assert not can_contact(reachable, NEWS, channel)
    assert can_contact(reachable, NEWS, "email")


@pytest.mark.parametrize("channel", ["sms", "phone"])
def test_cannot_text_or_call_a_member_without_a_phone_number(reachable, channel):
    Member.objects.filter(pk=reachable.pk).update(phone="")
    assert not can_contact(reachable, NEWS, channel)


def test_cannot_write_to_a_member_without_a_postal_address(reachable):
    Member.objects.filter(pk=reachable.pk).update(postal_address="")
    assert not can_contact(reachable, NEWS, "post")


def test_cannot_email_a_member_without_an_email_address(reachable):
    type(reachable.user).objects.filter(pk=reachable.user.pk).update(email=None)
    assert not can_contact(reachable, NEWS, "email")
    assert can_contact(reachable, NEWS, "sms")


def test_paused_member_gets_nothing_but_news_of_their_own_claims(reachable):
    pause_membership(member=reachable)

    for purpose in ContactPurpose:
        expected = purpose == ContactPurpose.CLAIMS
        assert can_contact(reachable, purpose, "email") is expected, purpose

    resume_membership(member=reachable)
    assert can_contact(reachable, NEWS, "email")


def test_member_who_left_gets_nothing(reachable):
    leave_group(member=reachable, erase=False)
    assert not any(can_contact(reachable, p, c) for p, c in itertools.product(ContactPurpose, Channel))


def test_erased_member_gets_nothing(reachable):
    erase_member(member=reachable)
    assert not any(can_contact(reachable, p, c) for p, c in itertools.product(ContactPurpose, Channel))


def test_withdrawing_keep_details_stops_all_contact(reachable):
    record_consent(member=reachable, purpose="keep_details", given=False)
    assert not any(can_contact(reachable, p, c) for p, c in itertools.product(ContactPurpose, Channel))


def test_withdrawing_contact_consent_makes_can_contact_false_immediately(reachable):
    assert can_contact(reachable, NEWS, "email")

    record_consent(member=reachable, purpose="contact", given=False)

    # The same object, not reloaded: the answer comes from the newest record every time.
    assert not can_contact(reachable, NEWS, "email")
    assert not can_contact(reachable, ContactPurpose.CLAIMS, "sms")


def test_contact_withdrawn_then_given_again_allows_contact_again(reachable):
    record_consent(member=reachable, purpose="contact", given=False)
    assert not can_contact(reachable, NEWS, "email")

    record_consent(member=reachable, purpose="contact", given=True)
    assert can_contact(reachable, NEWS, "email")


def test_the_newest_decision_wins_even_when_recorded_in_the_same_instant(reachable):
    now = timezone.now()
    Consent.objects.filter(member=reachable).update(recorded_at=now)
    withdrawal = record_consent(member=reachable, purpose="contact", given=False)
    Consent.objects.filter(pk=withdrawal.pk).update(recorded_at=now)

    assert not can_contact(reachable, NEWS, "email")
    assert reachable not in contactable_members(NEWS, "email")


def test_member_who_never_decided_cannot_be_contacted():
    member = MemberFactory(active=True, reachable=True)
    assert not can_contact(member, NEWS, "email")
    give_consents(member, keep_details=True)
    assert not can_contact(member, NEWS, "email")


def test_deactivated_account_gets_no_email(reachable):
    type(reachable.user).objects.filter(pk=reachable.user.pk).update(is_active=False)
    assert not can_contact(reachable, NEWS, "email")


def test_claims_purpose_still_goes_to_a_paused_member_but_not_to_one_who_withdrew(reachable):
    pause_membership(member=reachable)
    assert can_contact(reachable, ContactPurpose.CLAIMS, "email")
    record_consent(member=reachable, purpose="contact", given=False)
    assert not can_contact(reachable, ContactPurpose.CLAIMS, "email")


# --- contactable_members agrees with can_contact ---------------------------------------------


def _mixed_population() -> list[Member]:
    people = []
    statuses = [Member.Status.INTERESTED, Member.Status.ACTIVE, Member.Status.PAUSED, Member.Status.LEFT]
    decisions = [
        {"keep_details": True, "contact": True},
        {"keep_details": True, "contact": False},
        {"keep_details": False, "contact": True},
        None,  # never decided
    ]
    for n, (status, decision, phone, address, email) in enumerate(
        itertools.product(statuses, decisions, ["07700900001", ""], ["1 Street", ""], [True, False])
    ):
        user = UserFactory(email=f"mix{n}@example.org") if email else User.objects.create_user(name=f"No email {n}")
        member = MemberFactory(
            user=user,
            status=status,
            phone=phone,
            postal_address=address,
            contact_by_email=n % 2 == 0,
            contact_by_sms=n % 3 != 0,
            contact_by_phone=n % 4 == 0,
            contact_by_post=n % 5 != 0,
        )
        if decision:
            give_consents(member, **decision)
        if n % 7 == 0 and decision:  # some changed their mind later
            later = record_consent(member=member, purpose="contact", given=not decision["contact"])
            Consent.objects.filter(pk=later.pk).update(recorded_at=timezone.now() + datetime.timedelta(seconds=1))
        people.append(member)
    erase_member(member=people[5])
    return people


@pytest.mark.parametrize("purpose", [ContactPurpose.NEWS, ContactPurpose.CLAIMS])
def test_contactable_members_agrees_with_can_contact_for_a_mixed_population(purpose):
    people = _mixed_population()
    assert len({m.pk for m in people}) == len(people) == 128

    for channel in Channel:
        expected = {m.pk for m in people if can_contact(m, purpose, channel)}
        assert set(contactable_members(purpose, channel).values_list("pk", flat=True)) == expected, channel
    assert any(can_contact(m, purpose, "sms") for m in people)  # the population is not trivially empty


def test_contactable_members_is_one_query(django_assert_num_queries):
    _mixed_population()
    with django_assert_num_queries(1):
        list(contactable_members(NEWS, "email"))


# --- Withdrawal and the contact list ---------------------------------------------------------


def test_withdrawing_makes_the_member_disappear_from_the_channel_export_immediately(reachable):
    for channel in Channel:
        assert reachable in contact_list(channel)[1]

    record_consent(member=reachable, purpose="contact", given=False)

    for channel in Channel:
        assert reachable not in contact_list(channel)[1]


# --- New versions ----------------------------------------------------------------------------


def test_a_new_published_version_asks_members_to_review_and_redeciding_clears_it(reachable):
    other = MemberFactory(active=True)
    give_consents(other, keep_details=True)  # decided only on keeping details
    assert not members_needing_review().exists()

    new_text = _publish_new_version("contact")

    assert set(members_needing_review()) == {reachable}
    # Until they review, their earlier decision stands.
    assert can_contact(reachable, NEWS, "email")

    record_consent(member=reachable, purpose="contact", given=True)
    assert not members_needing_review().exists()
    assert reachable.consents.filter(purpose="contact").first().text == new_text


def test_a_draft_version_asks_nobody_to_review(reachable):
    old = ConsentText.objects.get(purpose="photos", version=1)
    new_consent_version(purpose="photos", title=old.title, summary=old.summary, body="Not yet published.")
    assert not members_needing_review().exists()


def test_a_new_respect_agreement_asks_members_to_review(reachable):
    _publish_new_version("respect_agreement")
    assert set(members_needing_review()) == {reachable}


# --- Senders ask can_contact -----------------------------------------------------------------


def test_the_outbox_sends_a_member_message_only_when_can_contact_says_yes(reachable, tmp_path, settings):
    templates = tmp_path / "emails" / "test"
    templates.mkdir(parents=True)
    (templates / "news_subject.txt").write_text("News")
    (templates / "news.txt").write_text("Hello {{ user.name }}")
    (templates / "news.html").write_text("<p>Hello {{ user.name }}</p>")
    (templates / "news_sms.txt").write_text("News from {{ group_profile.short_name }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    settings.NOTIFY_API_KEY = ""
    kinds.register(NEWS_KIND, label="Test news", build=_build_news)

    def news(key):
        return sending.queue(
            kind=NEWS_KIND,
            about=reachable,
            recipient=reachable.user,
            purpose=NEWS,
            key=key,
            channels_wanted=["email", "sms"],
        )

    news(1)
    assert sending.send_pending() == {Message.Status.SENT: 1, Message.Status.NO_SERVICE: 1}
    assert mail.outbox[0].subject == "News – Involvement group"
    assert mail.outbox[0].to == [reachable.user.email]
    assert Message.objects.get(channel="sms").body_text == "News from Involvement group"

    record_consent(member=reachable, purpose="contact", given=False)
    news(2)
    assert sending.send_pending() == {Message.Status.SKIPPED: 2}
    assert len(mail.outbox) == 1
