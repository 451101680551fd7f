"""The outbox: every message the portal sends, email or text, is made and sent here.

How a message goes exactly once:

1. An app's message function calls `queue` inside the transaction that makes the change
   (a place comes up, a claim is approved). That saves a ``pending`` row, unique on (kind,
   what it is about, key, recipient, channel): saving it twice saves it once. If the change
   rolls back, so does the message.
2. After commit, a task is queued (``robust``: if the broker is down the change still
   stands) and a worker sends the message. A worker *takes* a message with one conditional
   update (only a ``pending`` row, or a ``retrying`` one whose pause is over, with the
   attempts it saw), so of two workers at most one sends it.
3. `sweep` (every minute) sends anything pending that no task picked up, and retries
   temporary failures after a growing pause, up to `max_attempts()`.
4. A row left ``sending`` by a worker that was killed mid-send is never sent again by itself:
   it may well have arrived. Once it is older than the longest a send can take
   (`channels.longest_send`, a few minutes) it is listed under "Needs checking", where a
   coordinator can "Send again".

Every message asks the recipients hook (`outbox.recipients`, registered by members, which
answers with `members.consent.can_contact`) at the moment of sending, so consent withdrawn
after a message was queued still stops it. Builders (`outbox.kinds`) make the words at the
moment of sending and may say the message is no longer needed.
See docs/decisions/0010-one-outbox.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from . import channels, kinds, recipients
from .models import Channel, Message

logger = logging.getLogger(__name__)

Status = Message.Status

# Account emails (the welcome email with its set-password link) go whatever someone's contact
# choices, as long as the recipients hook agrees the account is live.
ACCOUNT = "account"

# The pause before try n+1 after a temporary failure is RETRY_BASE_DELAY * 3**(n-1):
# 2, 6, 18 and 54 minutes.
RETRY_BASE_DELAY = dt.timedelta(minutes=2)
BATCH = 500

# Statuses after which nothing more happens by itself.
FINISHED = (Status.SENT, Status.FAILED, Status.SKIPPED, Status.NO_SERVICE)
# What "Send again" may take: anything not sent and not left out on purpose.
SENDABLE_AGAIN = (Status.FAILED, Status.RETRYING, Status.PENDING, Status.SENDING, Status.NO_SERVICE)


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


# --- Making messages --------------------------------------------------------------------------


def queue(
    *,
    kind: str,
    about: models.Model,
    recipient,
    purpose: str,
    key: str | int = "",
    channels_wanted: Sequence[str] = (Channel.EMAIL,),
) -> list[int]:
    """Records one message (one per channel the recipient chose among ``channels_wanted``) in
    the caller's transaction, to be sent after commit. Returns the ids of pending messages."""
    return queue_many(kind=kind, items=[(about, recipient)], purpose=purpose, key=key, channels_wanted=channels_wanted)


def queue_many(
    *,
    kind: str,
    items: Iterable[tuple[models.Model, object]],
    purpose: str,
    key: str | int = "",
    channels_wanted: Sequence[str] = (Channel.EMAIL,),
    send_after_commit: bool = True,
) -> list[int]:
    """Records the same kind of message for many (what it is about, recipient) pairs in one
    insert. A message already recorded under the same key is left as it is."""
    kinds.get(kind)  # an unregistered kind is a programming error: fail before saving anything
    items = [(about, user) for about, user in items if user is not None]
    if not items:
        return []
    key = str(key)
    chosen = recipients.get().chosen_channels([user for _, user in items])
    rows = []
    for about, user in items:
        about_type = ContentType.objects.get_for_model(about)
        user_channels = {Channel.EMAIL} if purpose == ACCOUNT else chosen.get(user.pk, set())
        for channel in channels_wanted:
            if channel in user_channels:
                rows.append(
                    Message(
                        kind=kind,
                        about_type=about_type,
                        about_id=about.pk,
                        key=key,
                        recipient=user,
                        channel=channel,
                        purpose=purpose,
                    )
                )
    if not rows:
        return []
    Message.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Message.objects.filter(
            kind=kind,
            key=key,
            status=Status.PENDING,
            about_type__in={row.about_type_id for row in rows},
            about_id__in={row.about_id for row in rows},
            recipient__in={row.recipient_id for row in rows},
        ).values_list("pk", flat=True)
    )
    if ids and send_after_commit:
        # robust: a broker outage after the commit is logged, not raised; the sweep sends them.
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return ids


def queue_prepared(
    *,
    kind: str,
    recipient,
    to: str,
    content: kinds.Content,
    purpose: str = ACCOUNT,
    about: models.Model | None = None,
) -> int:
    """Records an email whose words are fixed now (an account email with a one-off link), to
    ``to``, sent after commit like any other. Each call is its own message. ``recipient`` may
    be None only for an account email about an address that has no account."""
    if kinds.get(kind).build is not kinds.stored_content:
        raise ValueError(f"Message kind {kind!r} builds its own words; use queue().")
    if recipient is None and purpose != ACCOUNT:
        raise ValueError("Only account emails may go to an address with no account.")
    message = Message.objects.create(
        kind=kind,
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
        key=uuid.uuid4().hex,
        recipient=recipient,
        channel=Channel.EMAIL,
        purpose=purpose,
        to=to,
        subject=content.subject[:200],
        body_text=content.text,
        body_html=content.html,
    )
    transaction.on_commit(lambda: _enqueue([message.pk]), robust=True)
    return message.pk


