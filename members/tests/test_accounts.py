import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.models import User
from members.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-memorable-phrase"


def _sign_up(client, email="new.member@example.org"):
    return client.post(
        reverse("account_signup"),
        {"name": "Nia Brown", "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_sign_up_sends_a_verification_email_then_confirming_allows_log_in(
    anonymous, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # sent by the outbox after the commit
        response = _sign_up(anonymous)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.member@example.org")
    assert user.name == "Nia Brown"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.member@example.org"]
    # Subjects show on lock screens: the group's discreet short name, never "mental health".
    assert message.subject == "Confirm your email address – Involvement group"
    assert "mental health" not in (message.subject + message.body).lower()
    assert message.body.startswith("Hello Nia Brown,")
    assert "Perinatal Involvement Group" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", message.body).group(1)

    # Before confirming, logging in only says to check the inbox.
    response = anonymous.post(reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in anonymous.session

    assert anonymous.get(link).status_code == 200
    response = anonymous.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = anonymous.post(reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert anonymous.session["_auth_user_id"] == str(user.pk)


def test_email_is_the_login_and_is_stored_lowercase(anonymous):
    _sign_up(anonymous, email="Mixed.Case@Example.org")
    assert User.objects.filter(email="mixed.case@example.org").exists()


def test_signing_up_twice_with_one_email_does_not_create_a_second_account(anonymous, member):
    response = _sign_up(anonymous, email=member.email)
    # Enumeration prevention: the page looks the same, but no account is added.
    assert response.status_code == 302
    assert User.objects.filter(email=member.email).count() == 1


def test_wrong_password_is_rate_limited(anonymous, member):
    url = reverse("account_login")
    for _ in range(5):
        response = anonymous.post(url, {"login": member.email, "password": "not-my-password"})
        assert response.status_code == 200
        assert "_auth_user_id" not in anonymous.session

    # Even the right password is refused once the limit is reached.
    response = anonymous.post(url, {"login": member.email, "password": DEFAULT_PASSWORD})
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in anonymous.session


def test_password_reset_email_links_to_a_page_that_sets_a_new_password(
    anonymous, member, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(reverse("account_reset_password"), {"email": member.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert mail.outbox[0].subject == "Reset your password – Involvement group"
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+)", mail.outbox[0].body).group(1)

    response = anonymous.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = anonymous.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_log_out_needs_a_post_and_ends_the_session(member_client):
    assert member_client.get(reverse("account_logout")).status_code == 200
    assert "_auth_user_id" in member_client.session
    member_client.post(reverse("account_logout"))
    assert "_auth_user_id" not in member_client.session
