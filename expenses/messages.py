"""Messages to a member about their own expense claim: one for each change of status (submitted,
queried, approved, rejected, paid), by email and, for members who chose it, by text message.

`claim_status_changed` is called by ``expenses.services`` in the transaction that changes the
claim, and records the message in the outbox; the outbox sends it after the commit. Each
message is about the change itself (the ClaimEvent), so one change makes one message per
channel however often it is recorded, and a claim sent back after a question is acknowledged
again. At the moment of sending the outbox asks ``can_contact(member, "claims", channel)``:
nothing goes to someone who withdrew consent to be contacted or left; claim messages still go
while a member is taking a break (it is their own money).

The words are built when the message is sent, from the templates under
``templates/emails/expenses/`` (``<status>_subject.txt``, ``<status>.txt``, ``<status>.html`` and
the short ``<status>_sms.txt``). A message whose claim has moved on since is not sent: a later
message says what matters now. Subjects and texts show on lock screens: they name the group by
its short name and never give the activity's title (it may name something painful).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse

from common.formatting import long_date, pounds
from members.consent import ContactPurpose
from outbox import kinds, sending
from outbox.kinds import Content, NoLongerNeeded
from outbox.models import Channel, Message
from outbox.rendering import render_for

from .models import Category, ClaimEvent, ExpenseClaim
from .rates import activity_date

Status = ExpenseClaim.Status

# One kind of message for each status a member hears about.
KINDS = {
    Status.SUBMITTED: "expenses.claim_submitted",
    Status.QUERIED: "expenses.claim_queried",
    Status.APPROVED: "expenses.claim_approved",
    Status.REJECTED: "expenses.claim_rejected",
    Status.PAID: "expenses.claim_paid",
}
LABELS = {
    Status.SUBMITTED: "Expense claim received",
    Status.QUERIED: "Question about an expense claim",
    Status.APPROVED: "Expense claim approved",
    Status.REJECTED: "Expense claim not approved",
    Status.PAID: "Expense claim paid",
}

# What a member is told about when an approved claim is paid (on the claim page and in the email).
PAYMENT_TIMESCALE = (
    "We pass approved claims to the finance team to pay. This usually takes up to 2 weeks, "
    "and we will email you when it has been paid."
)


def register_kinds() -> None:
    """Called from ExpensesConfig.ready()."""
    for status, name in KINDS.items():
        kinds.register(name, label=LABELS[status], build=build_claim_message)


def claim_status_changed(*, claim: ExpenseClaim, event: ClaimEvent) -> list[int]:
    """Records the member's message about this change of their claim, in the caller's
    transaction, on each channel they chose (email, text). A change with no message (a new
    draft) records nothing. Returns the ids of the messages waiting to be sent."""
    if event.to_status not in KINDS:
        return []
    return sending.queue(
        kind=KINDS[event.to_status],
        about=event,
        recipient=claim.member.user,
        purpose=ContactPurpose.CLAIMS,
        channels_wanted=(Channel.EMAIL, Channel.SMS),
    )


def build_claim_message(message: Message) -> Content:
    """The words of one claim message, as the claim stands now; not needed once it has moved on."""
    events = ClaimEvent.objects.select_related("claim__meeting", "claim__member__user")
    event = events.filter(pk=message.about_id).first()
    if event is None:
        raise NoLongerNeeded("the claim has been deleted.")
    claim = event.claim
    later = claim.events.filter(Q(at__gt=event.at) | Q(at=event.at, pk__gt=event.pk))
    if claim.status != event.to_status or later.exists():
        raise NoLongerNeeded("the claim has moved on since; a later message says what matters now.")
    return render_for(message, f"emails/expenses/{event.to_status}", claim_context(claim, event))


def claim_url(claim: ExpenseClaim) -> str:
    """The claim's page on the portal's public address (there is no request in a background job)."""
    try:
        path = reverse("expenses:claim", args=[claim.pk])
    except NoReverseMatch:
        path = f"/expenses/claims/{claim.pk}/"
    return f"{settings.PORTAL_BASE_URL}{path}"


def claim_context(claim: ExpenseClaim, event: ClaimEvent) -> dict[str, Any]:
    """What every claim message may say: the activity (kind and date, never its title), the
    costs and the total, and what was said with this change."""
    items = list(claim.items.order_by("created_at", "pk"))
    total = claim.items.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    context: dict[str, Any] = {
        "claim": claim,
        "member": claim.member,
        "user": claim.member.user,
        "kind": claim.meeting.get_kind_display().lower(),
        "date": long_date(activity_date(claim.meeting)),
        "items": [
            {
                "what": item.get_category_display(),
                "amount": pounds(item.amount),
                "is_payment": item.category == Category.INVOLVEMENT_PAYMENT,
            }
            for item in items
        ],
        "total": pounds(total),
        "claim_url": claim_url(claim),
        "payment_timescale": PAYMENT_TIMESCALE,
    }
    if event.to_status == Status.QUERIED:
        context["question"] = event.message
    elif event.to_status == Status.REJECTED:
        context["reason"] = claim.rejection_reason or event.message
    elif event.to_status == Status.PAID:
        context["paid_on"] = long_date(claim.paid_on) if claim.paid_on else ""
        context["reference"] = claim.payment_reference
    return context
