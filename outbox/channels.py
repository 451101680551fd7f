"""The two ways a message leaves the portal: email (Django's email backend, over SMTP in
production) and text message (GOV.UK Notify).

Each sender either returns (sent, with the provider's reference if there is one) or raises:
`TemporaryFailure` for what may work later (the server is down, timed out or busy),
`PermanentFailure` for what never will (the address or number is refused), and `NoService`
when no text message service is set up. Every network call has a timeout, so a send cannot
hang for longer than `longest_send()`, after which the outbox treats a message still marked
"sending" as held by a worker that stopped.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .kinds import Content


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


class NoService(Exception):
    pass


# The steps of one SMTP conversation that can each wait for the full timeout (connect,
# greeting, STARTTLS, login, sender, recipient, data, quit).
SMTP_STEPS = 8


def longest_send() -> dt.timedelta:
    """The longest one message can take to send, with every network wait at its timeout,
    plus time to build it. A message "sending" for longer belongs to a worker that stopped."""
    waits = max(settings.EMAIL_TIMEOUT * SMTP_STEPS, settings.NOTIFY_TIMEOUT)
    return dt.timedelta(seconds=waits + 30)


def send_email(*, to: str, content: Content) -> str:
    message = EmailMultiAlternatives(content.subject, content.text, settings.DEFAULT_FROM_EMAIL, [to])
    if content.html:
        message.attach_alternative(content.html, "text/html")
    for attachment in content.attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure(f"The mail server refused the address: {_smtp_reason(exc)}") from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise TemporaryFailure(f"The mail server refused the portal's login: {_smtp_reason(exc)}") from exc
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            raise PermanentFailure(f"The mail server refused the message: {_smtp_reason(exc)}") from exc
        raise TemporaryFailure(f"The mail server is busy: {_smtp_reason(exc)}") from exc
    except (smtplib.SMTPException, OSError) as exc:  # timeouts and refused connections are OSErrors
        raise TemporaryFailure(f"Could not reach the mail server: {type(exc).__name__}: {exc}") from exc
    return ""


def _smtp_reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def sms_configured() -> bool:
    return bool(settings.NOTIFY_API_KEY and settings.NOTIFY_SMS_TEMPLATE_ID)


def send_sms(*, to: str, content: Content, reference: str) -> str:
    """Sends through Notify's SMS template, whose whole body is the ``((message))`` placeholder,
    so the portal's own short text template decides the words. Returns Notify's id."""
    if not sms_configured():
        raise NoService("Not sent: no text message service set up.")
    from notifications_python_client.errors import APIError
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(
        settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
    )
    try:
        response = client.send_sms_notification(
            phone_number=to,
            template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
            personalisation={"message": content.text},
            reference=reference,
        )
    except APIError as exc:
        reason = f"GOV.UK Notify said {exc.status_code}: {exc.message}"[:400]
        # 400: a bad number or a template problem; neither gets better by waiting.
        if exc.status_code == 400:
            raise PermanentFailure(reason) from exc
        raise TemporaryFailure(reason) from exc
    return str((response or {}).get("id", ""))
