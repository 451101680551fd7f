"""The outbox: each message made once in the change's transaction, sent once after commit,
swept up if nobody sent it, retried when it may work later, and never sent again by itself
once a worker may have sent it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from outbox import channels, sending
from outbox.models import Channel, Message

from .conftest import KIND

Status = Message.Status


def queue_note(person, **kwargs):
    return sending.queue(kind=KIND, about=person, recipient=person, purpose="news", **kwargs)


def test_the_same_message_is_made_only_once(hook, person):
    first = queue_note(person)
    second = queue_note(person)

    assert first == second
    assert Message.objects.count() == 1


def test_a_different_key_is_a_different_message(hook, person):
    queue_note(person, key=7)
    queue_note(person, key=1)

    assert sorted(Message.objects.values_list("key", flat=True)) == ["1", "7"]


def test_a_rolled_back_change_leaves_no_message(hook, person):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_note(person)
        raise RuntimeError("the change failed")

    assert not Message.objects.exists()


def test_a_message_is_sent_by_the_worker_after_commit(hook, person, celery_eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_note(person)
    assert len(mail.outbox) == 0, "nothing is sent before the change commits"

    for callback in callbacks:
        callback()

    message = Message.objects.get()
    assert message.status == Status.SENT
    assert [email.to for email in mail.outbox] == [["person@example.org"]]
    assert mail.outbox[0].subject == "A note for you"
    assert message.to == "person@example.org"
    assert message.body_text == "Hello Pat Person."


def test_one_row_per_channel_the_person_chose(hook, person):
    hook.channels = {"email", "sms"}

    queue_note(person, channels_wanted=[Channel.EMAIL, Channel.SMS])
    hook.channels = {"email"}
    queue_note(person, key="other", channels_wanted=[Channel.EMAIL, Channel.SMS])

    channels_by_key = sorted(Message.objects.values_list("key", "channel"))
    assert channels_by_key == [("", "email"), ("", "sms"), ("other", "email")]


def test_the_sweep_sends_what_no_task_picked_up(hook, person):
    queue_note(person)  # no commit callbacks run: as if the broker was down

    outcomes = sending.sweep()

    assert outcomes == {Status.SENT: 1}
    assert len(mail.outbox) == 1


def test_two_workers_cannot_take_the_same_message(hook, person):
    queue_note(person)
    mine = Message.objects.get()
    theirs = Message.objects.get()
    now = timezone.now()

    assert sending._take(mine, now, status=Status.PENDING, attempts=0)
    assert not sending._take(theirs, now, status=Status.PENDING, attempts=0)


def test_a_message_held_sending_is_never_sent_again_by_itself(hook, person):
    queue_note(person)
    message = Message.objects.get()
    sending._take(message, timezone.now(), status=Status.PENDING, attempts=0)  # then the worker dies

    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        sending.sweep()

    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert len(mail.outbox) == 0


def test_a_held_message_needs_checking_within_minutes(hook, person, settings):
    settings.EMAIL_TIMEOUT = 15
    settings.NOTIFY_TIMEOUT = 20
    queue_note(person)
    message = Message.objects.get()
    taken = timezone.now()
    sending._take(message, taken, status=Status.PENDING, attempts=0)

    assert channels.longest_send() <= dt.timedelta(minutes=3)
    with time_machine.travel(taken + dt.timedelta(seconds=30)):
        assert not sending.needs_checking().exists(), "still within the longest a send can take"
    with time_machine.travel(taken + channels.longest_send() + dt.timedelta(seconds=1)):
        assert list(sending.needs_checking()) == [message]


def test_a_temporary_failure_is_retried_after_a_pause(hook, person, settings):
    settings.EMAIL_BACKEND = "outbox.tests.backends.DisconnectingBackend"
    queue_note(person)
    start = timezone.now()

    sending.send_pending(now=start)
    message = Message.objects.get()
    assert message.status == Status.RETRYING
    assert "SMTPServerDisconnected" in message.reason
    assert message.next_attempt_at == start + dt.timedelta(minutes=2)

    assert sending.send_pending(now=start + dt.timedelta(minutes=1)) == {}, "not before the pause is over"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sending.send_pending(now=start + dt.timedelta(minutes=2)) == {Status.SENT: 1}
    message.refresh_from_db()
    assert message.attempts == 2


def test_temporary_failures_give_up_after_the_last_try(hook, person, settings):
    settings.EMAIL_BACKEND = "outbox.tests.backends.DisconnectingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    queue_note(person)
    now = timezone.now()

    for _ in range(5):
        sending.send_pending(now=now)
        now += dt.timedelta(hours=2)

    message = Message.objects.get()
    assert message.status == Status.FAILED
    assert message.attempts == 3
    assert message.reason.startswith("Gave up after 3 tries.")
    assert message in sending.needs_checking()


def test_a_permanent_failure_is_recorded_with_the_reason(hook, person, settings):
    settings.EMAIL_BACKEND = "outbox.tests.backends.RefusingBackend"
    queue_note(person)

    sending.send_pending()

    message = Message.objects.get()
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert "refused the address" in message.reason
    assert "No such user" in message.reason


def test_no_consent_at_the_moment_of_sending_means_not_sent(hook, person):
    queue_note(person)
    hook.allowed = False  # consent withdrawn after the message was made

    sending.send_pending()

    message = Message.objects.get()
    assert message.status == Status.SKIPPED
    assert "no consent" in message.reason
    assert len(mail.outbox) == 0


def test_a_message_no_longer_needed_is_not_sent(hook, person):
    person.name = "No longer needed"
    person.save()
    queue_note(person)

    sending.send_pending()

    message = Message.objects.get()
    assert (message.status, message.reason) == (Status.SKIPPED, "Not sent: the test said so")
    assert len(mail.outbox) == 0


def test_send_again_sends_a_held_message_once_and_records_who(hook, person, coordinator):
    queue_note(person)
    message = Message.objects.get()
    taken = timezone.now()
    sending._take(message, taken, status=Status.PENDING, attempts=0)

    assert sending.send_again(Message.objects.get(), by=coordinator, now=taken + dt.timedelta(seconds=10)) is None, (
        "a message that may still be on its way is left alone"
    )
    later = taken + channels.longest_send() + dt.timedelta(minutes=1)
    first = Message.objects.get()
    second = Message.objects.get()  # a second click on the same page
    assert sending.send_again(first, by=coordinator, now=later) == Status.SENT
    assert sending.send_again(second, by=coordinator, now=later) is None

    message.refresh_from_db()
    assert message.sent_again_by == coordinator
    assert len(mail.outbox) == 1


def test_send_again_leaves_sent_and_skipped_messages_alone(hook, person, coordinator):
    queue_note(person)
    sending.send_pending()

    assert sending.send_again(Message.objects.get(), by=coordinator) is None
    assert len(mail.outbox) == 1


def test_old_bodies_are_removed_and_the_record_kept(hook, person, settings):
    settings.OUTBOX_KEEP_BODIES_DAYS = 90
    queue_note(person)
    sending.send_pending()
    message = Message.objects.get()

    assert sending.remove_old_bodies(now=message.created_at + dt.timedelta(days=89)) == 0
    assert sending.remove_old_bodies(now=message.created_at + dt.timedelta(days=91)) == 1

    message.refresh_from_db()
    assert (message.subject, message.body_text, message.body_html, message.to) == ("", "", "", "")
    assert message.status == Status.SENT
    assert message.sent_at is not None
    assert message.body_removed_at is not None


def test_pending_messages_keep_their_bodies_whatever_their_age(hook, person):
    queue_note(person)

    assert sending.remove_old_bodies(now=timezone.now() + dt.timedelta(days=400)) == 0


def test_an_unregistered_kind_is_refused_before_anything_is_saved(hook, person):
    with pytest.raises(LookupError):
        sending.queue(kind="nobody.registered", about=person, recipient=person, purpose="news")
    assert not Message.objects.exists()


def test_a_prepared_account_email_keeps_its_words_and_goes_once(hook, person):
    from outbox import kinds

    kinds.register_prepared("outbox_tests.account", label="Test account email")
    content = kinds.Content(subject="Set your password", text="Use this link once: https://example.org/k/abc")
    sending.queue_prepared(kind="outbox_tests.account", recipient=person, to=person.email, content=content)

    assert sending.send_pending() == {Status.SENT: 1}
    assert sending.send_pending() == {}
    assert mail.outbox[0].body == "Use this link once: https://example.org/k/abc"
    assert mail.outbox[0].to == ["person@example.org"]


def test_a_prepared_email_to_an_address_with_no_account_is_sent_only_for_account_emails(hook, db):
    from outbox import kinds

    kinds.register_prepared("outbox_tests.account", label="Test account email")
    content = kinds.Content(subject="Someone tried to reset a password", text="If it was not you, ignore this.")
    with pytest.raises(ValueError):
        sending.queue_prepared(
            kind="outbox_tests.account", recipient=None, to="x@example.org", content=content, purpose="news"
        )
    sending.queue_prepared(kind="outbox_tests.account", recipient=None, to="nobody@example.org", content=content)

    assert sending.send_pending() == {Status.SENT: 1}
    assert mail.outbox[0].to == ["nobody@example.org"]


def test_a_prepared_email_goes_to_the_address_it_was_made_for_not_the_accounts_login(hook, person):
    from outbox import kinds

    kinds.register_prepared("outbox_tests.account", label="Test account email")
    content = kinds.Content(subject="Confirm your new address", text="Open this link to confirm it.")
    sending.queue_prepared(kind="outbox_tests.account", recipient=person, to="second@example.org", content=content)

    sending.send_pending()

    assert mail.outbox[0].to == ["second@example.org"]


def test_erasure_removes_words_addresses_and_reasons_and_stops_what_was_not_sent(hook, person, settings):
    settings.EMAIL_BACKEND = "outbox.tests.backends.RefusingBackend"
    queue_note(person, key="refused")
    sending.send_pending()  # refused: the reason quotes the address
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue_note(person, key="sent")
    sending.send_pending()
    queue_note(person, key="waiting")

    sending.erase_for(person)

    rows = {m.key: m for m in Message.objects.all()}
    assert all((m.to, m.subject, m.body_text) == ("", "", "") for m in rows.values())
    assert rows["sent"].status == Status.SENT and rows["sent"].reason == ""
    for key in ("refused", "waiting"):
        assert (rows[key].status, rows[key].reason) == (Status.SKIPPED, sending.ERASED)
    assert sending.send_pending() == {}
    assert not sending.needs_checking().exists()


def test_an_account_emails_one_off_link_is_not_kept_once_sent(hook, person):
    from outbox import kinds

    kinds.register_prepared("outbox_tests.account", label="Test account email")
    content = kinds.Content(
        subject="Set your password", text="https://example.org/reset/key-123", html="<p>key-123</p>"
    )
    sending.queue_prepared(kind="outbox_tests.account", recipient=person, to=person.email, content=content)

    sending.send_pending()

    message = Message.objects.get()
    assert message.status == Status.SENT
    assert "key-123" in mail.outbox[0].body
    assert "key-123" not in message.body_text + message.body_html
    assert message.subject == "Set your password"


def test_send_again_never_sends_a_prepared_email_whose_words_were_removed(hook, person, settings, coordinator):
    from outbox import kinds

    settings.EMAIL_BACKEND = "outbox.tests.backends.RefusingBackend"
    kinds.register_prepared("outbox_tests.account", label="Test account email")
    content = kinds.Content(subject="Set your password", text="https://example.org/reset/key-123")
    sending.queue_prepared(kind="outbox_tests.account", recipient=person, to=person.email, content=content)
    sending.send_pending()  # refused: kept as failed
    sending.remove_old_bodies(now=timezone.now() + dt.timedelta(days=100))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert sending.send_again(Message.objects.get(), by=coordinator) == Status.SKIPPED
    assert mail.outbox == []
    assert "words were removed" in Message.objects.get().reason
