"""Messages from the group-wide layer, through the outbox: "your report is ready".

The person who asked for a report is told by email once it is made, with a link to the report's
page (they log in to download it). The email names the kind of report and its dates, never a
figure, a project's or survey's title, or a member's name: whoever glances at an inbox learns
only that a report is ready.

Who is told: staff and commissioners, under ``members.recipients.STAFF`` (email only, to an
active account that still has the role when it is sent). A member who asks for their own
certificate watches it being made on the page and downloads it there: no email goes to them,
because messages to members go only for the purposes they agreed to be contacted for, and "my
certificate is ready" is not one of them.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from common.formatting import long_date
from members.recipients import STAFF
from members.roles import is_commissioner
from outbox import kinds, sending
from outbox.kinds import Content, NoLongerNeeded
from outbox.models import Message
from outbox.rendering import render_for

from .models import ReportRun

REPORT_READY = "involvement.report_ready"
TEMPLATES = "emails/involvement"


def queue_report_ready(run: ReportRun) -> list[int]:
    """Tells the staff member or commissioner who asked for ``run`` that it is ready (in the
    caller's transaction; sent after commit, once)."""
    user = run.requested_by
    if user is None or not (user.is_staff or is_commissioner(user)):
        return []
    return sending.queue(kind=REPORT_READY, about=run, recipient=user, purpose=STAFF)


def build_report_ready(message: Message) -> Content:
    """What kind of report is ready, for which dates, and the link to its page."""
    run = ReportRun.objects.filter(pk=message.about_id).first()
    if run is None:
        raise NoLongerNeeded("the report has been deleted.")
    if run.status != ReportRun.Status.READY:
        raise NoLongerNeeded("the report is no longer ready to download.")
    period = ""
    if run.start and run.end:
        period = f"{long_date(run.start)} to {long_date(run.end)}"
    context = {
        "user": message.recipient,
        "kind": run.get_kind_display(),
        "period": period,
        "url": f"{settings.PORTAL_BASE_URL}{reverse('reports:run', args=[run.pk])}",
    }
    return render_for(message, f"{TEMPLATES}/report_ready", context)


def register_kinds() -> None:
    """Tells the outbox how to build the group-wide messages (from `InvolvementConfig.ready`)."""
    kinds.register(REPORT_READY, label="Your report is ready", build=build_report_ready)