def _enqueue(ids: list[int]) -> None:
    from .tasks import send_messages

    send_messages.delay(ids)


def about(obj: models.Model) -> Q:
    """A filter for the messages about one object."""
    return Q(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)


def about_any(model: type[models.Model], ids: Iterable[int]) -> Q:
    return Q(about_type=ContentType.objects.get_for_model(model), about_id__in=list(ids))


# --- Sending ----------------------------------------------------------------------------------


def _take(message: Message, now: dt.datetime, **seen) -> bool:
    """Moves a message to "sending" for this worker, only if it is still as this worker saw
    it: one conditional update, so of two workers at most one takes it."""
    taken = Message.objects.filter(pk=message.pk, **seen).update(
        status=Status.SENDING, attempts=F("attempts") + 1, taken_at=now, next_attempt_at=None
    )
    if taken:
        message.status = Status.SENDING
        message.attempts += 1
        message.taken_at = now
    return taken == 1


def _finish(message: Message, **fields) -> str:
    """Records what happened to a message this worker holds."""
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(**fields)
    for field, value in fields.items():
        setattr(message, field, value)
    return message.status


def _retry_delay(attempts: int) -> dt.timedelta:
    return RETRY_BASE_DELAY * 3 ** max(attempts - 1, 0)


def send_taken(message: Message, *, now: dt.datetime | None = None) -> str:
    """Sends a message this worker has taken (its row is "sending") and records the outcome."""
    now = now or timezone.now()
    hook = recipients.get()
    user = message.recipient
    if user is None and message.purpose == ACCOUNT and message.about_id is None and message.to:
        address = message.to  # an account email about an address with no account (allauth's choice)
    elif user is None:
        return _finish(message, status=Status.SKIPPED, reason="Not sent: the account no longer exists.")
    elif not hook.may_contact(user, message.purpose, message.channel):
        return _finish(
            message,
            status=Status.SKIPPED,
            reason="Not sent: no consent to be contacted this way, taking a break, or has left the group.",
        )
    elif message.to and kinds.get(message.kind).build is kinds.stored_content:
        # A prepared email goes where it was made for: allauth confirms a newly added address
        # by writing to that address, not to the account's main one.
        address = message.to
    else:
        address = hook.address(user, message.channel)
    if not address:
        return _finish(message, status=Status.SKIPPED, reason="Not sent: no address for this channel.")
    try:
        content = kinds.get(message.kind).build(message)
    except kinds.NoLongerNeeded as exc:
        return _finish(message, status=Status.SKIPPED, reason=f"Not sent: {exc}"[:500])
    except Exception as exc:  # a broken template must not lose the message: keep it for a retry
        logger.exception("Could not build outbox message %s (%s)", message.pk, message.kind)
        return _temporary(message, now, f"Could not build the message: {type(exc).__name__}: {exc}")
    _finish(
        message,
        status=Status.SENDING,
        to=address,
        subject=content.subject[:200],
        body_text=content.text,
        body_html=content.html,
    )
    try:
        if message.channel == Channel.SMS:
            reference = channels.send_sms(to=address, content=content, reference=f"portal-{message.pk}")
        else:
            reference = channels.send_email(to=address, content=content)
    except channels.NoService as exc:
        return _finish(message, status=Status.NO_SERVICE, reason=str(exc))
    except channels.PermanentFailure as exc:
        logger.error("Outbox message %s could not be sent: %s", message.pk, exc)
        return _finish(message, status=Status.FAILED, reason=str(exc)[:500])
    except channels.TemporaryFailure as exc:
        return _temporary(message, now, str(exc))
    sent = {"status": Status.SENT, "sent_at": timezone.now(), "reason": "", "provider_reference": reference}
    if message.purpose == ACCOUNT:
        # Account emails carry one-off links (set a password, confirm an address) that would
        # still work for whoever read them here: their words go as soon as they have been sent.
        sent.update(body_text="", body_html="", body_removed_at=sent["sent_at"])
    return _finish(message, **sent)


def _temporary(message: Message, now: dt.datetime, reason: str) -> str:
    if message.attempts >= max_attempts():
        logger.error("Outbox message %s gave up after %s tries: %s", message.pk, message.attempts, reason)
        return _finish(message, status=Status.FAILED, reason=f"Gave up after {message.attempts} tries. {reason}"[:500])
    logger.warning("Outbox message %s not sent yet (try %s): %s", message.pk, message.attempts, reason)
    return _finish(
        message, status=Status.RETRYING, reason=reason[:500], next_attempt_at=now + _retry_delay(message.attempts)
    )


