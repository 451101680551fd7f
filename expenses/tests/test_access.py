"""A member sees only their own claims and receipts; receipts go to finance staff too, and no one else."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from expenses.access import claims_for_member, get_claim_for_member, get_item_for_member, get_receipt_for_user
from expenses.tests.factories import ExpenseClaimFactory, ExpenseItemFactory, FinanceApproverFactory, MemberFactory
from members.roles import is_commissioner, is_coordinator, is_finance_approver
from members.tests.totp import activate_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(member):
    return ExpenseClaimFactory(member=MemberFactory(user=member, active=True))


@pytest.fixture
def item(claim):
    return ExpenseItemFactory(claim=claim, with_receipt=True)


def _client(user) -> Client:
    activate_totp(user)  # staff and commissioners must have two-step login before anything else
    client = Client()
    client.force_login(user)
    return client


def _url(item) -> str:
    return reverse("receipts:download", args=[item.pk])


def test_member_sees_their_own_claim(member, claim):
    assert get_claim_for_member(member, claim.pk) == claim
    assert list(claims_for_member(member)) == [claim]


def test_member_cannot_see_another_members_claim(other_member, claim):
    MemberFactory(user=other_member, active=True)
    with pytest.raises(Http404):
        get_claim_for_member(other_member, claim.pk)
    assert not claims_for_member(other_member).exists()


def test_member_cannot_reach_another_members_item(other_member, item):
    MemberFactory(user=other_member, active=True)
    with pytest.raises(Http404):
        get_item_for_member(other_member, item.pk)


def test_commissioner_sees_no_claim(commissioner, claim):
    with pytest.raises(Http404):
        get_claim_for_member(commissioner, claim.pk)


def test_an_erased_member_sees_no_claim(member, claim):
    claim.member.erased_at = claim.created_at
    claim.member.save()
    with pytest.raises(Http404):
        get_claim_for_member(member, claim.pk)


def test_member_downloads_their_own_receipt_as_an_attachment(member, item):
    response = _client(member).get(_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="receipt.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_finance_approver_downloads_any_receipt(item):
    assert _client(FinanceApproverFactory()).get(_url(item)).status_code == 200
    assert get_receipt_for_user(FinanceApproverFactory(email="f2@example.org"), item.pk) == item


def test_coordinator_downloads_any_receipt(coordinator, item):
    assert _client(coordinator).get(_url(item)).status_code == 200


def test_another_member_is_refused_the_receipt(other_member, item):
    MemberFactory(user=other_member, active=True)
    assert _client(other_member).get(_url(item)).status_code == 404


def test_a_commissioner_is_refused_the_receipt(commissioner, item):
    assert _client(commissioner).get(_url(item)).status_code == 404


def test_staff_without_a_finance_role_are_refused_the_receipt(item):
    from members.tests.factories import UserFactory

    assert _client(UserFactory(email="staff@example.org", is_staff=True)).get(_url(item)).status_code == 404


def test_anonymous_is_sent_to_log_in(anonymous, item):
    response = anonymous.get(_url(item))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_item_without_a_receipt_is_not_found(member, claim):
    bare = ExpenseItemFactory(claim=claim)
    assert _client(member).get(_url(bare)).status_code == 404


def test_a_missing_file_is_not_found_rather_than_an_error(member, item):
    item.receipt.storage.delete(item.receipt.name)
    assert _client(member).get(_url(item)).status_code == 404


def test_an_unexpected_stored_type_is_served_as_plain_bytes(member, item):
    item.receipt_content_type = "text/html"
    item.save()
    assert _client(member).get(_url(item))["Content-Type"] == "application/octet-stream"


def test_a_commissioner_who_is_also_finance_staff_is_refused_the_receipt(commissioner, item):
    # Someone given both roles by mistake: commissioners must never see personal data, so that rule wins.
    from django.contrib.auth.models import Group

    from members.roles import COORDINATORS, FINANCE_APPROVERS

    commissioner.is_staff = True
    commissioner.save()
    commissioner.groups.add(Group.objects.get(name=FINANCE_APPROVERS), Group.objects.get(name=COORDINATORS))
    commissioner = type(commissioner).objects.get(pk=commissioner.pk)  # roles read afresh
    assert is_finance_approver(commissioner) and is_coordinator(commissioner) and is_commissioner(commissioner)
    with pytest.raises(Http404):
        get_receipt_for_user(commissioner, item.pk)
    assert _client(commissioner).get(_url(item)).status_code == 404
