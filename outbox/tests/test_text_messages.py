"""Text messages: through GOV.UK Notify when it is set up (only its HTTP API is mocked here),
and recorded for a coordinator to phone instead when it is not."""

from __future__ import annotations

import json
import uuid

import pytest
import responses
from django.utils import timezone

from outbox import sending
from outbox.models import Channel, Message

from .conftest import KIND

Status = Message.Status
NOTIFY_URL = "https://api.notifications.service.gov.uk/v2/notifications/sms"
TEMPLATE_ID = str(uuid.uuid4())


@pytest.fixture
def notify(settings):
    # A key in Notify's own shape: name, service id, secret.
    settings.NOTIFY_API_KEY = f"portal_test-{uuid.uuid4()}-{uuid.uuid4()}"
    settings.NOTIFY_SMS_TEMPLATE_ID = TEMPLATE_ID
    settings.NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
    with responses.RequestsMock() as api:
        yield api


def queue_text(hook, person):
    hook.channels = {"sms"}
    return sending.queue(kind=KIND, about=person, recipient=person, purpose="meetings", channels_wanted=[Channel.SMS])


def test_a_text_goes_through_notify_with_the_portals_words(hook, person, notify):
    notify.post(NOTIFY_URL, json={"id": "notify-123", "reference": "x"}, status=201)
    queue_text(hook, person)

    assert sending.send_pending() == {Status.SENT: 1}

    sent = json.loads(notify.calls[0].request.body)
    assert sent["phone_number"] == "07700900123"
    assert sent["template_id"] == TEMPLATE_ID
    assert sent["personalisation"] == {"message": "Hello Pat Person. A note for you."}
    assert notify.calls[0].request.headers["Authorization"].startswith("Bearer ")
    message = Message.objects.get()
    assert (message.provider_reference, message.to) == ("notify-123", "07700900123")


def test_without_notify_a_text_is_listed_for_a_phone_call(hook, person, settings):
    settings.NOTIFY_API_KEY = ""
    queue_text(hook, person)

    with responses.RequestsMock() as api:  # fails the test if anything is requested
        sending.send_pending()
        assert len(api.calls) == 0

    message = Message.objects.get()
    assert message.status == Status.NO_SERVICE
    assert message.reason == "Not sent: no text message service set up."
    assert list(sending.not_sent_for_lack_of_service()) == [message]


def test_a_number_notify_refuses_is_a_permanent_failure(hook, person, notify):
    notify.post(
        NOTIFY_URL,
        json={
            "status_code": 400,
            "errors": [{"error": "ValidationError", "message": "phone_number Not a UK mobile number"}],
        },
        status=400,
    )
    queue_text(hook, person)

    sending.send_pending()

    message = Message.objects.get()
    assert message.status == Status.FAILED
    assert "Not a UK mobile number" in message.reason


def test_notify_being_down_is_tried_again_later(hook, person, notify):
    notify.post(
        NOTIFY_URL, json={"status_code": 500, "errors": [{"error": "Exception", "message": "Internal"}]}, status=500
    )
    queue_text(hook, person)

    sending.send_pending()

    message = Message.objects.get()
    assert message.status == Status.RETRYING
    assert message.next_attempt_at > timezone.now()
    assert "500" in message.reason


def test_notify_is_called_with_a_timeout(hook, person, notify, settings):
    settings.NOTIFY_TIMEOUT = 7
    seen = {}

    def callback(request):
        seen["timeout"] = request.req_kwargs.get("timeout")
        return (201, {}, json.dumps({"id": "n1"}))

    notify.add_callback(responses.POST, NOTIFY_URL, callback=callback)
    queue_text(hook, person)

    sending.send_pending()

    assert seen["timeout"] == 7
