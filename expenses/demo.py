"""Demo expense claims for `make run`: claims in every state over the last two years, with real
(small) receipt files, for the activities the demo members attended.

Built on whatever meetings and registrations exist (``meetings.demo`` makes them); with none,
it creates nothing. Safe to run any number of times: there is one claim per member and
activity, and an activity that already has a claim is left alone, so a second run adds nothing
and a run months later adds claims only for the activities that have happened since.

Claims are started and costs added through ``expenses.services`` (so rates, the involvement
payment and receipts work as they do for members), but the later changes of state are written
directly, with their history dated in the past, because the services would email every demo
member and stamp everything with today's date.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from meetings.models import Meeting, Registration
from members.models import Member, User
from members.roles import FINANCE_APPROVERS

from . import services
from .models import Category, ClaimEvent, ExpenseClaim
from .rules import can_claim, claim_deadline
from .uploads import CleanReceipt, validate_receipt

Status = ExpenseClaim.Status

DEMO_MEMBER_EMAIL = "member@demo.example"
FINANCE_EMAIL = "finance@demo.example"
HISTORY_DAYS = 2 * 365

# The demo log-in member's attended activities, newest first, show every state in turn
# (the newest is left unclaimed, so "Claim for an activity" has something in it).
DEMO_MEMBER_PLAN = [None, Status.DRAFT, Status.QUERIED, Status.SUBMITTED, Status.APPROVED, Status.REJECTED]

QUESTION = "Thank you for your claim. Could you add a photo of the car park ticket? The one attached is for the bus."
ANSWER = "Sorry, wrong photo. I have added the car park ticket now."
REJECTION = (
    "We can only pay for costs on the day of the activity, and these receipts are from the week before. "
    "Please get in touch and we will sort it out together."
)


# --- Receipts --------------------------------------------------------------------------------


def receipt_png(lines: list[str]) -> bytes:
    """A small PNG that looks like a till receipt, drawn with Pillow."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (260, 40 + 22 * len(lines)), (255, 255, 250))
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((16, 20 + 22 * number), line, fill=(30, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1", "replace").decode(
        "latin-1"
    )


def receipt_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a few lines of text (Helvetica), valid enough for any reader."""
    commands = ["BT", "/F1 12 Tf", "72 720 Td", "16 TL"]
    commands += [f"({_pdf_text(line)}) Tj T*" for line in lines]
    commands.append("ET")
    stream = "\n".join(commands).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _receipt(name: str, content: bytes, content_type: str) -> CleanReceipt:
    # Through the same checks as a member's upload, so the demo stores what the portal would.
    return validate_receipt(SimpleUploadedFile(name, content, content_type=content_type))


# --- The costs on a claim --------------------------------------------------------------------


def _png(name: str, *lines: str) -> CleanReceipt:
    return _receipt(name, receipt_png(list(lines)), "image/png")


def _pdf(name: str, *lines: str) -> CleanReceipt:
    return _receipt(name, receipt_pdf(list(lines)), "application/pdf")


def _costs(turn: int, meeting: Meeting) -> list[dict]:
    """A believable mix of costs for one member at one activity (varied by ``turn``)."""
    day = f"{timezone.localdate(meeting.starts_at):%d/%m/%Y}"
    kind = turn % 4
    if kind == 0:
        return [
            {"category": Category.MILEAGE, "miles": str(8 + (turn * 3) % 17), "description": "Home and back"},
            {
                "category": Category.PARKING,
                "amount": "4.50",
                "description": "Car park next to the venue",
                "receipt": _png("car-park.png", "Riverside car park", day, "4 hours", "GBP 4.50"),
            },
        ]
    if kind == 1:
        return [
            {
                "category": Category.PUBLIC_TRANSPORT,
                "amount": "6.40",
                "description": "Return bus ticket",
                "receipt": _pdf("bus-ticket.pdf", "Riverside Buses", day, "Adult day return", "GBP 6.40"),
            }
        ]
    if kind == 2:
        return [
            {"category": Category.MILEAGE, "miles": str(5 + turn % 9), "description": "Home to the venue and back"},
            {
                "category": Category.CHILDCARE,
                "amount": "24.00",
                "description": "3 hours with a childminder",
                "receipt": _pdf("childminder.pdf", "Little Acorns Childminding", day, "3 hours at 8.00", "GBP 24.00"),
            },
        ]
    return [
        {
            "category": Category.TAXI,
            "amount": "12.80",
            "taxi_reason": "No bus that would get me there on time with the pushchair.",
            "description": "Home to the venue",
            "receipt": _png("taxi.png", "Riverside Cars", day, "Fare GBP 12.80"),
        },
        {
            "category": Category.PUBLIC_TRANSPORT,
            "amount": "3.20",
            "description": "Bus home",
            "receipt": _png("bus-home.png", "Riverside Buses", day, "Single", "GBP 3.20"),
        },
    ]


# --- States ----------------------------------------------------------------------------------


def _finance_approver() -> User:
    """The finance approver who decides on the demo claims (no password: the demo does not log in as them)."""
    approver = User.objects.filter(groups__name=FINANCE_APPROVERS, is_active=True).order_by("pk").first()
    if approver is None:
        approver, created = User.objects.get_or_create(
            email=FINANCE_EMAIL, defaults={"name": "Femi Okafor", "is_staff": True}
        )
        if created:
            approver.set_unusable_password()
            approver.save(update_fields=["password"])
        approver.groups.add(Group.objects.get_or_create(name=FINANCE_APPROVERS)[0])
    return approver


def _state_for(member_number: int, turn: int) -> str | None:
    """What happened to an ordinary demo member's claim; ``turn`` 0 is their latest activity.

    The latest two give the team a queue to work through (sent, queried, approved); older ones
    are mostly paid, the odd one turned down, and now and then someone never claimed.
    """
    if turn == 0:
        return [Status.SUBMITTED, None, Status.SUBMITTED, Status.DRAFT, Status.QUERIED, Status.SUBMITTED, None][
            member_number % 7
        ]
    if turn == 1:
        return [Status.APPROVED, Status.SUBMITTED, Status.APPROVED, Status.PAID, Status.SUBMITTED][member_number % 5]
    if (turn + member_number) % 9 == 0:
        return None
    if (turn + member_number) % 11 == 3:
        return Status.REJECTED
    return Status.PAID


def _not_after(moment: dt.datetime, now: dt.datetime) -> dt.datetime:
    return min(moment, now - dt.timedelta(minutes=5))


def _event(claim, from_status: str, to_status: str, by: User | None, at: dt.datetime, message: str = "") -> None:
    ClaimEvent.objects.create(claim=claim, from_status=from_status, to_status=to_status, by=by, at=at, message=message)


def _advance(claim: ExpenseClaim, state: str, *, approver: User, started: dt.datetime, turn: int) -> None:
    """Moves a fresh draft on to ``state`` with a history dated from ``started``."""
    now = timezone.now()
    member_user = claim.member.user
    ClaimEvent.objects.filter(claim=claim).update(at=started)
    ExpenseClaim.objects.filter(pk=claim.pk).update(created_at=started)
    if state == Status.DRAFT:
        return
    # The odd older claim comes in after the deadline and is flagged for the approver.
    late = state in (Status.PAID, Status.REJECTED) and turn % 13 == 5
    submitted_at = _not_after(started + dt.timedelta(days=120 if late else 1 + turn % 6), now)
    fields = {
        "declaration_accepted_at": submitted_at,
        "submitted_at": submitted_at,
        "is_late": timezone.localdate(submitted_at) > claim_deadline(claim.meeting),
    }
    _event(claim, Status.DRAFT, Status.SUBMITTED, member_user, submitted_at)
    moment = submitted_at
    if state == Status.QUERIED or (state == Status.PAID and turn % 5 == 1):
        moment = _not_after(moment + dt.timedelta(days=3), now)
        _event(claim, Status.SUBMITTED, Status.QUERIED, approver, moment, QUESTION)
        if state == Status.QUERIED:
            ExpenseClaim.objects.filter(pk=claim.pk).update(status=Status.QUERIED, **fields)
            return
        moment = _not_after(moment + dt.timedelta(days=1), now)
        fields["declaration_accepted_at"] = moment
        _event(claim, Status.QUERIED, Status.SUBMITTED, member_user, moment, ANSWER)
    if state == Status.SUBMITTED:
        ExpenseClaim.objects.filter(pk=claim.pk).update(status=Status.SUBMITTED, **fields)
        return
    decided = _not_after(moment + dt.timedelta(days=4), now)
    if state == Status.REJECTED:
        _event(claim, Status.SUBMITTED, Status.REJECTED, approver, decided, REJECTION)
        ExpenseClaim.objects.filter(pk=claim.pk).update(status=Status.REJECTED, rejection_reason=REJECTION, **fields)
        return
    _event(claim, Status.SUBMITTED, Status.APPROVED, approver, decided)
    fields.update(approved_by=approver, approved_at=decided)
    if state == Status.APPROVED:
        ExpenseClaim.objects.filter(pk=claim.pk).update(status=Status.APPROVED, **fields)
        return
    paid_at = _not_after(decided + dt.timedelta(days=7), now)
    reference = f"RPG-{timezone.localdate(claim.meeting.starts_at):%y%m}-{claim.member_id:04d}"
    _event(claim, Status.APPROVED, Status.PAID, approver, paid_at, f"Reference {reference}")
    ExpenseClaim.objects.filter(pk=claim.pk).update(
        status=Status.PAID,
        paid_on=timezone.localdate(paid_at),
        payment_reference=reference,
        paid_by=approver,
        **fields,
    )


def _make_claim(registration: Registration, state: str, *, approver: User, turn: int) -> bool:
    meeting, member = registration.meeting, registration.member
    try:
        claim = services.start_or_get_claim(member=member, meeting=meeting, by=member.user)
    except services.ClaimError:
        return False
    for cost in _costs(turn, meeting):
        try:
            services.add_item(claim=claim, by=member.user, **cost)
        except services.ClaimError:
            continue  # for example no mileage rate yet on that date
    if not claim.items.exists():
        claim.delete()  # nothing could be added (no rates on that date): an empty claim helps nobody
        return False
    started = _not_after(meeting.ends_at + dt.timedelta(hours=20), timezone.now())
    _advance(claim, state, approver=approver, started=started, turn=turn)
    return True


@transaction.atomic
def seed_expenses() -> int:
    """Creates the demo claims; returns how many were made this time (0 on a second run)."""
    now = timezone.now()
    registrations = list(
        Registration.objects.filter(
            meeting__ends_at__lte=now,
            meeting__starts_at__gte=now - dt.timedelta(days=HISTORY_DAYS),
            member__erased_at__isnull=True,
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .exclude(member__status=Member.Status.LEFT)
        .select_related("meeting", "member", "member__user")
        .order_by("-meeting__starts_at", "member__user__email")
    )
    registrations = [r for r in registrations if can_claim(member=r.member, meeting=r.meeting)]
    if not registrations:
        return 0
    claimed = set(ExpenseClaim.objects.values_list("member_id", "meeting_id"))
    approver = _finance_approver()
    member_numbers: dict[int, int] = {}
    turns: dict[int, int] = {}
    made = 0
    for registration in registrations:
        member = registration.member
        member_numbers.setdefault(member.pk, len(member_numbers))
        turn = turns.get(member.pk, 0)
        turns[member.pk] = turn + 1
        if (member.pk, registration.meeting_id) in claimed:
            continue
        if member.user.email == DEMO_MEMBER_EMAIL:
            state = DEMO_MEMBER_PLAN[turn] if turn < len(DEMO_MEMBER_PLAN) else Status.PAID
        else:
            state = _state_for(member_numbers[member.pk], turn)
        if state is None:
            continue
        made += _make_claim(registration, state, approver=approver, turn=turn)
    return made
