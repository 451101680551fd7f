"""The demo group's members: every stage, realistic mixes, and safe to seed again."""

import pytest
from django.core.management import call_command

from members.consent import can_contact, contactable_members
from members.models import Consent, EqualityMonitoring, Member, MemberAccessLog, TrainingRecord

pytestmark = pytest.mark.django_db


def _seed():
    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", stdout=quiet)


def _counts():
    return (
        Member.objects.count(),
        Consent.objects.count(),
        TrainingRecord.objects.count(),
        EqualityMonitoring.objects.count(),
        Member.history.count(),
        MemberAccessLog.objects.count(),
    )


def test_seed_demo_creates_members_at_every_stage_with_a_mix_of_channels_needs_and_consents():
    _seed()

    assert set(Member.objects.values_list("status", flat=True)) == set(Member.Status.values)
    for channel in ("email", "sms", "phone", "post"):
        assert Member.objects.filter(**{f"contact_by_{channel}": True}).exists(), channel
        assert contactable_members("news", channel).exists(), channel
    assert Member.objects.filter(needs_bsl=True).exists()
    assert Member.objects.filter(needs_interpreter=True).exclude(interpreter_language="").exists()
    assert Member.objects.exclude(access_other="").exists()
    assert Consent.objects.filter(method="phone", recorded_by__email="coordinator@demo.example").exists()
    assert Consent.objects.filter(method="paper").exists()
    assert Consent.objects.filter(purpose="contact", given=False).exists()
    assert EqualityMonitoring.objects.count() >= 3
    assert TrainingRecord.objects.filter(recorded_by__email="coordinator@demo.example").exists()
    # Someone registered on paper, without an email address.
    paper = Member.objects.get(user__email__isnull=True, user__name="Joan Bright")
    assert can_contact(paper, "news", "post") and not can_contact(paper, "news", "email")
    # The demo log-in member has finished joining; someone else stopped half-way.
    assert Member.objects.get(user__email="member@demo.example").onboarding_done
    assert Member.objects.get(user__email="hannah.lewis@demo.example").next_onboarding_step == "respect"


def test_withdrawn_then_given_again_is_contactable_and_withdrawn_is_not():
    _seed()
    assert can_contact(Member.objects.get(user__email="sam.taylor@demo.example"), "news", "email")
    assert not can_contact(Member.objects.get(user__email="rhian.evans@demo.example"), "news", "email")


def test_seeding_members_twice_adds_no_members_consents_or_training():
    _seed()
    counts = _counts()
    _seed()
    assert _counts() == counts