def due(now: dt.datetime | None = None) -> Q:
    """Messages a worker may take now: pending, or retrying with their pause over."""
    now = now or timezone.now()
    return Q(status=Status.PENDING) | Q(status=Status.RETRYING, next_attempt_at__lte=now)


def send_pending(messages: QuerySet[Message] | None = None, *, now: dt.datetime | None = None) -> dict[str, int]:
    """Sends the due messages among ``messages`` (all of them by default), each at most once.
    Returns a count of outcomes."""
    now = now or timezone.now()
    if messages is None:
        messages = Message.objects.all()
    outcomes: dict[str, int] = {}
    candidates = messages.filter(due(now)).select_related("recipient").order_by("created_at", "pk")[:BATCH]
    for message in candidates:
        if _take(message, now, status=message.status, attempts=message.attempts):
            outcome = str(send_taken(message, now=now))
        else:
            outcome = "taken elsewhere"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: sends whatever is due and reports messages held by a stopped worker."""
    now = now or timezone.now()
    outcomes = send_pending(now=now)
    held = list(
        held_messages(now=now)
        .filter(taken_at__gt=now - channels.longest_send() - dt.timedelta(minutes=5))
        .values_list("pk", flat=True)[:100]
    )
    if held:
        logger.error(
            "Outbox messages left 'sending' by a worker that stopped mid-send (not sent again, as they "
            "may have arrived; coordinators see them under 'Needs checking'): %s",
            held,
        )
    return outcomes


# --- For coordinators -------------------------------------------------------------------------


def held(now: dt.datetime | None = None) -> Q:
    """Messages a worker took more than the longest a send can take ago and never finished."""
    now = now or timezone.now()
    return Q(status=Status.SENDING, taken_at__lt=now - channels.longest_send())


def held_messages(*, now: dt.datetime | None = None) -> QuerySet[Message]:
    return Message.objects.filter(held(now))


def needs_checking_filter(now: dt.datetime | None = None) -> Q:
    """What a person should look at: held by a stopped worker, or could not be sent."""
    return held(now) | Q(status=Status.FAILED)


def needs_checking(*, now: dt.datetime | None = None) -> QuerySet[Message]:
    return Message.objects.filter(needs_checking_filter(now))


def can_send_again(message: Message, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if message.status not in SENDABLE_AGAIN:
        return False
    if message.status == Status.SENDING:
        return message.taken_at is not None and message.taken_at < now - channels.longest_send()
    return True


def send_again(message: Message, *, by, now: dt.datetime | None = None) -> str | None:
    """A coordinator's "Send again" for a message that could not be sent, is waiting, or was
    held by a worker that stopped (it may already have arrived: the admin says so before
    this runs). Takes the row with the same conditional update as the workers, so two clicks
    or a sweep at the same moment send it once. Returns the outcome, or None if it could not
    be taken (already sent, still being sent, or taken by someone else)."""
    now = now or timezone.now()
    if not can_send_again(message, now=now):
        return None
    seen = {"status": message.status, "attempts": message.attempts, "taken_at": message.taken_at}
    if not _take(message, now, **seen):
        return None
    Message.objects.filter(pk=message.pk).update(sent_again_by=by)
    return send_taken(message, now=now)


def not_sent_for_lack_of_service(queryset: QuerySet[Message] | None = None) -> QuerySet[Message]:
    """Text messages recorded but not sent because no text message service is set up: the
    people a coordinator should phone instead."""
    queryset = Message.objects.all() if queryset is None else queryset
    return queryset.filter(channel=Channel.SMS, status=Status.NO_SERVICE)


# --- Retention --------------------------------------------------------------------------------


def remove_old_bodies(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Removes what old messages said and where they went, keeping the record that they were
    sent (kind, recipient, channel, status and dates). Returns how many were cleared."""
    now = now or timezone.now()
    days = settings.OUTBOX_KEEP_BODIES_DAYS if days is None else days
    return Message.objects.filter(
        status__in=FINISHED, created_at__lt=now - dt.timedelta(days=days), body_removed_at__isnull=True
    ).update(to="", subject="", body_text="", body_html="", body_removed_at=now)


ERASED = "Not sent: the person's data was erased."


def erase_for(user) -> int:
    """Removes the words and addresses of every message to ``user`` (used by erasure), and the
    reasons too (a mail server's refusal quotes the address). Messages not sent yet are never
    sent (nor listed for "Send again"): the address they would go to is gone."""
    messages = Message.objects.filter(recipient=user)
    erased = messages.update(to="", subject="", body_text="", body_html="", reason="", body_removed_at=timezone.now())
    # Not "sending": a worker may be sending it this moment, and records what happened itself.
    messages.filter(status__in=(Status.PENDING, Status.RETRYING, Status.FAILED)).update(
        status=Status.SKIPPED, reason=ERASED, next_attempt_at=None
    )
    return erased
