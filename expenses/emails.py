"""Emails to a member about their own expense claim: one function, one message per status, each
with subject, text and HTML templates side by side under ``templates/emails/expenses/``
(``<status>_subject.txt``, ``<status>.txt``, ``<status>.html``).

They go through ``members.emails.send_member_email``, which asks
``can_contact(member, ContactPurpose.CLAIMS, "email")`` first: nothing goes to someone who
withdrew consent to be contacted, or who left; claim emails still go while a member is taking a
break (it is their own money). Subjects show on lock screens: "<what> – <group short name>",
never the activity's title.

Exactly once, and retries, are the task's business (``expenses.tasks``); this only builds and sends.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat

from members.consent import ContactPurpose
from members.emails import send_member_email

from .models import Category, ClaimEvent, ExpenseClaim
from .rates import activity_date

Status = ExpenseClaim.Status

# What a member is told about when an approved claim is paid (on the claim page and in the email).
PAYMENT_TIMESCALE = (
    "We pass approved claims to the finance team to pay. This usually takes up to 2 weeks, "
    "and we will email you when it has been paid."
)

STATUSES_WITH_EMAIL = (Status.SUBMITTED, Status.QUERIED, Status.APPROVED, Status.REJECTED, Status.PAID)


def money(amount: Decimal | None) -> str:
    return f"£{(amount or Decimal('0')):,.2f}"


def claim_url(claim: ExpenseClaim) -> str:
    """The claim's page on the portal's public address (there is no request in a background job)."""
    try:
        path = reverse("expenses:claim", args=[claim.pk])
    except NoReverseMatch:
        path = f"/expenses/claims/{claim.pk}/"
    return f"{settings.PORTAL_BASE_URL}{path}"


def _latest_message(claim: ExpenseClaim, status: str) -> str:
    event = latest_event(claim, status)
    return event.message if event else ""


def claim_email_context(claim: ExpenseClaim, status: str) -> dict[str, Any]:
    """What every claim email may say: the activity (kind and date, never its title), the costs and the total."""
    items = list(claim.items.order_by("created_at", "pk"))
    total = claim.items.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    context: dict[str, Any] = {
        "claim": claim,
        "kind": claim.meeting.get_kind_display().lower(),
        "date": dateformat.format(activity_date(claim.meeting), "l j F Y"),
        "items": [
            {
                "what": item.get_category_display(),
                "amount": money(item.amount),
                "is_payment": item.category == Category.INVOLVEMENT_PAYMENT,
            }
            for item in items
        ],
        "total": money(total),
        "claim_url": claim_url(claim),
        "payment_timescale": PAYMENT_TIMESCALE,
    }
    if status == Status.QUERIED:
        context["question"] = _latest_message(claim, Status.QUERIED)
    elif status == Status.REJECTED:
        context["reason"] = claim.rejection_reason or _latest_message(claim, Status.REJECTED)
    elif status == Status.PAID:
        context["paid_on"] = dateformat.format(claim.paid_on, "l j F Y") if claim.paid_on else ""
        context["reference"] = claim.payment_reference
    return context


def send_claim_status_email(claim: ExpenseClaim, status: str) -> bool:
    """Tells the member their claim was submitted, queried, approved, rejected or paid.

    Returns whether it was sent (False when the member may not be emailed about claims).
    """
    if status not in STATUSES_WITH_EMAIL:
        raise ValueError(f"No email for a claim becoming {status!r}.")
    claim = ExpenseClaim.objects.select_related("member", "member__user", "meeting").get(pk=claim.pk)
    return send_member_email(
        member=claim.member,
        purpose=ContactPurpose.CLAIMS,
        template_prefix=f"emails/expenses/{status}",
        context=claim_email_context(claim, status),
    )


def latest_event(claim: ExpenseClaim, status: str) -> ClaimEvent | None:
    """The newest time the claim became ``status`` (a claim can be submitted more than once)."""
    return claim.events.filter(to_status=status).order_by("-at", "-pk").first()
