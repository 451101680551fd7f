"""The demo group gives the scheduler real work as soon as `make run` starts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from meetings.models import MessageDelivery
from meetings.tasks import send_due_debriefs, send_due_reminders

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_reminder_and_a_debrief_due_and_the_jobs_send_them_once():
    call_command("seed_demo", verbosity=0)

    reminders = send_due_reminders.apply().get()
    debriefs = send_due_debriefs.apply().get()

    assert reminders.get(MessageDelivery.Status.SENT, 0) >= 1
    assert debriefs.get(MessageDelivery.Status.SENT, 0) >= 1
    sent = MessageDelivery.objects.filter(status=MessageDelivery.Status.SENT)
    reminded = sent.filter(kind=MessageDelivery.Kind.REMINDER, registration__meeting__title="Online coffee morning")
    debriefed = sent.filter(kind=MessageDelivery.Kind.DEBRIEF, registration__meeting__title="Evening check-in")
    assert reminded.exists()
    assert debriefed.exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert "member@demo.example" in recipients
    assert all("mental health" not in message.subject.lower() for message in mail.outbox)

    # Loading the demo again and running the jobs again sends nothing more.
    sent_before = len(mail.outbox)
    call_command("seed_demo", verbosity=0)
    send_due_reminders.apply().get()
    send_due_debriefs.apply().get()
    assert len(mail.outbox) == sent_before
